// The orchestrator plan (orchestrator.yml, seed 4 "Plan Spec (v1)"). It accepts every plan the
// actionizer writes (same keys, same closed objects) and adds what running a plan needs: `include`
// for plans split under tasks/, detailed commands (timeout, retries) and typed constraints
// (forbidden paths, timebox). `commands`, `build` and `constraints` stay open maps: the seed names
// only examples of their keys. What a schema cannot say (unique ids, known dependencies, no cycles,
// acceptance strings) plan/validate.ts adds.

import { type Static, Type } from '@oraclekit/kernel'

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
