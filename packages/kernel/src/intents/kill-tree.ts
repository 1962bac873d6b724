import { readFileSync, readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { MARKER_ENV } from './protocol.js'

interface ProcessInfo {
  pid: number
  ppid: number
  state: string
}

const hasProc = process.platform === 'linux'

function readStat(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]) }
  } catch {
    return undefined
  }
}

function listProcesses(): ProcessInfo[] {
  if (!hasProc) return []
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined)
}

/** Markers are `<runId>/<random>`: a whole marker finds one attempt's processes, `<runId>/` a run's. */
function hasMarker(pid: number, marker: string): boolean {
  const entry = `${MARKER_ENV}=${marker}`
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\u0000').some((variable) => variable.startsWith(entry))
  } catch {
    return false
  }
}

/** True while the process exists and is not a zombie (a dead child not yet reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return hasProc ? readStat(pid)?.state !== 'Z' : true
}

/**
 * Every live process a job started: the pids it reported, the processes whose marker starts with
 * `marker` in their environment (found even when their parent died and they were re-parented), and all of
 * their descendants.
 */
export function findJobProcesses(pids: Iterable<number>, marker?: string): number[] {
  const roots = new Set(pids)
  const table = listProcesses()
  if (marker) for (const info of table) if (info.pid !== process.pid && hasMarker(info.pid, marker)) roots.add(info.pid)
  const children = new Map<number, number[]>()
  for (const info of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info.pid])
  const found = new Set<number>()
  const stack = [...roots]
  while (stack.length > 0) {
    const pid = stack.pop() as number
    if (found.has(pid) || pid === process.pid) continue
    found.add(pid)
    stack.push(...(children.get(pid) ?? []))
  }
  return [...found].filter(isAlive).sort((a, b) => a - b)
}

function signal(pid: number, name: NodeJS.Signals): void {
  // The process group first (jobs spawn detached, so each child leads its own group), then the pid.
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, name)
    } catch {
      // Already gone, or not a group leader.
    }
  }
}

/**
 * Stops a job's processes: SIGTERM, then SIGKILL to whatever is still alive after `graceMs`.
 * Resolves with the pids that were signalled, once none of them is alive.
 */
export async function killJobProcesses(pids: Iterable<number>, marker: string | undefined, graceMs: number): Promise<number[]> {
  const targets = findJobProcesses(pids, marker)
  if (targets.length === 0) return []
  for (const pid of targets) signal(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (targets.some(isAlive) && Date.now() < deadline) await sleep(5)
  // Late children (spawned while we were signalling) are found again by marker.
  const survivors = findJobProcesses(targets, marker)
  for (const pid of survivors) signal(pid, 'SIGKILL')
  const hardDeadline = Date.now() + 2_000
  while (survivors.some(isAlive) && Date.now() < hardDeadline) await sleep(5)
  return [...new Set([...targets, ...survivors])].sort((a, b) => a - b)
}
