// What the engine is given for one stuck worker: the task's context under the state's task id, the
// budgeted project summary, and what was tried before. Also the verdict for a manual `intervene`
// on a task the detector does not (yet) find stuck.

import type { ContextLoader } from '../context/loader.js'
import { classify } from '../detect/classify.js'
import { type DetectorConfig, checkWorker, formatDuration } from '../detect/detector.js'
import { detectLoops } from '../detect/loops.js'
import type { InterventionRequest } from '../intervene/engine.js'
import { clip, oneLine } from '../text.js'
import type { TrackedIntervention } from '../tracker/schema.js'
import type { BeastState, StuckWorker, TaskContext, WorkerState } from '../types.js'

/** How many recent errors of the worker go into the summary's "Recent issues". */
const RECENT_ISSUES = 5

/**
 * The task's context, keyed by the state's id. The loader knows a task by its tasks.md id within a
 * spec; the state (and so the tracker, the guidance file names and resolvePending) by `<spec>/<id>`.
 * A task no tasks.md has still gets a context, from the state alone.
 */
export function taskContextFor(taskId: string, state: BeastState, loader: ContextLoader | undefined): TaskContext {
  const entry = state.tasks[taskId]
  const found = loader?.getTaskContext(taskId, entry?.spec)
  if (found) return { ...found, id: taskId }
  return {
    id: taskId,
    title: entry?.title ?? taskId,
    layer: 'backend',
    specName: entry?.spec ?? '(none)',
    requirements: `(task ${taskId} is not in any spec's tasks.md; only the state file knows it)`,
    dependencies: [],
    relatedTasks: [],
  }
}

/** The worker's errors in its scan window and its last_error, newest last, at most 5. */
export function recentIssues(worker: WorkerState | undefined, scan: number): string[] {
  if (!worker) return []
  const errors = (worker.activity ?? []).slice(-scan).flatMap((entry) => (entry.kind === 'action' && entry.error !== undefined ? [entry.error] : []))
  if (worker.last_error !== undefined) errors.push(worker.last_error)
  return [...new Set(errors.map(oneLine))].slice(-RECENT_ISSUES)
}

/** The task's state as the takeover prompt's "Current State". */
function currentState(state: BeastState, taskId: string, worker: WorkerState | undefined): string {
  const task = state.tasks[taskId]
  const lines = [`Task status: ${task?.status ?? 'not in the state file'}${task?.status_since ? ` since ${task.status_since}` : ''}.`]
  if (worker) lines.push(`Worker ${worker.id}: ${worker.status} since ${worker.status_since}${worker.last_error ? `; last error: ${clip(oneLine(worker.last_error), 300)}` : ''}.`)
  if (task?.guidance?.length) lines.push(`Guidance already given: ${task.guidance.join(', ')}.`)
  return lines.join('\n')
}

export interface RequestInput {
  stuck: StuckWorker
  state: BeastState
  loader: ContextLoader | undefined
  previous: TrackedIntervention[]
  summaryTokens: number
  scan: number
}

export function buildRequest({ stuck, state, loader, previous, summaryTokens, scan }: RequestInput): InterventionRequest {
  const worker = state.workers[stuck.worker]
  const issues = recentIssues(worker, scan)
  const task: TaskContext = {
    ...taskContextFor(stuck.taskId, state, loader),
    currentState: currentState(state, stuck.taskId, worker),
    ...(previous.length > 0 ? { previousAttempts: previous.map((r) => `- ${r.timestamp} ${r.type} (${r.outcome}): ${oneLine(r.action)}`).join('\n') } : {}),
  }
  const summary = loader ? loader.getSummary(summaryTokens, { taskId: stuck.taskId, recentIssues: issues }) : issues.map((i) => `- ${i}`).join('\n')
  return { stuck, task, summary, previousInterventions: previous }
}

/**
 * The verdict for `oracle devfactory intervene <task>`: the detector's when it finds the task's
 * worker stuck; otherwise one built the same way from what the worker shows, marked as manual.
 */
export function manualVerdict(state: BeastState, taskId: string, now: number, config: DetectorConfig): StuckWorker {
  const task = state.tasks[taskId]
  const holder = Object.values(state.workers).find((w) => w.task_id === taskId) ?? (task?.assigned_to ? state.workers[task.assigned_to] : undefined)
  const manual = 'manual: requested with `oracle devfactory intervene`'
  const found = holder ? checkWorker(holder, task, now, config) : undefined
  if (found && found.taskId === taskId) return { ...found, evidence: [manual, ...found.evidence] }
  const window = (holder?.activity ?? []).slice(-config.loops.scan)
  const verdict = classify({
    loops: detectLoops(window, config.loops),
    errors: recentIssues(holder, config.loops.scan),
    messages: window.flatMap((entry) => (entry.kind === 'message' ? [entry.text] : [])),
  })
  const since = Date.parse(task?.status_since ?? holder?.status_since ?? '')
  const duration = Number.isFinite(since) ? Math.max(0, now - since) : 0
  return {
    worker: holder?.id ?? task?.assigned_to ?? '(none)',
    taskId,
    classification: verdict.classification,
    confidence: verdict.confidence,
    evidence: [manual, `the detector does not find it stuck; ${task?.status ?? 'unknown'} for ${formatDuration(duration)}`, ...verdict.evidence],
    detectedAt: new Date(now).toISOString(),
    stuckDuration: duration,
  }
}
