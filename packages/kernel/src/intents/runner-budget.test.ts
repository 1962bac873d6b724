// Budgets of the intent runner, with real worker threads and real child processes: retries with
// backoff, max jobs, max parallel, per-job and per-run wall time (and the processes they stop).
import { describe, expect, it } from 'vitest'
import { type IntentWorkspace, intentWorkspaces, job, maxOverlap } from '../_test/intent-workspace.js'
import type { RegisteredIntent } from '../plugins/types.js'
import { isAlive } from './kill-tree.js'
import { runIntents } from './runner.js'
import type { RetryBudget, RunEvent } from './types.js'

const workspace = intentWorkspaces()

function expectAllDead(ws: IntentWorkspace, id: string, count = 3): void {
  const pids = ws.pids(id)
  expect(pids, `pids of ${id}`).toHaveLength(count)
  for (const pid of pids) expect(isAlive(pid), `pid ${pid} of job ${id}`).toBe(false)
}

describe('retries of transient failures', () => {
  it.each<{ name: string; failTimes: number; retries: Partial<RetryBudget>; status: string; attempts: number; reason?: RegExp }>([
    { name: 'retried until it passes', failTimes: 2, retries: { perJob: 2, max: 10 }, status: 'ok', attempts: 3 },
    { name: 'passes at once', failTimes: 0, retries: { perJob: 2, max: 10 }, status: 'ok', attempts: 1 },
    { name: 'per-job budget exhausted', failTimes: 5, retries: { perJob: 2, max: 10 }, status: 'failed', attempts: 3, reason: /rate limit \(retry budget exhausted\)$/ },
    { name: 'no retries allowed per job', failTimes: 1, retries: { perJob: 0, max: 10 }, status: 'failed', attempts: 1 },
    { name: 'run-wide budget smaller than the per-job one', failTimes: 5, retries: { perJob: 5, max: 2 }, status: 'failed', attempts: 3 },
    { name: 'no retries allowed in the run', failTimes: 1, retries: { perJob: 5, max: 0 }, status: 'failed', attempts: 1 },
  ])('$name', async ({ failTimes, retries, status, attempts, reason }) => {
    const ws = await workspace()
    const events: RunEvent[] = []
    const result = await ws.run([job('f', 'flaky', { failTimes })], { runId: 'r', budget: { retries }, onEvent: (e) => events.push(e) })
    const [f] = result.jobs
    expect(f).toMatchObject({ status, attempts })
    if (status === 'failed') expect(f).toMatchObject({ failureKind: 'transient', reason: expect.stringMatching(reason ?? /exhausted/) })
    expect(ws.executions('f')).toBe(attempts)
    expect(result.retriesUsed).toBe(attempts - 1)
    const retryEvents = events.filter((e) => e.type === 'job_retry')
    expect(retryEvents.map((e) => e.attempt)).toEqual(Array.from({ length: attempts - 1 }, (_, i) => i + 1))
    expect(ws.jsonl('.oracle/runs/r/events.jsonl').filter((e) => e.event === 'job_retry')).toHaveLength(attempts - 1)
  })

  it('shares the run-wide budget between jobs', async () => {
    const ws = await workspace()
    const jobs = ['a', 'b', 'c'].map((id) => job(id, 'flaky', { failTimes: 10 }))
    const result = await ws.run(jobs, { budget: { maxParallel: 1, retries: { perJob: 2, max: 3 } } })
    expect(result.jobs.map((j) => [j.id, j.status, j.attempts])).toEqual([
      ['a', 'failed', 3],
      ['b', 'failed', 2],
      ['c', 'failed', 1],
    ])
    expect(result.retriesUsed).toBe(3)
  })

  it.each([
    { jitter: false, random: 0.5, delays: [40, 80, 100] },
    { jitter: true, random: 0.5, delays: [20, 40, 50] },
    { jitter: true, random: 0, delays: [0, 0, 0] },
  ])('waits exponential, capped delays (jitter $jitter, random $random → $delays)', async ({ jitter, random, delays }) => {
    const ws = await workspace()
    const { kernel } = ws
    const intents = new Map<string, RegisteredIntent>(kernel.intents.map((i) => [i.definition.name, i]))
    const deps = { rootDir: kernel.rootDir, config: kernel.config, clock: kernel.clock, logger: kernel.logger, intents, random: () => random }
    const events: RunEvent[] = []
    const result = await runIntents(deps, {
      jobs: [job('f', 'flaky', { failTimes: 3 })],
      runDir: false,
      budget: { retries: { perJob: 3, baseDelayMs: 40, factor: 2, maxDelayMs: 100, jitter } },
      onEvent: (e) => events.push(e),
    })
    expect(result.jobs[0]).toMatchObject({ status: 'ok', attempts: 4 })
    expect(events.filter((e) => e.type === 'job_retry').map((e) => e.delayMs)).toEqual(delays)
    // The job's time includes the waits.
    expect(result.jobs[0]?.durationMs).toBeGreaterThanOrEqual(delays.reduce((a, b) => a + b, 0) - 5)
  })
})

