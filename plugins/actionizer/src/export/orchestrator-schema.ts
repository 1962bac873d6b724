// The orchestrator plan (orchestrator.yml, seed 4 "Plan Spec (v1)"): the contract between the
// actionizer, which writes plans, and the orchestrator, which validates and runs them. Objects whose
// keys the seed lists are closed (additionalProperties false); `commands`, `build` and
// `constraints` are open maps because the seed names only examples of their keys. What a schema
// cannot say (unique ids, dependencies that exist, no cycles) checkPlan adds.

import { type PathSegment, type Problem, type Static, Type, checkValue, formatPath } from '@oraclekit/kernel'

const closed = { additionalProperties: false } as const
const Id = Type.String({ minLength: 1, pattern: '^\\S+$', description: 'Unique across the tasks and shards of a plan.' })
const Commands = Type.Record(Type.String(), Type.String(), { description: 'Named commands: lint, test, build, release, …' })
const Approvals = Type.Object({ required: Type.Array(Type.String(), { description: 'Gates, e.g. apply_patch, deploy, tag.' }) }, closed)

/** The seed's task types, plus `investigation` and `decision` for blocked and conflicting findings. */
export const OrchestratorTaskType = Type.Union([Type.Literal('code_change'), Type.Literal('docs'), Type.Literal('test'), Type.Literal('release'), Type.Literal('deploy'), Type.Literal('chore'), Type.Literal('investigation'), Type.Literal('decision')])
export type OrchestratorTaskType = Static<typeof OrchestratorTaskType>

export const OrchestratorShard = Type.Object({ id: Id, title: Type.String({ minLength: 1 }), acceptance: Type.Optional(Type.Array(Type.String())) }, closed)
export type OrchestratorShard = Static<typeof OrchestratorShard>

export const OrchestratorTask = Type.Object(
  {
    id: Id,
    title: Type.String({ minLength: 1 }),
    type: OrchestratorTaskType,
    description: Type.String(),
    paths: Type.Optional(Type.Object({ preferred: Type.Optional(Type.Array(Type.String({ minLength: 1 }))) }, closed)),
    commands: Type.Optional(Commands),
    acceptance: Type.Optional(Type.Array(Type.String(), { description: '"File exists: <path>", "Contains: <text>", "Tests pass: <command>" or free text.' })),
    dependencies: Type.Optional(Type.Array(Id)),
    shards: Type.Optional(Type.Array(OrchestratorShard)),
    constraints: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Style, language, forbidden paths, timebox.' })),
    approvals: Type.Optional(Approvals),
  },
  closed,
)
export type OrchestratorTask = Static<typeof OrchestratorTask>

/** orchestrator.yml, version 1. */
export const OrchestratorPlan = Type.Object(
  {
    version: Type.Literal(1),
    project: Type.Optional(
      Type.Object({ name: Type.String({ minLength: 1 }), root: Type.String({ minLength: 1 }), language: Type.Optional(Type.String()), build: Type.Optional(Commands) }, closed),
    ),
    orchestrator: Type.Optional(Type.Object({ strategy: Type.Optional(Type.String()), approvals: Type.Optional(Approvals) }, closed)),
    tasks: Type.Array(OrchestratorTask),
  },
  { ...closed, title: 'orchestrator.yml', description: 'An orchestrator plan (v1): a DAG of tasks with shards, acceptance checks and approvals.' },
)
export type OrchestratorPlan = Static<typeof OrchestratorPlan>

/**
 * Every problem of a plan at once: the schema's, then (for a plan the schema accepts) duplicate
 * ids, dependencies on tasks the plan lacks, and dependency cycles. Empty when the plan can run.
 */
export function checkPlan(plan: unknown): Problem[] {
  const checked = checkValue<OrchestratorPlan>(OrchestratorPlan, plan)
  if (!checked.ok) return checked.problems
  const tasks = (plan as OrchestratorPlan).tasks
  const problems: Problem[] = []
  const problem = (rule: string, message: string, at: PathSegment[], hint?: string) =>
    problems.push({ message, path: formatPath(at), pointer: at.map((s) => `/${s}`).join(''), rule, severity: 'error', ...(hint ? { hint } : {}) })

  const seen = new Map<string, string>()
  const claim = (id: string, at: PathSegment[]) => {
    const first = seen.get(id)
    if (first === undefined) seen.set(id, formatPath(at))
    else problem('unique', `duplicate id "${id}"`, at, `Already used at ${first}.`)
  }
  tasks.forEach((task, i) => {
    claim(task.id, ['tasks', i, 'id'])
    task.shards?.forEach((shard, j) => claim(shard.id, ['tasks', i, 'shards', j, 'id']))
  })

  const byId = new Map(tasks.map((task) => [task.id, task] as const))
  tasks.forEach((task, i) =>
    task.dependencies?.forEach((dep, j) => {
      if (!byId.has(dep)) problem('dependency', `task "${task.id}" depends on "${dep}", which is not a task of this plan`, ['tasks', i, 'dependencies', j])
    }),
  )
  for (const cycle of findCycles(tasks)) {
    const at = tasks.findIndex((task) => task.id === cycle[0])
    problem('cycle', `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`, ['tasks', at, 'dependencies'], 'A task cannot wait, directly or through others, for itself.')
  }
  return problems
}

/** Each cycle once, as task ids starting from the one listed first in the plan. */
function findCycles(tasks: readonly OrchestratorTask[]): string[][] {
  const order = new Map(tasks.map((task, i) => [task.id, i] as const))
  const deps = new Map(tasks.map((task) => [task.id, (task.dependencies ?? []).filter((d) => order.has(d))] as const))
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
  return [...cycles.values()]
}
