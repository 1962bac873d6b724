// Where the oracle writes: .devfactory/oracle/<kind>-<task>-<n>.md. Numbering is per task and per
// kind, and continues after the highest existing number, so a deleted file is never overwritten.

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Default workspace folder of DevFactory (the `dir` option). */
export const DEFAULT_DIR = '.devfactory'

export type OracleFileKind = 'guidance' | 'takeover' | 'escalation'

/** Absolute path of `<root>/<dir>/oracle`. */
export function oracleDir(rootDir: string, dir: string = DEFAULT_DIR): string {
  return join(rootDir, dir, 'oracle')
}

/**
 * A task id as it may appear in a file name: anything but letters, digits, `.`, `_` and `-`
 * becomes `_` (task ids such as `auth/login` must not create folders).
 */
export function fileSafeId(taskId: string): string {
  return taskId.replace(/[^A-Za-z0-9._-]/g, '_')
}

export function oracleFileName(kind: OracleFileKind, taskId: string, n: number, ext = 'md'): string {
  return `${kind}-${fileSafeId(taskId)}-${n}.${ext}`
}

/** 1 + the highest n of `<kind>-<task>-<n>.md` in `dir` (1 when there is none, or no folder). */
export async function nextFileNumber(dir: string, kind: OracleFileKind, taskId: string): Promise<number> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  const pattern = new RegExp(`^${kind}-${escapeRegExp(fileSafeId(taskId))}-(\\d+)\\.md$`)
  let highest = 0
  for (const name of names) {
    const n = Number(pattern.exec(name)?.[1] ?? 0)
    if (n > highest) highest = n
  }
  return highest + 1
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
