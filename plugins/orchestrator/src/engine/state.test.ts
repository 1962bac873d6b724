import { describe, expect, it } from 'vitest'
import type { RunEvent, TaskState } from '../types.js'
import { CHAIN, DIAMOND, FAN_OUT, at, planOf } from './_fixtures/plans.js'
import { blockedBy, readyTasks, reduce, topologicalOrder, withDependencies } from './state.js'

const states = (events: RunEvent[], graph: Record<string, string[]>, extra = {}) => {
  const state = reduce(events, planOf(graph, extra))
  return Object.fromEntries(Object.entries(state.tasks).map(([id, record]) => [id, record.state]))
}

describe('reduce', () => {
  const cases: Array<{ name: string; events: RunEvent[]; expected: Record<string, TaskState> }> = [
    { name: 'no events: all pending', events: [], expected: { a: 'pending', b: 'pending', c: 'pending' } },
    {
      name: 'start, complete, start',
      events: [at(0, { type: 'task_started', task: 'a' }), at(1, { type: 'task_completed', task: 'a' }), at(2, { type: 'task_started', task: 'b' })],
      expected: { a: 'completed', b: 'running', c: 'pending' },
    },
    {
      name: 'failure and blocked',
      events: [at(0, { type: 'task_started', task: 'a' }), at(1, { type: 'task_failed', task: 'a' }), at(1, { type: 'blocked', task: 'b' }), at(1, { type: 'blocked', task: 'c' })],
      expected: { a: 'failed', b: 'blocked', c: 'blocked' },
    },
    {
      name: 'resume after a kill: running goes back to pending',
      events: [at(0, { type: 'task_started', task: 'a' }), at(1, { type: 'task_completed', task: 'a' }), at(2, { type: 'task_started', task: 'b' }), at(9, { type: 'resumed' })],
      expected: { a: 'completed', b: 'pending', c: 'pending' },
    },
    {
      name: 'resume after a failure: failed and blocked go back to pending',
      events: [at(0, { type: 'task_started', task: 'a' }), at(1, { type: 'task_failed', task: 'a' }), at(1, { type: 'blocked', task: 'b' }), at(5, { type: 'resumed' })],
      expected: { a: 'pending', b: 'pending', c: 'pending' },
    },
    { name: 'skipped', events: [at(0, { type: 'skipped', task: 'c', message: 'not needed' })], expected: { a: 'pending', b: 'pending', c: 'skipped' } },
    { name: 'unknown tasks are ignored', events: [at(0, { type: 'task_started', task: 'zz' })], expected: { a: 'pending', b: 'pending', c: 'pending' } },
  ]
  it.each(cases)('$name', ({ events, expected }) => {
    expect(states(events, CHAIN)).toEqual(expected)
  })

  it('counts attempts and takes durations from the timestamps', () => {
    const state = reduce(
      [
        at(0, { type: 'task_started', task: 'a' }),
        at(3, { type: 'task_failed', task: 'a', message: 'exit 1' }),
        at(4, { type: 'resumed' }),
        at(5, { type: 'task_started', task: 'a' }),
        at(7.5, { type: 'task_completed', task: 'a' }),
        at(8, { type: 'task_started', task: 'b' }),
        at(9, { type: 'task_completed', task: 'b', duration_ms: 42 }),
        at(10, { type: 'completed' }),
      ],
      planOf(CHAIN),
    )
    expect(state.tasks.a).toEqual({ state: 'completed', started_at: '2026-11-22T03:15:05.000Z', finished_at: '2026-11-22T03:15:07.500Z', duration_ms: 2500, message: null, attempts: 2 })
    expect(state.tasks.b?.duration_ms).toBe(42)
    expect(state.finished).toBe(true)
  })

  it('records the plan hash from plan_validated', () => {
    expect(reduce([], planOf(CHAIN)).plan_hash).toBeNull()
    expect(reduce([at(0, { type: 'plan_validated', message: 'abc' })], planOf(CHAIN)).plan_hash).toBe('abc')
  })

  it('approval flow: awaiting, one gate approved, the last gate approved', () => {
    const plan = planOf(CHAIN, { b: { approvals: ['apply_patch', 'deploy'] } })
    const events = [
      at(0, { type: 'task_started', task: 'a' }),
      at(1, { type: 'task_completed', task: 'a' }),
      at(1, { type: 'awaiting_approval', task: 'b', gate: 'deploy' }),
      at(1, { type: 'awaiting_approval', task: 'b', gate: 'apply_patch' }),
    ]
    const waiting = reduce(events, plan)
    expect(waiting.tasks.b?.state).toBe('awaiting_approval')
    expect(waiting.awaiting).toEqual(['apply_patch', 'deploy'])

    const one = reduce([...events, at(60, { type: 'approved', gate: 'deploy', by: 'ana' })], plan)
    expect(one.tasks.b?.state).toBe('awaiting_approval')
    expect(one.awaiting).toEqual(['apply_patch'])
    expect(one.approved).toEqual({ deploy: { by: 'ana', at: '2026-11-22T03:16:00.000Z' } })

    const both = reduce([...events, at(60, { type: 'approved', gate: 'deploy', by: 'ana' }), at(61, { type: 'approved', gate: 'apply_patch', by: 'bo' })], plan)
    expect(both.tasks.b?.state).toBe('pending')
    expect(both.awaiting).toEqual([])
    expect(readyTasks(both, plan)).toEqual(['b'])
  })

  it('a gate asked for while running (not in the plan) holds the task until approved', () => {
    const plan = planOf({ a: [], b: [] })
    const events = [at(0, { type: 'task_started', task: 'a' }), at(1, { type: 'awaiting_approval', task: 'a', gate: 'tag' }), at(1, { type: 'awaiting_approval', task: 'b', gate: 'deploy' })]
    const other = reduce([...events, at(2, { type: 'approved', gate: 'deploy', by: 'x' })], plan)
    expect(other.tasks.a?.state).toBe('awaiting_approval')
    expect(other.tasks.b?.state).toBe('pending')
    const mine = reduce([...events, at(2, { type: 'approved', gate: 'tag', by: 'x' })], plan)
    expect(mine.tasks.a?.state).toBe('pending')
    expect(mine.tasks.a?.attempts).toBe(1)
  })
})

