// The orchestrator plan (orchestrator.yml, seed 4 "Plan Spec (v1)"): the one contract between the
// plugins that write plans (the actionizer) and the one that runs them (the orchestrator). It
// lives in the kernel because plugins never import each other. The schema accepts every plan the
// actionizer writes and what running a plan needs: `include` for plans split under tasks/,
// detailed commands (timeout, retries) and typed constraints (forbidden paths, timebox).
// `commands`, `build` and `constraints` stay open maps: the seed names only examples of their
// keys. What a schema cannot say about the task graph (unique ids, known dependencies, no cycles)
// planGraphProblems adds; both plugins call it.

import { type Static, Type } from '../schema/typebox.js'
import { type PathSegment, formatPath } from '../schema/json-path.js'
import type { Problem } from '../errors/oracle-error.js'
import { suggest } from '../schema/suggest.js'

const closed = { additionalProperties: false } as const

const Id = Type.String({ minLength: 1, pattern: '^\\S+$', description: 'Unique across the tasks and shards of the plan and its included files.' })

const Approvals = Type.Object({ required: Type.Array(Type.String({ minLength: 1 }), { description: 'Gates, e.g. apply_patch, deploy, tag.' }) }, closed)

export const Retryable = Type.Union(
  [
    Type.Boolean({ description: 'true: retried 2 times after a failure, backoff from 500 ms.' }),
    Type.Object(
      {
        attempts: Type.Integer({ minimum: 1, maximum: 10, description: 'Retries after the first failure.' }),
        backoff_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'Delay before the first retry, doubled for each next one (default 500).' })),
      },
      closed,
    ),
  ],
  { description: 'Retry the command after a failure: true, or { attempts, backoff_ms }.' },
)

export const DetailedCommand = Type.Object(
  {
    run: Type.String({ minLength: 1, description: 'The command line: split on white space into an argv (a backslash keeps a space), no shell.' }),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, description: 'Wall time of one attempt (default 600000: 10 minutes).' })),
    retryable: Type.Optional(Retryable),
  },
  closed,
)

export const Command = Type.Union([Type.String({ minLength: 1 }), DetailedCommand], {
  description: 'A command line, or { run, timeout_ms?, retryable? }.',
})

const Commands = Type.Record(Type.String(), Command, { description: 'Named commands: lint, test, build, release, …' })

const BuildCommands = Type.Record(Type.String(), Type.String(), { description: 'Default commands of the project: lint, test, build, release, …' })

export const Constraints = Type.Object(
  {
    forbidden_paths: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Globs (`**`, `*`, `?`) of paths the task must not touch.' })),
    timebox: Type.Optional(Type.String({ pattern: '^(?:\\d+(?:ms|s|m|h))+$', description: 'Wall time of the whole task, e.g. "90s", "30m", "2h", "1h30m".' })),
    timebox_ms: Type.Optional(Type.Integer({ minimum: 1, description: 'Wall time of the whole task in milliseconds (wins over timebox).' })),
  },
  { additionalProperties: true, description: 'Style, language, forbidden paths, timebox, and any other notes for the agent.' },
)

/** The seed's task types, plus `investigation` and `decision` (the actionizer writes them). */
export const TaskType = Type.Union([
  Type.Literal('code_change'),
  Type.Literal('docs'),
  Type.Literal('test'),
  Type.Literal('release'),
  Type.Literal('deploy'),
  Type.Literal('chore'),
  Type.Literal('investigation'),
  Type.Literal('decision'),
])
export type TaskType = Static<typeof TaskType>

const Acceptance = Type.Array(Type.String(), {
  description: '"Tests pass: <command>", "File exists: <path>", "Contains: <text>", "Exit code <n>: <command>", or free text (a manual check).',
})

export const PlanShard = Type.Object(
  {
    id: Id,
    title: Type.String({ minLength: 1, description: 'One line.' }),
    acceptance: Type.Optional(Acceptance),
  },
  closed,
)
export type PlanShard = Static<typeof PlanShard>

export const PlanTask = Type.Object(
  {
    id: Id,
    title: Type.String({ minLength: 1, description: 'One line.' }),
    type: TaskType,
    description: Type.String({ description: 'What to do, for the agent.' }),
    paths: Type.Optional(Type.Object({ preferred: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Files and folders to edit or create.' })) }, closed)),
    commands: Type.Optional(Commands),
    acceptance: Type.Optional(Acceptance),
    dependencies: Type.Optional(Type.Array(Id, { description: 'Ids of the tasks that must complete first.' })),
    shards: Type.Optional(Type.Array(PlanShard, { description: 'Sub-tasks, each with its own id, title and acceptance.' })),
    constraints: Type.Optional(Constraints),
    approvals: Type.Optional(Approvals),
  },
  closed,
)
export type PlanTask = Static<typeof PlanTask>

export const PLAN_SCHEMA_ID = 'https://oraclekit.dev/schemas/orchestrator-plan.schema.json'

/** orchestrator.yml, version 1. */
export const OrchestratorPlan = Type.Object(
  {
    version: Type.Literal(1, { description: 'The plan format version.' }),
    project: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          root: Type.String({ minLength: 1, description: 'The project folder, relative to the workspace.' }),
          language: Type.Optional(Type.String()),
          build: Type.Optional(BuildCommands),
        },
        closed,
      ),
    ),
    orchestrator: Type.Optional(
      Type.Object(
        {
          strategy: Type.Optional(Type.String({ description: 'e.g. conservative.' })),
          approvals: Type.Optional(Approvals),
        },
        closed,
      ),
    ),
    include: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Files or `*` globs under the plan\'s folder (e.g. tasks/*.yml), each holding { tasks: [...] }.' }),
    ),
    constraints: Type.Optional(Constraints),
    tasks: Type.Optional(Type.Array(PlanTask, { description: 'The task DAG (more may come from `include`).' })),
  },
  { ...closed, $id: PLAN_SCHEMA_ID, title: 'orchestrator.yml', description: 'An orchestrator plan (v1): a DAG of tasks with shards, acceptance checks and approvals.' },
)
export type OrchestratorPlan = Static<typeof OrchestratorPlan>

