import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errorArtifactCorrupt, errorArtifactLocked } from '../errors/errors.js'
import { resolveInside } from './paths.js'
import { stableStringify } from './stable-json.js'

/**
 * Writes a file so that a reader, or a process killed at any instant, sees the old bytes or the
 * new ones, never a mix: temp file in the same directory, fsync, rename, then fsync the directory
 * so the rename itself survives a crash.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  // Imported on first use: the CLI's start-up path never writes.
  const { default: writeFileAtomicLib } = await import('write-file-atomic')
  await writeFileAtomicLib(path, typeof data === 'string' ? data : Buffer.from(data), { fsync: true })
  await fsyncDirectory(dir)
}

async function fsyncDirectory(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // Some platforms and file systems refuse fsync on directories; the rename already happened.
  } finally {
    await handle?.close()
  }
}

/** Writes `value` as stable JSON (sorted keys, final newline), atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, stableStringify(value))
}

/** Reads a JSON file; `undefined` when it does not exist, a coded error when it is not JSON. */
export async function readJsonFile<T = unknown>(path: string): Promise<T | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return parseJsonText<T>(text, path)
}

/** JSON.parse with the failing line reported in the coded error. */
export function parseJsonText<T = unknown>(text: string, file: string): T {
  try {
    return JSON.parse(text) as T
  } catch (error) {
    const message = (error as Error).message
    const position = errorOffset(message, text)
    const lineMatch = /line (\d+)/.exec(message)?.[1]
    const line = position !== undefined ? text.slice(0, position).split('\n').length : lineMatch ? Number(lineMatch) : undefined
    throw errorArtifactCorrupt(file, message, line)
  }
}

// V8 names the offset only for some errors ("at position N"). For an unexpected token it quotes
// the source around it instead: the whole text when it has at most 21 characters, otherwise 10
// characters either side, with "..." where it was cut. Truncated input reports no place at all.
function errorOffset(message: string, text: string): number | undefined {
  const at = /at position (\d+)/.exec(message)?.[1]
  if (at !== undefined) return Number(at)
  if (message.startsWith('Unexpected end of JSON input')) return text.trimEnd().length
  const quoted = /^Unexpected token [\s\S]+?, (\.{3})?"([\s\S]*)"(\.{3})? is not valid JSON$/.exec(message)
  if (!quoted) return undefined
  const [, cutBefore, context = '', cutAfter] = quoted
  if (cutBefore && cutAfter) {
    const start = text.indexOf(context)
    return start < 0 ? undefined : start + 10
  }
  if (cutBefore) return text.length - context.length + 10
  if (cutAfter) return context.length - 10
  // Short text: trailing blanks do not move the error, and make V8 quote the context around it.
  const padded = `${text}${' '.repeat(22)}`
  try {
    JSON.parse(padded)
  } catch (retry) {
    return text.length <= 21 ? errorOffset((retry as Error).message, padded) : undefined
  }
  return undefined
}

export interface LockOptions {
  /** How many times to retry while another process holds the lock (default 5). */
  retries?: number
  /** A lock older than this many ms, not refreshed, is considered abandoned (default 10 s). */
  staleMs?: number
}

/**
 * Runs `fn` while holding an inter-process lock on `path` (a `<path>.lock` directory, so it works
 * for files that do not exist yet). Waits and retries with backoff when another process holds it.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  await mkdir(dirname(path), { recursive: true })
  let compromised: Error | undefined
  let release: () => Promise<void>
  const { default: lockfile } = await import('proper-lockfile')
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: options.staleMs ?? 10_000,
      retries: { retries: options.retries ?? 5, factor: 2, minTimeout: 25, maxTimeout: 1_000, randomize: true },
      onCompromised: (error) => {
        compromised = error
      },
    })
  } catch (error) {
    throw errorArtifactLocked(path, error)
  }
  try {
    const result = await fn()
    if (compromised) throw errorArtifactLocked(path, compromised)
    return result
  } finally {
    await release().catch(() => undefined)
  }
}

/** Reads and writes artifacts below one root directory, refusing paths that escape it. */
export interface ArtifactStore {
  readonly root: string
  resolve(path: string): string
  write(path: string, data: string | Uint8Array): Promise<string>
  writeJson(path: string, value: unknown): Promise<string>
  readText(path: string): Promise<string | undefined>
  readJson<T = unknown>(path: string): Promise<T | undefined>
  withLock<T>(path: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>
  /** Locked read-modify-write of a JSON file. */
  update<T>(path: string, fn: (current: T | undefined) => T | Promise<T>, options?: LockOptions): Promise<T>
}

export function createArtifactStore(root: string): ArtifactStore {
  const resolvePath = (path: string): string => resolveInside(root, path)
  const store: ArtifactStore = {
    root,
    resolve: resolvePath,
    async write(path, data) {
      const absolute = resolvePath(path)
      await writeFileAtomic(absolute, data)
      return absolute
    },
    async writeJson(path, value) {
      const absolute = resolvePath(path)
      await writeJsonAtomic(absolute, value)
      return absolute
    },
    async readText(path) {
      try {
        return await readFile(resolvePath(path), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    // async, like the methods above: a refused path rejects the promise instead of throwing.
    readJson: async (path) => readJsonFile(resolvePath(path)),
    withLock: async (path, fn, options) => withFileLock(resolvePath(path), fn, options),
    update: async (path, fn, options) =>
      store.withLock(
        path,
        async () => {
          const next = await fn(await store.readJson(path))
          await store.writeJson(path, next)
          return next
        },
        options,
      ),
  }
  return store
}
