// Path patterns shared by the checks, the constraints and the handoff: `**` crosses folders, `*`
// and `?` stay inside one segment. Every path is workspace-relative with forward slashes.

import { readdir, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'

/** A glob as an anchored RegExp; a trailing `/` means the folder and all below it. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.endsWith('/') ? `${glob}**` : glob
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders; a bare `**` anything at all
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?'
        i += 2
      } else {
        out += '.*'
        i += 1
      }
    } else if (c === '*') out += '[^/]*'
    else if (c === '?') out += '[^/]'
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

export function isGlob(path: string): boolean {
  return /[*?]/.test(path)
}

/** Forward slashes, no `./` prefix, no trailing slash. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '')
}

/** The workspace-relative form of `path`, or undefined when it leaves the workspace. */
export function insideWorkspace(rootDir: string, path: string): string | undefined {
  if (isAbsolute(path)) return undefined
  const rel = relative(rootDir, resolve(rootDir, path))
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined
  return rel.split(sep).join('/')
}

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules'])
/** Entries a glob walk visits at most: a hint must stay cheap. */
const WALK_LIMIT = 5000

async function walk(rootDir: string, dir: string, out: string[], budget: { left: number }): Promise<void> {
  let entries
  try {
    entries = await readdir(join(rootDir, dir), { withFileTypes: true })
  } catch {
    return
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (budget.left-- <= 0) return
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(rootDir, path, out, budget)
    } else if (entry.isFile()) out.push(path)
  }
}

/**
 * The files named by path hints: a file itself, the files directly inside a folder, the files a
 * glob matches. Sorted, unique, at most `limit`; hints outside the workspace are ignored.
 */
export async function expandPaths(rootDir: string, hints: readonly string[], limit = Number.POSITIVE_INFINITY): Promise<string[]> {
  const found = new Set<string>()
  for (const hint of hints) {
    const path = insideWorkspace(rootDir, normalizePath(hint))
    if (path === undefined) continue
    if (isGlob(path)) {
      const segments = path.split('/')
      const base = segments.slice(0, segments.findIndex(isGlob)).join('/')
      const files: string[] = []
      await walk(rootDir, base, files, { left: WALK_LIMIT })
      const re = globToRegExp(path)
      for (const file of files) if (re.test(file)) found.add(file)
      continue
    }
    const info = await stat(join(rootDir, path)).catch(() => undefined)
    if (info?.isFile()) found.add(path)
    else if (info?.isDirectory()) {
      const entries = await readdir(join(rootDir, path), { withFileTypes: true })
      for (const entry of entries) if (entry.isFile()) found.add(path === '' ? entry.name : `${path}/${entry.name}`)
    }
  }
  return [...found].sort().slice(0, limit)
}
