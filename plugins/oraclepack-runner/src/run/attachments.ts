// The files a step attaches (`-f`), with their content hashes: the cache key must change when
// any of them does. oracle's `-f` is comma-split and takes files, directories, globs and `!excl`
// patterns; this resolves the same forms. It also hashes gitignored files oracle would skip, which
// can only cause a cache miss, never a false hit.

import { createHash } from 'node:crypto'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'

/** Directories oracle skips by default when it walks a directory or glob. */
export const DEFAULT_IGNORED = ['node_modules', 'dist', 'coverage', '.git', '.turbo', '.next', 'build', 'tmp']

export interface Attachment {
  /** Path relative to the workspace root, with `/` separators (absolute when outside it). */
  path: string
  /** sha256 of the content; `missing` when the path does not exist. */
  sha256: string
}

/** What oracle treats as a glob in a `-f` value. */
export const GLOB = /[*?[\]{}]/

function display(rootDir: string, absolute: string): string {
  const rel = relative(rootDir, absolute)
  return rel.startsWith('..') ? absolute.split(sep).join('/') : rel.split(sep).join('/')
}

/** Every file under `dir`, skipping the directories oracle skips by default. */
export async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return DEFAULT_IGNORED.includes(entry.name) ? [] : walk(path)
      return entry.isFile() ? [path] : []
    }),
  )
  return nested.flat()
}

async function hashFile(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
}

/** Splits `-f` values the way oracle does: on commas, trimmed, empty parts dropped. */
export function splitFileArgs(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',').map((part) => part.trim())).filter((part) => part !== '')
}

/** Resolves and hashes what `-f` values attach, sorted by path; missing paths are kept, marked. */
export async function hashAttachments(rootDir: string, values: readonly string[]): Promise<Attachment[]> {
  const parts = splitFileArgs(values)
  const excludes = parts.filter((part) => part.startsWith('!')).map((part) => part.slice(1))
  const found = new Map<string, string>()
  const missing = new Set<string>()
  for (const part of parts) {
    if (part.startsWith('!')) continue
    if (GLOB.test(part)) {
      const { glob } = await import('tinyglobby')
      const matches = await glob(part, { cwd: rootDir, absolute: true, dot: false, ignore: [...DEFAULT_IGNORED.map((name) => `**/${name}/**`), ...excludes] })
      for (const match of matches) found.set(display(rootDir, match), match)
      continue
    }
    const absolute = resolve(rootDir, part)
    const info = await stat(absolute).catch(() => undefined)
    if (!info) missing.add(part)
    else if (info.isDirectory()) for (const file of await walk(absolute)) found.set(display(rootDir, file), file)
    else found.set(display(rootDir, absolute), absolute)
  }
  if (excludes.length > 0 && found.size > 0) {
    const { glob } = await import('tinyglobby')
    const excluded = new Set((await glob(excludes, { cwd: rootDir, absolute: true, dot: true })).map((file) => display(rootDir, file)))
    for (const path of excluded) found.delete(path)
  }
  const hashed = await Promise.all([...found].map(async ([path, absolute]) => ({ path, sha256: await hashFile(absolute) })))
  const all = [...hashed, ...[...missing].map((path) => ({ path, sha256: 'missing' }))]
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
