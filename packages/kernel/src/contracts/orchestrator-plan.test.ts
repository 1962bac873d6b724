import { describe, expect, it } from 'vitest'
import { checkValue } from '../schema/validate.js'
import { OrchestratorPlan, type PlanTask, findCycles, planGraphProblems } from './orchestrator-plan.js'

const task = (id: string, dependencies: string[] = [], shards: string[] = []): PlanTask => ({
  id,
  title: id,
  type: 'chore',
  description: '',
  dependencies,
  ...(shards.length > 0 ? { shards: shards.map((s) => ({ id: s, title: s })) } : {}),
})
const placed = (...tasks: PlanTask[]) => tasks.map((t, index) => ({ task: t, file: 'orchestrator.yml', index }))

describe('the orchestrator plan contract', () => {
  it.each<[string, PlanTask[], Array<[string, string, string]>]>([
    ['a fine DAG', [task('A'), task('B', ['A']), task('C', ['A', 'B'])], []],
    ['a duplicate id', [task('A'), task('A')], [['duplicate_id', 'tasks[1].id', 'duplicate id "A"']]],
    ['a shard id taken by a task', [task('A', [], ['B']), task('B')], [['duplicate_id', 'tasks[1].id', 'duplicate id "B"']]],
    ['a self dependency', [task('A', ['A'])], [['self_dependency', 'tasks[0].dependencies[0]', 'task "A" depends on itself']]],
    ['a dependency on a shard', [task('A', [], ['A1']), task('B', ['A1'])], [['unknown_dependency', 'tasks[1].dependencies[0]', 'task "B" depends on "A1", a shard of task "A"']]],
    ['an unknown dependency', [task('build'), task('B', ['biuld'])], [['unknown_dependency', 'tasks[1].dependencies[0]', 'task "B" depends on "biuld", which is not a task of this plan']]],
    ['a cycle of three, reported from the first task listed', [task('A', ['C']), task('B', ['A']), task('C', ['B'])], [['cycle', 'tasks[0].dependencies', 'dependency cycle: A → C → B → A']]],
  ])('%s', (_name, tasks, expected) => {
    expect(planGraphProblems(placed(...tasks)).map((p) => [p.rule, p.path, p.message])).toEqual(expected)
  })

  it('suggests the id meant', () => {
    expect(planGraphProblems(placed(task('build'), task('B', ['biuld'])))[0]?.hint).toBe('Did you mean "build"?')
  })

  it('finds each cycle once, in plan order', () => {
    expect(findCycles([task('A', ['B']), task('B', ['A']), task('C', ['D']), task('D', ['C'])])).toEqual([
      ['A', 'B'],
      ['C', 'D'],
    ])
  })

  it('is a closed schema of version 1', () => {
    expect(checkValue(OrchestratorPlan, { version: 1, tasks: [task('A')] }).ok).toBe(true)
    expect(checkValue(OrchestratorPlan, { version: 2 }).problems.map((p) => p.path)).toContain('version')
    expect(checkValue(OrchestratorPlan, { version: 1, owner: 'me' }).problems.map((p) => p.path)).toContain('owner')
  })
})
