// Settles pending guidance from what the state file shows. A guidance record is written as
// `pending`; this is what later turns it into `resolved` or `failed`, and so what makes the
// "2 failed interventions → takeover" rung of the ladder reachable. The rules, for a guidance
// given at t0 for task T to worker W:
//   T is complete                                 → resolved (resolutionTime: completion − t0)
//   T is needs_human                              → failed (a person has it now)
//   W or T entered `stuck` after t0               → failed (stuck again despite the guidance)
//   graceMs passed and neither W nor T changed
//   status since t0                               → failed (the guidance was not acted on)
//   otherwise                                     → still pending
// Takeovers and escalations are settled when they happen and never pass through here.

import type { TrackedIntervention } from '../tracker/schema.js'
import type { BeastState, InterventionOutcome } from '../types.js'

/** How long a guidance may stay unanswered (default 5 min, the implicit-stuck threshold). */
export const DEFAULT_GUIDANCE_GRACE_MS = 300_000

export interface PendingChange {
  id: string
  taskId: string
  outcome: Extract<InterventionOutcome, 'resolved' | 'failed'>
  resolutionTime?: number
  reason: string
}

export interface PendingTracker {
  list(): Promise<TrackedIntervention[]>
  updateOutcome(id: string, outcome: InterventionOutcome, resolutionTime?: number): Promise<boolean>
}

const after = (iso: string | undefined, t0: number): boolean => iso !== undefined && Date.parse(iso) > t0

/** The change due for one record, or undefined while it stays pending. */
export function judgePending(record: TrackedIntervention, state: BeastState, now: number, graceMs: number = DEFAULT_GUIDANCE_GRACE_MS): PendingChange | undefined {
  if (record.type !== 'guidance' || record.outcome !== 'pending' || record.notDelivered !== undefined) return undefined
  const t0 = Date.parse(record.timestamp)
  const task = state.tasks[record.taskId]
  const worker = state.workers[record.worker]
  const change = (outcome: PendingChange['outcome'], reason: string, resolutionTime?: number): PendingChange => ({
    id: record.id,
    taskId: record.taskId,
    outcome,
    reason,
    ...(resolutionTime === undefined ? {} : { resolutionTime }),
  })
  if (task?.status === 'complete') {
    const completed = task.status_since === undefined ? now : Date.parse(task.status_since)
    return change('resolved', 'the task is complete', Math.max(0, completed - t0))
  }
  if (task?.status === 'needs_human') return change('failed', 'the task was handed to a person')
  if ((worker?.status === 'stuck' && after(worker.status_since, t0)) || (task?.status === 'stuck' && after(task.status_since, t0))) {
    return change('failed', 'stuck again after the guidance')
  }
  const moved = after(worker?.status_since, t0) || after(task?.status_since, t0)
  if (!moved && now - t0 >= graceMs) return change('failed', `no progress within ${Math.round(graceMs / 60_000)} min of the guidance`)
  return undefined
}

/** Applies judgePending to every pending guidance in the tracker; returns what changed. */
export async function resolvePending(state: BeastState, tracker: PendingTracker, now: number, options: { graceMs?: number } = {}): Promise<PendingChange[]> {
  const changes = (await tracker.list()).flatMap((r) => judgePending(r, state, now, options.graceMs) ?? [])
  for (const c of changes) await tracker.updateOutcome(c.id, c.outcome, c.resolutionTime)
  return changes
}
