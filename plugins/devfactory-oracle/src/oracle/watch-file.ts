// `<dir>/oracle/watch.json`: the heartbeat of a running `oracle devfactory watch`, so `status` can
// say whether one runs and `watch` can refuse to start a second one. Run metadata, not a contract:
// a file this code cannot read counts as no watch at all.

import { readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { isAlive, resolveInside, stableStringify } from '@oraclekit/kernel'

export interface WatchFile {
  version: 1
  pid: number
  state: 'running' | 'stopped'
  startedAt: string
  /** ms between checks. */
  checkInterval: number
  checks: number
  lastCheckAt?: string
  /** The code and message of the last check that could not run, while it lasts. */
  lastError?: { code: string; message: string }
  stoppedAt?: string
}

/** Workspace-relative path of the watch file. */
export const watchFilePath = (dir: string): string => `${dir.replace(/\/+$/, '')}/oracle/watch.json`

export async function readWatchFile(rootDir: string, dir: string): Promise<WatchFile | undefined> {
  try {
    const value = JSON.parse(await readFile(resolveInside(rootDir, watchFilePath(dir)), 'utf8')) as Partial<WatchFile>
    return value?.version === 1 && Number.isInteger(value.pid) && typeof value.startedAt === 'string' ? (value as WatchFile) : undefined
  } catch {
    return undefined
  }
}

/**
 * Written after every check: a temp file renamed over the old one, so a reader sees one or the
 * other, but without fsync. It is a heartbeat, not state: losing the last one in a power cut costs
 * nothing, while two fsyncs a check were most of an idle watch's CPU time.
 */
export async function writeWatchFile(rootDir: string, dir: string, file: WatchFile): Promise<void> {
  const path = resolveInside(rootDir, watchFilePath(dir))
  const temp = `${path}.${process.pid}.tmp`
  await mkdir(dirname(path), { recursive: true })
  await writeFile(temp, stableStringify(file))
  await rename(temp, path)
}

/**
 * True when the file's process is a live `devfactory watch`: it says running, its pid is alive, and
 * (where /proc exists) that pid's command line is a watch, so a pid reused by another program after
 * a crash does not count.
 */
export function isWatchRunning(file: WatchFile | undefined): file is WatchFile {
  if (!file || file.state !== 'running' || !isAlive(file.pid)) return false
  let argv: string[]
  try {
    argv = readFileSync(`/proc/${file.pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return true
  }
  return argv.includes('devfactory') && argv.includes('watch')
}