describe('maxJobs', () => {
  it('skips the jobs past the budget and stops the run as budget_exhausted', async () => {
    const ws = await workspace()
    const jobs = ['a', 'b', 'c', 'd'].map((id) => job(id, 'echo', { value: id }))
    const result = await ws.run(jobs, { runId: 'r', budget: { maxParallel: 1, maxJobs: 2 } })
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'budget_exhausted', message: 'reached its job budget (maxJobs 2)' })
    expect(result.jobs.map((j) => [j.id, j.status, j.attempts])).toEqual([
      ['a', 'ok', 1],
      ['b', 'ok', 1],
      ['c', 'skipped', 0],
      ['d', 'skipped', 0],
    ])
    expect(result.jobs[2]).toMatchObject({ reason: 'not started: reached its job budget (maxJobs 2)', evidence: [], durationMs: 0 })
    expect(ws.executions('c') + ws.executions('d')).toBe(0)
    expect(ws.json('.oracle/runs/r/run.json')).toMatchObject({
      status: 'stopped',
      stopReason: { kind: 'budget_exhausted' },
      counts: { ok: 2, failed: 0, skipped: 2, stopped: 0 },
    })
  })

  it('lets the jobs already running finish', async () => {
    const ws = await workspace()
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => job(id, 'busy', { ms: 150 }))
    const result = await ws.run(jobs, { budget: { maxParallel: 2, maxJobs: 3 } })
    expect(result.stopReason?.kind).toBe('budget_exhausted')
    expect(result.jobs.map((j) => j.status)).toEqual(['ok', 'ok', 'ok', 'skipped', 'skipped'])
  })
})

describe('maxJobs under concurrency', () => {
  it.each([
    { maxParallel: 2, maxJobs: 3, jobs: 6 },
    { maxParallel: 3, maxJobs: 3, jobs: 6 },
    { maxParallel: 3, maxJobs: 4, jobs: 5 },
    { maxParallel: 4, maxJobs: 1, jobs: 4 },
  ])('starts exactly $maxJobs of $jobs jobs at maxParallel $maxParallel, even with a slow stop condition', async ({ maxParallel, maxJobs, jobs }) => {
    const ws = await workspace()
    // An async condition that yields for a while widens the window in which lanes interleave.
    const slow = { name: 'slow', check: () => new Promise<undefined>((done) => setTimeout(() => done(undefined), 15)) }
    const result = await ws.run(
      Array.from({ length: jobs }, (_, i) => job(`j${i}`, 'busy', { ms: 40 })),
      { budget: { maxParallel, maxJobs }, stopConditions: [slow] },
    )
    expect(result.jobs.filter((j) => j.status === 'ok')).toHaveLength(maxJobs)
    expect(result.jobs.filter((j) => j.status === 'skipped')).toHaveLength(jobs - maxJobs)
    expect(result.stopReason?.kind).toBe('budget_exhausted')
  })
})

