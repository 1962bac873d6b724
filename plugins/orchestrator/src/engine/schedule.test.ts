import { describe, expect, it } from 'vitest'
import type { PlanSpec, RunEvent, TaskSpec } from '../types.js'
import { CHAIN, DIAMOND, FAN_OUT, planOf } from './_fixtures/plans.js'
import { type TaskOutcome, runDag } from './schedule.js'
import { reduce } from './state.js'

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1))

/** Runs a plan with a fake runTask that records starts, finishes and the most at once. */
async function run(plan: PlanSpec, parallel: number, outcomes: Record<string, TaskOutcome> = {}, extra: { selection?: Set<string>; events?: RunEvent[] } = {}) {
  const events: RunEvent[] = []
  const started: string[] = []
  const finished: string[] = []
  let inFlight = 0
  let peak = 0
  let clock = 0
  const result = await runDag({
    plan,
    parallel,
    ...(extra.selection ? { selection: extra.selection } : {}),
    ...(extra.events ? { state: reduce(extra.events, plan) } : {}),
    now: () => new Date(Date.UTC(2026, 10, 22) + clock++ * 1000).toISOString(),
    log: (event) => events.push(event),
    runTask: async (task: TaskSpec) => {
      started.push(task.id)
      peak = Math.max(peak, ++inFlight)
      await tick()
      inFlight--
      finished.push(task.id)
      return outcomes[task.id] ?? 'completed'
    },
  })
  return { ...result, events, started, finished, peak }
}

/** Every task starts after all its dependencies finished. */
function expectDependencyOrder(plan: PlanSpec, started: string[], finished: string[]) {
  for (const task of plan.tasks) {
    if (!started.includes(task.id)) continue
    for (const dep of task.dependencies) expect(finished.indexOf(dep), `${dep} before ${task.id}`).toBeLessThan(started.indexOf(task.id))
  }
}