/** A file named by `include`: more tasks of the same plan. */
export const IncludedTasks = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    tasks: Type.Array(PlanTask),
  },
  { ...closed, title: 'included tasks', description: 'Tasks of an orchestrator plan kept in their own file.' },
)
export type IncludedTasks = Static<typeof IncludedTasks>

/** What the graph functions need of a task. */
export interface DagNode {
  id: string
  dependencies?: readonly string[] | undefined
}

/**
 * Each dependency cycle once, as task ids starting from the task listed first. Self-dependencies
 * are left out (validatePlan reports them on their own), and so are dependencies on unknown ids.
 */
export function findCycles(tasks: readonly DagNode[]): string[][] {
  const order = new Map<string, number>()
  tasks.forEach((task, i) => {
    if (!order.has(task.id)) order.set(task.id, i)
  })
  const deps = new Map(tasks.map((task) => [task.id, (task.dependencies ?? []).filter((d) => d !== task.id && order.has(d))] as const))
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const cycles = new Map<string, string[]>()
  const visit = (id: string): void => {
    state.set(id, 'open')
    stack.push(id)
    for (const dep of deps.get(id) ?? []) {
      if (state.get(dep) === 'open') {
        const cycle = stack.slice(stack.indexOf(dep))
        const start = cycle.reduce((best, c, k) => ((order.get(c) as number) < (order.get(cycle[best] as string) as number) ? k : best), 0)
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)]
        cycles.set(rotated.join('\u0000'), rotated)
      } else if (!state.has(dep)) visit(dep)
    }
    stack.pop()
    state.set(id, 'done')
  }
  for (const task of tasks) if (!state.has(task.id)) visit(task.id)
  return [...cycles.values()].sort((a, b) => (order.get(a[0] as string) as number) - (order.get(b[0] as string) as number))
}

/** A task of a plan with where it is: its file and its index in that file's `tasks`. */
export interface PlacedTask {
  task: PlanTask
  file: string
  index: number
}

/** A problem of a plan file at a path (`tasks[2].dependencies[0]`), with its JSON pointer for locating. */
export const problemAt = (file: string, at: PathSegment[], rule: string, message: string, hint?: string): Problem => ({
  file,
  message,
  path: formatPath(at),
  pointer: at.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
  rule,
  severity: 'error',
  ...(hint === undefined ? {} : { hint }),
})

function idProblems(placed: readonly PlacedTask[]): Problem[] {
  const problems: Problem[] = []
  const seen = new Map<string, string>()
  const claim = (id: string, file: string, at: PathSegment[]) => {
    const first = seen.get(id)
    if (first === undefined) seen.set(id, `${file} ${formatPath(at)}`)
    else problems.push(problemAt(file, at, 'duplicate_id', `duplicate id "${id}"`, `Already used at ${first}; tasks and shards share one id space.`))
  }
  for (const { task, file, index } of placed) {
    claim(task.id, file, ['tasks', index, 'id'])
    task.shards?.forEach((shard, j) => claim(shard.id, file, ['tasks', index, 'shards', j, 'id']))
  }
  return problems
}

function dependencyProblems(placed: readonly PlacedTask[]): Problem[] {
  const problems: Problem[] = []
  const taskIds = placed.map((p) => p.task.id)
  const shardOf = new Map(placed.flatMap((p) => (p.task.shards ?? []).map((s) => [s.id, p.task.id] as const)))
  for (const { task, file, index } of placed) {
    task.dependencies?.forEach((dep, j) => {
      const at = ['tasks', index, 'dependencies', j]
      if (dep === task.id) problems.push(problemAt(file, at, 'self_dependency', `task "${task.id}" depends on itself`, 'Remove it from its own dependencies.'))
      else if (shardOf.has(dep)) problems.push(problemAt(file, at, 'unknown_dependency', `task "${task.id}" depends on "${dep}", a shard of task "${shardOf.get(dep)}"`, `Depend on the task: "${shardOf.get(dep)}".`))
      else if (!taskIds.includes(dep)) {
        const near = suggest(dep, taskIds)
        problems.push(problemAt(file, at, 'unknown_dependency', `task "${task.id}" depends on "${dep}", which is not a task of this plan`, near ? `Did you mean "${near}"?` : undefined))
      }
    })
  }
  const first = new Map<string, PlacedTask>()
  for (const p of placed) if (!first.has(p.task.id)) first.set(p.task.id, p)
  for (const cycle of findCycles(placed.map((p) => p.task))) {
    const head = first.get(cycle[0] as string) as PlacedTask
    problems.push(problemAt(head.file, ['tasks', head.index, 'dependencies'], 'cycle', `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`, 'A task cannot wait, directly or through others, for itself.'))
  }
  return problems
}


/**
 * The task graph's problems across all files of a plan, in plan order per kind: duplicate ids
 * (tasks and shards share one id space), a task depending on itself, on a shard or on an id the
 * plan lacks, and each dependency cycle once (with its path).
 */
export function planGraphProblems(placed: readonly PlacedTask[]): Problem[] {
  return [...idProblems(placed), ...dependencyProblems(placed)]
}
