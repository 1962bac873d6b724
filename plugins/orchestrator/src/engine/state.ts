// The run's state as its event log says it is. Pure: the same events and plan give the same state.
import { compareCodeUnits } from '@oraclekit/kernel'
import type { PlanSpec, RunEvent, RunState, TaskSpec } from '../types.js'

export type TaskRecord = RunState['tasks'][string]

/** A state that events are applied to one at a time: the scheduler keeps one alive for a run. */
export interface Reducer {
  state: RunState
  apply(event: RunEvent): void
}

/** The state before any event: every task of the plan pending. */
export function initialState(plan: PlanSpec): RunState {
  const tasks: RunState['tasks'] = {}
  for (const task of plan.tasks) {
    tasks[task.id] = pendingRecord()
  }
  return { plan_hash: null, tasks, awaiting: [], approved: {}, finished: false }
}

/**
 * Folds events into a state. Events of tasks the plan no longer has are ignored. Conventions the
 * engine writes by: plan_validated / plan_updated carry the plan hash in `message`; a `resumed`
 * event sends back to pending the tasks that were running (the process died mid-task: their work
 * is redone from the start) and the failed and blocked ones (a resume is how a run goes on after
 * a fix), keeping their attempt counts.
 */
export function reduce(events: RunEvent[], plan: PlanSpec): RunState {
  const reducer = createReducer(plan)
  for (const event of events) reducer.apply(event)
  return reducer.state
}

export function createReducer(plan: PlanSpec, from?: RunState): Reducer {
  const byId = new Map(plan.tasks.map((task) => [task.id, task]))
  const state = from ? structuredClone(from) : initialState(plan)
  for (const task of plan.tasks) state.tasks[task.id] ??= pendingRecord()
  // The gates each waiting task still needs: the plan's, plus any a task asked for while running.
  const waitingFor = new Map<string, Set<string>>()
  for (const [id, record] of Object.entries(state.tasks)) {
    if (record.state !== 'awaiting_approval') continue
    const planned = (byId.get(id)?.approvals ?? []).filter((gate) => !state.approved[gate])
    waitingFor.set(id, new Set(planned.length > 0 ? planned : state.awaiting))
  }

  const finish = (record: TaskRecord, event: RunEvent): void => {
    record.finished_at = event.ts
    record.duration_ms = event.duration_ms ?? elapsed(record.started_at, event.ts)
    record.message = event.message ?? null
  }

  const apply = (event: RunEvent): void => {
    const record = event.task === undefined ? undefined : state.tasks[event.task]
    switch (event.type) {
      case 'plan_validated':
      case 'plan_updated':
        state.plan_hash = event.message ?? plan.hash
        return
      case 'task_started':
        if (!record) return
        record.state = 'running'
        record.started_at = event.ts
        record.finished_at = null
        record.duration_ms = null
        record.message = null
        record.attempts++
        return
      case 'task_completed':
      case 'task_failed':
        if (!record) return
        record.state = event.type === 'task_completed' ? 'completed' : 'failed'
        finish(record, event)
        return
      case 'blocked':
      case 'skipped':
        if (!record) return
        record.state = event.type
        record.message = event.message ?? null
        return
      case 'awaiting_approval':
        if (event.gate !== undefined && !state.approved[event.gate] && !state.awaiting.includes(event.gate)) {
          state.awaiting.push(event.gate)
          state.awaiting.sort(compareCodeUnits)
        }
        if (record && event.task !== undefined) {
          const gates = waitingFor.get(event.task) ?? new Set<string>()
          if (event.gate !== undefined && !state.approved[event.gate]) gates.add(event.gate)
          waitingFor.set(event.task, gates)
          record.state = 'awaiting_approval'
          record.message = event.message ?? `awaiting approval: ${[...gates].sort(compareCodeUnits).join(', ')}`
        }
        return
      case 'approved':
        if (event.gate === undefined) return
        state.approved[event.gate] = { by: event.by ?? 'unknown', at: event.ts }
        state.awaiting = state.awaiting.filter((gate) => gate !== event.gate)
        for (const [id, gates] of waitingFor) {
          gates.delete(event.gate)
          if (gates.size > 0) continue
          waitingFor.delete(id)
          const waiting = state.tasks[id]
          if (waiting?.state === 'awaiting_approval') {
            waiting.state = 'pending'
            waiting.message = null
          }
        }
        return
      case 'resumed':
        state.finished = false
        for (const item of Object.values(state.tasks)) {
          if (item.state === 'running' || item.state === 'failed' || item.state === 'blocked') item.state = 'pending'
        }
        return
      case 'completed':
        state.finished = true
        return
      default:
        // shard, command, acceptance and patch events are details for the report, not state.
        return
    }
  }

  return { state, apply }
}

