// What a task changed in the working tree, from git: a snapshot of the dirty paths (with their
// content hashes) before the task, compared with one after. Outside a git repository there is
// nothing to compare, and callers say so rather than guess.

import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { globToRegExp, normalizePath } from './glob.js'

const execFileAsync = promisify(execFile)

/** The dirty paths of a workspace at one moment, workspace-relative, with their content state. */
export interface GitSnapshot {
  rootDir: string
  /** HEAD's commit, so that commits made during the task count as changes too. */
  head: string | undefined
  /** sha256 of the working-tree file, 'deleted', or 'directory' (a nested repository). */
  files: Map<string, string>
}

async function git(rootDir: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd: rootDir, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })
    return stdout
  } catch {
    return undefined
  }
}

/** Where the workspace sits in its repository (`sub/` or ''), or undefined outside a repository. */
async function repoPrefix(rootDir: string): Promise<string | undefined> {
  const out = await git(rootDir, ['rev-parse', '--show-prefix'])
  return out === undefined ? undefined : out.trim()
}

/** Repository-relative paths from a `-z` listing made workspace-relative; others are dropped. */
function fromRepo(paths: string[], prefix: string): string[] {
  return paths.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length))
}

/** `git status --porcelain -z`: `XY path\0`, and a rename's or copy's source as its own entry. */
function parseStatus(out: string): string[] {
  const entries = out.split('\0')
  const paths: string[] = []
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as string
    if (entry.length < 4) continue
    paths.push(entry.slice(3))
    if (entry[0] === 'R' || entry[0] === 'C') {
      const source = entries[++i]
      if (source) paths.push(source)
    }
  }
  return paths
}

async function dirtyPaths(rootDir: string, prefix: string): Promise<string[]> {
  const out = await git(rootDir, ['status', '--porcelain', '-z', '--untracked-files=all', '--', '.'])
  return fromRepo(parseStatus(out ?? ''), prefix)
}

async function fileState(rootDir: string, path: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(join(rootDir, path))).digest('hex')
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'directory' : 'deleted'
  }
}

/** The files that differ from HEAD (or from `since`, a commit), untracked ones too; sorted. */
export async function gitChangedFiles(rootDir: string, since?: string): Promise<string[] | undefined> {
  const prefix = await repoPrefix(rootDir)
  if (prefix === undefined) return undefined
  const changed = new Set(await dirtyPaths(rootDir, prefix))
  if (since !== undefined) {
    // --relative: paths relative to the workspace, and only those inside it
    const out = await git(rootDir, ['diff', '--name-only', '--relative', '-z', since])
    if (out === undefined) return undefined
    for (const path of out.split('\0').filter(Boolean)) changed.add(path)
  }
  return [...changed].sort()
}

/** The dirty paths and their states now; undefined outside a git repository. */
export async function gitSnapshot(rootDir: string): Promise<GitSnapshot | undefined> {
  const prefix = await repoPrefix(rootDir)
  if (prefix === undefined) return undefined
  const head = (await git(rootDir, ['rev-parse', '--verify', '-q', 'HEAD']))?.trim() || undefined
  const files = new Map<string, string>()
  for (const path of await dirtyPaths(rootDir, prefix)) files.set(path, await fileState(rootDir, path))
  return { rootDir, head, files }
}

/**
 * The paths whose state differs from the snapshot: added, modified, deleted, reverted, or
 * committed meanwhile. Sorted; undefined when the snapshot is (not a git repository).
 */
export async function changedSince(snapshot: GitSnapshot | undefined): Promise<string[] | undefined> {
  if (snapshot === undefined) return undefined
  const now = await gitSnapshot(snapshot.rootDir)
  if (now === undefined) return undefined
  const changed = new Set<string>()
  for (const path of new Set([...snapshot.files.keys(), ...now.files.keys()])) {
    if ((snapshot.files.get(path) ?? 'clean') !== (now.files.get(path) ?? 'clean')) changed.add(path)
  }
  if (now.head !== undefined && now.head !== snapshot.head) {
    // both list paths relative to the workspace, and only those inside it
    const out =
      snapshot.head === undefined
        ? await git(snapshot.rootDir, ['ls-tree', '-r', '-z', '--name-only', now.head])
        : await git(snapshot.rootDir, ['diff', '--name-only', '--relative', '-z', snapshot.head, now.head])
    for (const path of (out ?? '').split('\0').filter(Boolean)) changed.add(path)
  }
  return [...changed].sort()
}

/** The changed paths that match a forbidden glob; sorted. */
export function forbiddenHits(changed: readonly string[], forbidden: readonly string[]): string[] {
  // a pattern also forbids everything below what it names: `secrets` and `secrets/` cover `secrets/a`
  const patterns = forbidden.flatMap((glob) => {
    const normalized = normalizePath(glob)
    return [globToRegExp(normalized), globToRegExp(`${normalized}/**`)]
  })
  return changed.filter((path) => patterns.some((re) => re.test(path))).sort()
}

/**
 * `git diff --stat` of the workspace against HEAD (staged and unstaged changes), limited to the
 * workspace folder when it is inside a larger repository, paths relative to it; '' outside a git
 * repository. A repository without commits has no HEAD: then the unstaged changes.
 */
export async function gitDiffStat(rootDir: string): Promise<string> {
  return (await git(rootDir, ['diff', '--stat', '--relative', 'HEAD'])) ?? (await git(rootDir, ['diff', '--stat', '--relative'])) ?? ''
}
