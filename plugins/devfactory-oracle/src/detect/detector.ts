// Which workers are stuck, from the state file alone and a given `now`. Pure and deterministic:
// the same state and time give the same list, ordered by worker id (code-unit order).
//
// A worker is looked at when it has a task, its status is working, waiting or stuck, and its task
// is not complete, needs_human or oracle_takeover. It is stuck when any of these holds:
// - it says so: status `stuck`;
// - heartbeat: its last heartbeat is older than heartbeatThreshold. A worker that never sent one is
//   left to the next rule, so a DevFactory without heartbeats does not make every worker stuck;
// - implicit: working or waiting, with no progress for longer than implicitStuckThreshold.
//   Progress is entering the status, the newest activity entry (entries are kept oldest first),
//   or starting the process it waits on;
// - a loop pattern in its recent activity (loops.ts).
// Exception (OpenHands #5355: agents killed while polling a long build): a worker `waiting_on` a
// process whose heartbeats are fresh is not stuck, whatever its activity looks like.
//
// stuckDuration is now − the last progress; when a loop is found, now − the loop's first entry,
// since looping is not progress.

import { compareCodeUnits } from '@oraclekit/kernel'
import type { DevfactoryOptions } from '../options.js'
import type { ActivityEntry, BeastState, StuckWorker, TaskState, WorkerState } from '../types.js'
import { classify } from './classify.js'
import { detectLoops } from './loops.js'

/** The options the detector reads. */
export type DetectorConfig = Pick<DevfactoryOptions, 'heartbeatThreshold' | 'implicitStuckThreshold' | 'loops'>

const WATCHED = new Set<WorkerState['status']>(['working', 'waiting', 'stuck'])
const SETTLED = new Set<TaskState['status']>(['complete', 'needs_human', 'oracle_takeover'])

/** ms since the epoch, or undefined for a missing or unreadable time. */
const time = (iso: string | undefined): number | undefined => {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso)
  return Number.isFinite(ms) ? ms : undefined
}

/** "15 min", "45 s", "2 h 5 min": evidence is read by people. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const rest = minutes % 60
  return `${Math.floor(minutes / 60)} h${rest > 0 ? ` ${rest} min` : ''}`
}

/**
 * The time of the newest activity entry: the last one whose time reads (the file keeps entries
 * oldest first). Only it is parsed: a check runs this on every worker, and Date.parse of every
 * entry was most of the detector's time on a large fleet.
 */
function newestEntryTime(activity: readonly ActivityEntry[]): number | undefined {
  for (let i = activity.length - 1; i >= 0; i--) {
    const at = time(activity[i]?.at)
    if (at !== undefined) return at
  }
  return undefined
}

/** The stuck workers of `state` at `now` (ms), in worker-id order. */
export function detectStuck(state: BeastState, now: number, config: DetectorConfig): StuckWorker[] {
  const ids = Object.keys(state.workers).sort(compareCodeUnits)
  const out: StuckWorker[] = []
  for (const id of ids) {
    const worker = state.workers[id] as WorkerState
    const found = checkWorker(worker, worker.task_id === undefined ? undefined : state.tasks[worker.task_id], now, config)
    if (found) out.push(found)
  }
  return out
}

/** One worker's verdict: a StuckWorker, or undefined when it is fine or not looked at. */
export function checkWorker(worker: WorkerState, task: TaskState | undefined, now: number, config: DetectorConfig): StuckWorker | undefined {
  if (worker.task_id === undefined || !WATCHED.has(worker.status)) return undefined
  if (task && SETTLED.has(task.status)) return undefined

  const activity: readonly ActivityEntry[] = worker.activity ?? []
  const heartbeat = time(worker.last_heartbeat)
  const heartbeatAge = heartbeat === undefined ? undefined : now - heartbeat
  const heartbeatFresh = heartbeatAge !== undefined && heartbeatAge <= config.heartbeatThreshold
  if (worker.waiting_on && heartbeatFresh) return undefined

  const progressTimes = [time(worker.status_since), time(worker.waiting_on?.since), newestEntryTime(activity)].filter((t): t is number => t !== undefined)
  const lastProgress = progressTimes.length > 0 ? Math.max(...progressTimes) : now
  const idle = now - lastProgress

  const reasons: string[] = []
  if (worker.status === 'stuck') reasons.push('the worker reports itself stuck')
  const heartbeatStale = heartbeatAge !== undefined && !heartbeatFresh
  if (heartbeatStale) reasons.push(`no heartbeat for ${formatDuration(heartbeatAge)} (threshold ${formatDuration(config.heartbeatThreshold)})`)
  if ((worker.status === 'working' || worker.status === 'waiting') && idle > config.implicitStuckThreshold) {
    reasons.push(`${worker.status} with no progress for ${formatDuration(idle)} (threshold ${formatDuration(config.implicitStuckThreshold)})`)
  }
  const loops = detectLoops(activity, config.loops)
  reasons.push(...loops.map((loop) => loop.evidence))
  if (reasons.length === 0) return undefined

  const window = activity.slice(-config.loops.scan)
  // last_error is what the worker reported last, so it goes last.
  const errors = [
    ...window.flatMap((entry) => (entry.kind === 'action' && entry.error !== undefined ? [entry.error] : [])),
    ...(worker.last_error === undefined ? [] : [worker.last_error]),
  ]
  const messages = window.flatMap((entry) => (entry.kind === 'message' ? [entry.text] : []))
  const verdict = classify({ loops, errors, messages, heartbeatStale })

  const loopStart = loops.map((loop) => time(loop.since)).filter((t): t is number => t !== undefined)
  const stuckSince = loopStart.length > 0 ? Math.min(lastProgress, ...loopStart) : lastProgress
  return {
    worker: worker.id,
    taskId: worker.task_id,
    classification: verdict.classification,
    confidence: verdict.confidence,
    evidence: [...reasons, ...verdict.evidence],
    detectedAt: new Date(now).toISOString(),
    stuckDuration: Math.max(0, now - stuckSince),
  }
}