/** The plan's tasks with every dependency before its dependents, otherwise in plan order. */
export function topologicalOrder(plan: PlanSpec): TaskSpec[] {
  const byId = new Map(plan.tasks.map((task) => [task.id, task]))
  const seen = new Set<string>()
  const order: TaskSpec[] = []
  // Iterative depth-first walk: a 500-task chain must not exhaust the stack.
  for (const root of plan.tasks) {
    if (seen.has(root.id)) continue
    seen.add(root.id)
    const stack: Array<{ task: TaskSpec; next: number }> = [{ task: root, next: 0 }]
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { task: TaskSpec; next: number }
      const depId = top.task.dependencies[top.next++]
      if (depId === undefined) {
        order.push(top.task)
        stack.pop()
        continue
      }
      const dep = byId.get(depId)
      // A cycle or an unknown id is the plan loader's to report; here it is only not followed.
      if (!dep || seen.has(depId)) continue
      seen.add(depId)
      stack.push({ task: dep, next: 0 })
    }
  }
  return order
}

/** Whether a dependency in this state lets its dependents start. A skipped task counts as done. */
export function isSatisfied(record: TaskRecord | undefined): boolean {
  return record?.state === 'completed' || record?.state === 'skipped'
}

/** Pending tasks (of the selection, if any) whose dependencies are all done, in topological order. */
export function readyTasks(state: RunState, plan: PlanSpec, selection?: Set<string>): string[] {
  return topologicalOrder(plan)
    .filter((task) => (!selection || selection.has(task.id)) && state.tasks[task.id]?.state === 'pending')
    .filter((task) => task.dependencies.every((dep) => isSatisfied(state.tasks[dep])))
    .map((task) => task.id)
}

/** Every task that depends, directly or not, on `failed`, in topological order. */
export function blockedBy(plan: PlanSpec, failed: string): string[] {
  const dependents = dependentsMap(plan)
  const reached = new Set<string>()
  const queue = [failed]
  for (let i = 0; i < queue.length; i++) {
    for (const next of dependents.get(queue[i] as string) ?? []) {
      if (reached.has(next)) continue
      reached.add(next)
      queue.push(next)
    }
  }
  return topologicalOrder(plan)
    .map((task) => task.id)
    .filter((id) => reached.has(id))
}

/** Task id → the ids of the tasks that list it as a dependency. */
export function dependentsMap(plan: PlanSpec): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const task of plan.tasks) {
    for (const dep of task.dependencies) {
      const list = map.get(dep)
      if (list) list.push(task.id)
      else map.set(dep, [task.id])
    }
  }
  return map
}

/** The selected tasks and everything they depend on (`--task <id>`). */
export function withDependencies(plan: PlanSpec, ids: Iterable<string>): Set<string> {
  const byId = new Map(plan.tasks.map((task) => [task.id, task]))
  const selected = new Set<string>()
  const queue = [...ids]
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string
    if (selected.has(id)) continue
    selected.add(id)
    queue.push(...(byId.get(id)?.dependencies ?? []))
  }
  return selected
}

function pendingRecord(): TaskRecord {
  return { state: 'pending', started_at: null, finished_at: null, duration_ms: null, message: null, attempts: 0 }
}

function elapsed(from: string | null, to: string): number | null {
  if (from === null) return null
  const ms = Date.parse(to) - Date.parse(from)
  return Number.isFinite(ms) && ms >= 0 ? ms : null
}
