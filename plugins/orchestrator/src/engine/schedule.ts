// The scheduler: runs a plan's DAG with up to `parallel` tasks at once. Each task costs O(its
// edges) here: counters of unfinished dependencies, a dependents map and a ready heap ordered by
// topological rank, no rescans of the plan.
import type { PlanSpec, RunEvent, RunState, TaskSpec } from '../types.js'
import { createReducer, dependentsMap, isSatisfied, topologicalOrder } from './state.js'

/** What running a task came to: done, failed, or stopped at a gate it needs approved. */
export type TaskOutcome = 'completed' | 'failed' | { awaiting: string }

export type DagStatus = 'completed' | 'failed' | 'awaiting_approval'

export interface RunDagOptions {
  plan: PlanSpec
  /** Tasks running at once (at least 1). */
  parallel: number
  /** Only these tasks (the caller includes their dependencies); all when absent. */
  selection?: Set<string>
  /** Runs one task; a throw counts as a failure, with the error's message. */
  runTask: (task: TaskSpec) => Promise<TaskOutcome>
  /** Receives every event the scheduler makes, in order, with its `ts`. */
  log: (event: RunEvent) => void
  now: () => string
  /** The state to go on from (a resume); a fresh run when absent. Not modified. */
  state?: RunState
}

export interface DagResult {
  status: DagStatus
  state: RunState
}

/**
 * Runs the DAG until nothing more can run. A failure blocks its transitive dependents (logged
 * `blocked`) while unrelated branches go on; a task needing an unapproved gate is logged
 * `awaiting_approval` and not started. Ends `failed` when a task failed or is blocked, else
 * `awaiting_approval` when a task waits for a gate, else `completed` (logged).
 */
export async function runDag(options: RunDagOptions): Promise<DagResult> {
  const { plan, selection, now } = options
  const parallel = Math.max(1, Math.floor(options.parallel))
  const reducer = createReducer(plan, options.state)
  const { state } = reducer
  const emit = (event: Omit<RunEvent, 'ts'>): void => {
    const full = { ts: now(), ...event } as RunEvent
    reducer.apply(full)
    options.log(full)
  }

  const inScope = (id: string): boolean => !selection || selection.has(id)
  const order = topologicalOrder(plan).filter((task) => inScope(task.id))
  const byId = new Map(order.map((task) => [task.id, task]))
  const rank = new Map(order.map((task, index) => [task.id, index]))
  const dependents = dependentsMap(plan)
  const unfinished = new Map<string, number>()
  const ready = createHeap((id) => rank.get(id) ?? 0)

  const record = (id: string) => state.tasks[id]
  const enqueue = (task: TaskSpec): void => {
    const gates = task.approvals.filter((gate) => !state.approved[gate])
    if (gates.length === 0) {
      ready.push(task.id)
      return
    }
    // Already logged as waiting for these gates (a resume before the approval): say it once.
    if (record(task.id)?.state === 'awaiting_approval' && gates.every((gate) => state.awaiting.includes(gate))) return
    for (const gate of gates) emit({ type: 'awaiting_approval', task: task.id, gate, message: `awaiting approval: ${gates.join(', ')}` })
  }
  const block = (failed: string): void => {
    const queue = [failed]
    for (let i = 0; i < queue.length; i++) {
      for (const next of dependents.get(queue[i] as string) ?? []) {
        const current = record(next)?.state
        if (!inScope(next) || current === 'blocked' || current === 'completed' || current === 'skipped' || current === 'failed') continue
        emit({ type: 'blocked', task: next, message: `blocked by ${failed}` })
        queue.push(next)
      }
    }
  }

  for (const task of order) {
    unfinished.set(task.id, task.dependencies.filter((dep) => !isSatisfied(record(dep))).length)
  }
  for (const task of order) {
    const current = record(task.id)?.state
    if (current === 'failed' || current === 'blocked') block(task.id)
  }
  for (const task of order) {
    const current = record(task.id)?.state
    // `running` here is a state handed over without its `resumed` event: the task is redone.
    if ((current === 'pending' || current === 'running') && unfinished.get(task.id) === 0) enqueue(task)
  }

  let running = 0
  const settled: Array<{ id: string; outcome: TaskOutcome | { error: unknown } }> = []
  let wake: (() => void) | undefined
  const settle = (id: string, outcome: TaskOutcome | { error: unknown }): void => {
    settled.push({ id, outcome })
    wake?.()
    wake = undefined
  }
  const start = (task: TaskSpec): void => {
    running++
    emit({ type: 'task_started', task: task.id, attempt: (record(task.id)?.attempts ?? 0) + 1 })
    let promise: Promise<TaskOutcome>
    try {
      promise = options.runTask(task)
    } catch (error) {
      promise = Promise.reject(error)
    }
    promise.then(
      (outcome) => settle(task.id, outcome),
      (error: unknown) => settle(task.id, { error }),
    )
  }
  const finish = (id: string, outcome: TaskOutcome | { error: unknown }): void => {
    if (outcome === 'completed') {
      emit({ type: 'task_completed', task: id })
      for (const next of dependents.get(id) ?? []) {
        const left = unfinished.get(next)
        if (left === undefined) continue
        unfinished.set(next, left - 1)
        const task = byId.get(next)
        if (left === 1 && task && record(next)?.state === 'pending') enqueue(task)
      }
    } else if (typeof outcome === 'object' && 'awaiting' in outcome) {
      emit({ type: 'awaiting_approval', task: id, gate: outcome.awaiting })
    } else {
      const message = typeof outcome === 'object' && 'error' in outcome ? errorMessage(outcome.error) : undefined
      emit({ type: 'task_failed', task: id, ...(message === undefined ? {} : { message }) })
      block(id)
    }
  }

  for (;;) {
    while (running < parallel && ready.size() > 0) start(byId.get(ready.pop() as string) as TaskSpec)
    if (running === 0) break
    if (settled.length === 0) await new Promise<void>((resolve) => (wake = resolve))
    for (const { id, outcome } of settled.splice(0)) {
      running--
      finish(id, outcome)
    }
  }

  const states = order.map((task) => record(task.id)?.state)
  let status: DagStatus
  if (states.some((s) => s === 'failed' || s === 'blocked')) status = 'failed'
  else if (states.some((s) => s === 'awaiting_approval')) status = 'awaiting_approval'
  // Pending left over means a dependency outside the selection is not done.
  else if (states.some((s) => s === 'pending' || s === 'running')) status = 'failed'
  else status = 'completed'
  if (status === 'completed') emit({ type: 'completed' })
  return { status, state }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A binary min-heap of ids by a numeric key. */
function createHeap(key: (id: string) => number) {
  const items: string[] = []
  const less = (a: number, b: number) => key(items[a] as string) < key(items[b] as string)
  const swap = (a: number, b: number) => {
    const t = items[a] as string
    items[a] = items[b] as string
    items[b] = t
  }
  return {
    size: () => items.length,
    push(id: string) {
      items.push(id)
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1
        if (!less(i, parent)) break
        swap(i, parent)
        i = parent
      }
    },
    pop(): string | undefined {
      const top = items[0]
      const last = items.pop()
      if (items.length > 0 && last !== undefined) {
        items[0] = last
        for (let i = 0; ; ) {
          const l = 2 * i + 1
          const r = l + 1
          let m = i
          if (l < items.length && less(l, m)) m = l
          if (r < items.length && less(r, m)) m = r
          if (m === i) break
          swap(i, m)
          i = m
        }
      }
      return top
    },
  }
}