describe('readyTasks and blockedBy', () => {
  const done = (...ids: string[]) => ids.map((task, i) => at(i, { type: 'task_completed', task }))
  const cases = [
    { name: 'chain, nothing done', graph: CHAIN, events: [], ready: ['a'] },
    { name: 'chain, a done', graph: CHAIN, events: done('a'), ready: ['b'] },
    { name: 'fan-out, root done', graph: FAN_OUT, events: done('root'), ready: ['x', 'y', 'z'] },
    { name: 'diamond, one side done', graph: DIAMOND, events: done('top', 'left'), ready: ['right'] },
    { name: 'diamond, both sides done', graph: DIAMOND, events: done('top', 'left', 'right'), ready: ['bottom'] },
    { name: 'diamond, a running task is not ready', graph: DIAMOND, events: [...done('top'), at(9, { type: 'task_started', task: 'left' })], ready: ['right'] },
  ]
  it.each(cases)('readyTasks: $name', ({ graph, events, ready }) => {
    const plan = planOf(graph)
    expect(readyTasks(reduce(events, plan), plan)).toEqual(ready)
  })

  it('readyTasks keeps to the selection', () => {
    const plan = planOf(FAN_OUT)
    const state = reduce(done('root'), plan)
    expect(readyTasks(state, plan, new Set(['root', 'y']))).toEqual(['y'])
  })

  it.each([
    { graph: CHAIN, failed: 'a', blocked: ['b', 'c'] },
    { graph: CHAIN, failed: 'c', blocked: [] },
    { graph: FAN_OUT, failed: 'root', blocked: ['x', 'y', 'z'] },
    { graph: FAN_OUT, failed: 'x', blocked: [] },
    { graph: DIAMOND, failed: 'left', blocked: ['bottom'] },
    { graph: DIAMOND, failed: 'top', blocked: ['left', 'right', 'bottom'] },
  ])('blockedBy($failed)', ({ graph, failed, blocked }) => {
    expect(blockedBy(planOf(graph), failed)).toEqual(blocked)
  })

  it('orders dependencies first whatever the plan order, and selects dependencies', () => {
    const plan = planOf({ bottom: ['left', 'right'], right: ['top'], left: ['top'], top: [] })
    expect(topologicalOrder(plan).map((t) => t.id)).toEqual(['top', 'left', 'right', 'bottom'])
    expect([...withDependencies(plan, ['left'])].sort()).toEqual(['left', 'top'])
  })

  it('walks a 5000-task chain without recursion', () => {
    const graph: Record<string, string[]> = {}
    for (let i = 0; i < 5000; i++) graph[`t${i}`] = i === 0 ? [] : [`t${i - 1}`]
    const reversed = Object.fromEntries(Object.entries(graph).reverse())
    expect(topologicalOrder(planOf(reversed))[0]?.id).toBe('t0')
  })
})