describe('maxParallel', () => {
  it.each([
    { maxParallel: 1, jobs: 4, atLeast: 1 },
    { maxParallel: 2, jobs: 6, atLeast: 2 },
    { maxParallel: 3, jobs: 6, atLeast: 2 },
  ])('runs at most $maxParallel jobs at once', async ({ maxParallel, jobs, atLeast }) => {
    const ws = await workspace()
    const ids = Array.from({ length: jobs }, (_, i) => `j${i}`)
    const result = await ws.run(
      ids.map((id) => job(id, 'busy', { ms: 250 })),
      { budget: { maxParallel } },
    )
    expect(result.status).toBe('ok')
    const spans = ids.map((id) => ws.json(`spans/${id}.json`) as { start: number; end: number })
    const most = maxOverlap(spans)
    expect(most).toBeLessThanOrEqual(maxParallel)
    expect(most).toBeGreaterThanOrEqual(atLeast)
  })
})

describe('maxJobTimeMs', () => {
  it('stops a job past its wall time, with its whole process tree, and the run goes on', async () => {
    const ws = await workspace()
    const begun = Date.now()
    const result = await ws.run([job('h', 'hang'), job('after', 'echo', { value: 'x' })], {
      budget: { maxParallel: 1, maxJobTimeMs: 2_000, retries: { perJob: 3 } },
    })
    const h = result.jobs[0]
    expect(h).toMatchObject({ status: 'stopped', attempts: 1, failureKind: 'timeout', reason: 'exceeded its wall-time budget (maxJobTimeMs 2000)' })
    expect(h?.durationMs).toBeGreaterThanOrEqual(1_950)
    expect(Date.now() - begun).toBeLessThan(10_000)
    // The shell, its child, and the grandchild that left the process group: every pid is gone.
    expectAllDead(ws, 'h')
    expect(ws.executions('h')).toBe(1) // a timeout is not retried
    expect(result.jobs[1]).toMatchObject({ id: 'after', status: 'ok' })
    // Stopped jobs do not stop the run, but the run is not ok either.
    expect(result.status).toBe('failed')
    expect(result.stopReason).toBeUndefined()
  })

  it('stops a CPU-bound intent that never yields', async () => {
    const ws = await workspace()
    const begun = Date.now()
    const result = await ws.run([job('spin', 'spin'), job('after', 'echo', { value: 'x' })], { budget: { maxParallel: 1, maxJobTimeMs: 1_500 } })
    expect(result.jobs[0]).toMatchObject({ status: 'stopped', failureKind: 'timeout' })
    expect(result.jobs[1]).toMatchObject({ status: 'ok' })
    expect(Date.now() - begun).toBeLessThan(10_000)
  })
})

describe('maxRunTimeMs', () => {
  it('stops the run, its running jobs and their processes, and skips the rest', async () => {
    const ws = await workspace()
    const begun = Date.now()
    const result = await ws.run([job('h1', 'hang'), job('h2', 'hang'), job('h3', 'hang')], {
      runId: 'r',
      budget: { maxParallel: 2, maxRunTimeMs: 2_500 },
    })
    const elapsed = Date.now() - begun
    expect(elapsed).toBeGreaterThanOrEqual(2_450)
    expect(elapsed).toBeLessThan(10_000)
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'run_timeout', message: 'run exceeded its wall-time budget (maxRunTimeMs 2500)' })
    expect(result.jobs.map((j) => [j.id, j.status, j.failureKind])).toEqual([
      ['h1', 'stopped', 'stopped'],
      ['h2', 'stopped', 'stopped'],
      ['h3', 'skipped', undefined],
    ])
    expectAllDead(ws, 'h1')
    expectAllDead(ws, 'h2')
    expect(ws.executions('h3')).toBe(0)
    expect(ws.json('.oracle/runs/r/run.json')).toMatchObject({ status: 'stopped', stopReason: { kind: 'run_timeout' }, counts: { stopped: 2, skipped: 1 } })
  })
})
