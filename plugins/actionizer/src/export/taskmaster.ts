// taskmaster.json: the tasks in claude-task-master's tagged tasks.json form, under `master`.
// Ids are numbers 1..N in task order (they pass the AI-facing zod schema; tm-core reads them too),
// every required field is filled ("" or [] rather than absent), and our provenance sits in the
// user-owned `metadata`, which Task Master never overwrites.

import { type Static, Type, stableStringify } from '@oraclekit/kernel'
import type { ActionTask, ExportContext, TaskStatus } from '../types.js'
import { type TaskKind, exportedDependencies, exportedTasks, isFilePath, oneLine, plainDetails, statusNote, taskKind, taskTitle, truncate } from './text.js'


/** The statuses the strict zod schema accepts (tm-core's own type adds `review` and `completed`). */
export const TaskmasterStatus = Type.Union([Type.Literal('pending'), Type.Literal('in-progress'), Type.Literal('blocked'), Type.Literal('done'), Type.Literal('cancelled'), Type.Literal('deferred')])
export type TaskmasterStatus = Static<typeof TaskmasterStatus>
export const TaskmasterPriority = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Literal('critical')])
/** tm-core's TaskCategory. */
export const TaskmasterCategory = Type.Union([Type.Literal('research'), Type.Literal('design'), Type.Literal('development'), Type.Literal('testing'), Type.Literal('documentation'), Type.Literal('review')])
export type TaskmasterCategory = Static<typeof TaskmasterCategory>

export const TaskmasterSubtask = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 5, maxLength: 200 }),
    description: Type.String({ minLength: 10 }),
    details: Type.String({ minLength: 20 }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('completed')]),
    dependencies: Type.Array(Type.Integer()),
    testStrategy: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
)

export const TaskmasterRelevantFile = Type.Object(
  { path: Type.String({ minLength: 1 }), description: Type.String(), action: Type.Union([Type.Literal('create'), Type.Literal('modify'), Type.Literal('reference')]) },
  { additionalProperties: false },
)

/** Where a Task Master task came from (in the task's user-owned `metadata.oraclekit`). */
export const TaskmasterProvenance = Type.Object(
  { task_id: Type.String(), pack_id: Type.String(), step_id: Type.String(), status: Type.String(), category: Type.String() },
  { additionalProperties: false },
)

/** A task as both tm-core's `Task` type and the AI-facing zod schema accept it. */
export const TaskmasterTask = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ minLength: 1 }),
    status: TaskmasterStatus,
    priority: TaskmasterPriority,
    dependencies: Type.Array(Type.Union([Type.Integer(), Type.String()])),
    details: Type.String(),
    testStrategy: Type.String(),
    subtasks: Type.Array(TaskmasterSubtask),
    acceptanceCriteria: Type.Optional(Type.Array(Type.String())),
    relevantFiles: Type.Optional(Type.Array(TaskmasterRelevantFile)),
    category: Type.Optional(TaskmasterCategory),
    metadata: Type.Optional(Type.Object({ oraclekit: Type.Optional(TaskmasterProvenance) }, { additionalProperties: true })),
  },
  { additionalProperties: false },
)
export type TaskmasterTask = Static<typeof TaskmasterTask>

export const TaskmasterTag = Type.Object(
  {
    tasks: Type.Array(TaskmasterTask),
    metadata: Type.Object({ created: Type.String(), updated: Type.String(), description: Type.String() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)

/** taskmaster.json: Task Master's tagged tasks.json with one tag, `master`. */
export const TaskmasterFile = Type.Object(
  { master: TaskmasterTag },
  { additionalProperties: TaskmasterTag, title: 'taskmaster.json', description: "claude-task-master's tagged .taskmaster/tasks/tasks.json." },
)
export type TaskmasterFile = Static<typeof TaskmasterFile>

/** Our status → Task Master's. A conflict stays `pending` (visible to `task-master next`); its details open with the conflict. */
export const TASKMASTER_STATUS: Record<Exclude<TaskStatus, 'noop'>, TaskmasterStatus> = { actionable: 'pending', blocked: 'blocked', conflict: 'pending' }

/** The kind of work → tm-core's TaskCategory (the pack's own category is kept in metadata). */
export const TASKMASTER_CATEGORY: Record<TaskKind, TaskmasterCategory> = { code_change: 'development', docs: 'documentation', investigation: 'research', decision: 'design' }

/** The text of taskmaster.json. */
export function taskmasterJson(tasks: ActionTask[], ctx: ExportContext): string {
  return stableStringify(taskmasterFile(tasks, ctx))
}

/** The taskmaster.json document; `created` and `updated` are the run's created_at. */
export function taskmasterFile(tasks: ActionTask[], ctx: ExportContext): TaskmasterFile {
  const exported = exportedTasks(tasks)
  const numbers = new Map<string, number>()
  exported.forEach((task, i) => {
    if (!numbers.has(task.task_id)) numbers.set(task.task_id, i + 1)
  })
  const ids = new Set(numbers.keys())
  const description = `Tasks from oraclepack run ${ctx.pack_id} (${ctx.pack_path}), exported by OracleKit actionizer.`
  return {
    master: {
      tasks: exported.map((task, i) => toTask(task, i + 1, exportedDependencies(task, ids).map((id) => numbers.get(id) as number), ctx)),
      metadata: { created: ctx.created_at, updated: ctx.created_at, description },
    },
  }
}

function toTask(task: ActionTask, id: number, dependencies: number[], ctx: ExportContext): TaskmasterTask {
  const title = taskTitle(task)
  const note = statusNote(task)
  const kind = taskKind(task)
  const files = task.evidence.paths.filter(isFilePath)
  const out: TaskmasterTask = {
    id,
    title: truncate(title, 200),
    description: note ? `${title} — ${note.label}: ${note.text}` : title,
    status: TASKMASTER_STATUS[task.status as Exclude<TaskStatus, 'noop'>],
    priority: task.priority,
    dependencies: dependencies.sort((a, b) => a - b),
    details: plainDetails(task, ctx),
    testStrategy: task.acceptance.length > 0 ? ['Acceptance criteria:', ...task.acceptance.map((a) => `- ${oneLine(a)}`)].join('\n') : '',
    subtasks: task.actions.length >= 2 ? task.actions.map((action, i) => toSubtask(action, i + 1, task.actions.length, title)) : [],
    category: TASKMASTER_CATEGORY[kind],
    metadata: { oraclekit: { task_id: task.task_id, pack_id: task.pack_id, step_id: task.step_id, status: task.status, category: task.category } },
  }
  if (task.acceptance.length > 0) out.acceptanceCriteria = task.acceptance.map(oneLine)
  if (files.length > 0) {
    // Blocked and conflict tasks are not yet changes: their files are read, not edited.
    const action = kind === 'code_change' || kind === 'docs' ? 'modify' : 'reference'
    out.relevantFiles = files.map((path) => ({ path, description: `Named as evidence in the answer to step ${task.step_id}.`, action }))
  }
  return out
}

function toSubtask(action: string, n: number, count: number, taskTitleText: string): Static<typeof TaskmasterSubtask> {
  const text = oneLine(action)
  const title = [...text].length >= 5 ? truncate(text, 200) : text ? `Action ${n}: ${text}` : `Action ${n}`
  const description = [...text].length >= 10 ? text : `${text || `Action ${n}`} (action ${n} of ${count})`
  return {
    id: n,
    title,
    description,
    details: `Action ${n} of ${count} for "${taskTitleText}": ${text}`,
    status: 'pending',
    dependencies: [],
  }
}
