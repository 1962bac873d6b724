import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stableLine } from './stable-json.js'

/** Hex sha256 of a string (UTF-8) or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Hex sha256 of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Hex sha256 of a JSON value in its stable form: equal values give equal hashes. */
export function hashJson(value: unknown): string {
  return sha256(stableLine(value))
}

/**
 * A stable id: `<prefix>-<hash>` where the hash covers the parts in order. Each part is encoded
 * with its type and length, so ('ab','c') and ('a','bc') differ, and so do '1' and 1, whatever
 * characters the parts contain. Same parts, same id, on every machine.
 */
export function stableId(prefix: string, parts: ReadonlyArray<string | number>, length = 12): string {
  const digest = sha256(parts.map((part) => `${typeof part}:${String(part).length}:${String(part)}`).join('\u0000'))
  return `${prefix}-${digest.slice(0, length)}`
}