describe('runDag', () => {
  it.each([
    { name: 'chain', graph: CHAIN, parallel: 4, peak: 1 },
    { name: 'fan-out, parallel 2', graph: FAN_OUT, parallel: 2, peak: 2 },
    { name: 'fan-out, parallel 8', graph: FAN_OUT, parallel: 8, peak: 3 },
    { name: 'diamond, parallel 1', graph: DIAMOND, parallel: 1, peak: 1 },
    { name: 'diamond, parallel 2', graph: DIAMOND, parallel: 2, peak: 2 },
  ])('runs a $name in dependency order, at most `parallel` at once', async ({ graph, parallel, peak }) => {
    const plan = planOf(graph)
    const result = await run(plan, parallel)
    expect(result.status).toBe('completed')
    expect([...result.started].sort()).toEqual(Object.keys(graph).sort())
    expectDependencyOrder(plan, result.started, result.finished)
    expect(result.peak).toBe(peak)
    expect(result.events.at(-1)?.type).toBe('completed')
    expect(result.state.finished).toBe(true)
    expect(reduce(result.events, plan)).toEqual(result.state)
  })

  it('starts ready tasks in plan order', async () => {
    const result = await run(planOf(FAN_OUT), 1)
    expect(result.started).toEqual(['root', 'x', 'y', 'z'])
  })

  it.each([
    { name: 'chain: a fails', graph: CHAIN, fail: 'a', ran: ['a'], blocked: ['b', 'c'] },
    { name: 'fan-out: x fails, y and z go on', graph: FAN_OUT, fail: 'x', ran: ['root', 'x', 'y', 'z'], blocked: [] },
    { name: 'diamond: left fails, right goes on, bottom blocked', graph: DIAMOND, fail: 'left', ran: ['top', 'left', 'right'], blocked: ['bottom'] },
  ])('a failure blocks only its dependents ($name)', async ({ graph, fail, ran, blocked }) => {
    const plan = planOf(graph)
    const result = await run(plan, 2, { [fail]: 'failed' })
    expect(result.status).toBe('failed')
    expect([...result.started].sort()).toEqual([...ran].sort())
    expect(result.events.filter((e) => e.type === 'blocked').map((e) => e.task)).toEqual(blocked)
    expect(result.state.tasks[fail]?.state).toBe('failed')
    for (const id of blocked) expect(result.state.tasks[id]).toMatchObject({ state: 'blocked', message: `blocked by ${fail}` })
    expect(result.events.some((e) => e.type === 'completed')).toBe(false)
  })

  it('a thrown error is a failure with its message', async () => {
    const plan = planOf(CHAIN)
    const result = await runDag({
      plan,
      parallel: 1,
      now: () => '2026-11-22T00:00:00.000Z',
      log: () => {},
      runTask: async (task) => {
        if (task.id === 'b') throw new Error('boom')
        return 'completed'
      },
    })
    expect(result.status).toBe('failed')
    expect(result.state.tasks.b).toMatchObject({ state: 'failed', message: 'boom' })
    expect(result.state.tasks.c?.state).toBe('blocked')
  })

  it('awaiting flow: a gated task is not started, the rest goes on, approval lets the next run finish', async () => {
    const plan = planOf({ build: [], deploy: ['build'], docs: [], announce: ['deploy'] }, { deploy: { approvals: ['deploy'] } })
    const first = await run(plan, 2)
    expect(first.status).toBe('awaiting_approval')
    expect(first.started.sort()).toEqual(['build', 'docs'])
    expect(first.state.tasks.deploy?.state).toBe('awaiting_approval')
    expect(first.state.tasks.announce?.state).toBe('pending')
    expect(first.state.awaiting).toEqual(['deploy'])

    // Running again before the approval logs nothing new and starts nothing.
    const again = await run(plan, 2, {}, { events: first.events })
    expect(again.status).toBe('awaiting_approval')
    expect(again.events).toEqual([])

    const approved: RunEvent[] = [...first.events, { ts: '2026-11-22T01:00:00.000Z', type: 'approved', gate: 'deploy', by: 'ana' }, { ts: '2026-11-22T01:00:01.000Z', type: 'resumed' }]
    const second = await run(plan, 2, {}, { events: approved })
    expect(second.status).toBe('completed')
    expect(second.started).toEqual(['deploy', 'announce'])
  })

  it('a task may ask for a gate while running', async () => {
    const plan = planOf(CHAIN)
    const result = await run(plan, 1, { b: { awaiting: 'apply_patch' } })
    expect(result.status).toBe('awaiting_approval')
    expect(result.state.tasks.b?.state).toBe('awaiting_approval')
    expect(result.state.tasks.c?.state).toBe('pending')
    expect(result.state.awaiting).toEqual(['apply_patch'])
  })

  it('resume after a kill redoes the task that was running, not the completed ones', async () => {
    const plan = planOf(CHAIN)
    const killed: RunEvent[] = [
      { ts: '2026-11-22T00:00:00.000Z', type: 'task_started', task: 'a' },
      { ts: '2026-11-22T00:00:01.000Z', type: 'task_completed', task: 'a' },
      { ts: '2026-11-22T00:00:02.000Z', type: 'task_started', task: 'b' },
      { ts: '2026-11-22T00:05:00.000Z', type: 'resumed' },
    ]
    const result = await run(plan, 2, {}, { events: killed })
    expect(result.status).toBe('completed')
    expect(result.started).toEqual(['b', 'c'])
    expect(result.state.tasks.b?.attempts).toBe(2)
    expect(result.events[0]).toMatchObject({ type: 'task_started', task: 'b', attempt: 2 })
  })

  it('runs only the selection', async () => {
    const result = await run(planOf(DIAMOND), 2, {}, { selection: new Set(['top', 'left']) })
    expect(result.status).toBe('completed')
    expect(result.started).toEqual(['top', 'left'])
    expect(result.state.tasks.bottom?.state).toBe('pending')
  })

  it('does not change the state it is given', async () => {
    const plan = planOf(CHAIN)
    const state = reduce([], plan)
    const copy = structuredClone(state)
    await runDag({ plan, parallel: 1, state, now: () => 'x', log: () => {}, runTask: async () => 'completed' })
    expect(state).toEqual(copy)
  })

  it.each([
    { name: 'independent', graph: (i: number): string[] => (i < 0 ? [] : []) },
    { name: 'chain', graph: (i: number) => (i === 0 ? [] : [`t${i - 1}`]) },
    { name: 'layers of 50', graph: (i: number) => (i < 50 ? [] : Array.from({ length: 5 }, (_, k) => `t${(Math.floor(i / 50) - 1) * 50 + ((i + k) % 50)}`)) },
  ])('schedules 500 instant tasks ($name) in well under 2 ms a task', async ({ graph }) => {
    const shape: Record<string, string[]> = {}
    for (let i = 0; i < 500; i++) shape[`t${i}`] = graph(i)
    const plan = planOf(shape)
    let events = 0
    const begin = performance.now()
    const result = await runDag({ plan, parallel: 8, now: () => new Date().toISOString(), log: () => events++, runTask: async () => 'completed' })
    const perTask = (performance.now() - begin) / 500
    expect(result.status).toBe('completed')
    expect(events).toBe(1001)
    expect(perTask).toBeLessThan(2)
  })
})
