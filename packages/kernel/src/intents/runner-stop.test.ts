// Stop conditions of the intent runner: the kill-switch file, failure kinds from the config, the
// request's own conditions (and ones that throw), and user abort — with real workers and processes.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type IntentWorkspace, intentWorkspaces, job, waitFor } from '../_test/intent-workspace.js'
import { isAlive } from './kill-tree.js'
import { killSwitch } from './stop-conditions.js'
import type { RunSnapshot, StopCondition } from './types.js'

const workspace = intentWorkspaces()

function expectAllDead(ws: IntentWorkspace, id: string): void {
  const pids = ws.pids(id)
  expect(pids, `pids of ${id}`).toHaveLength(3)
  for (const pid of pids) expect(isAlive(pid), `pid ${pid} of job ${id}`).toBe(false)
}

const echoes = (...ids: string[]) => ids.map((id) => job(id, 'echo', { value: id }))

describe('kill-switch file', () => {
  it('starts nothing while the file exists', async () => {
    const ws = await workspace()
    await ws.write('.oracle/kill-switch', '')
    const result = await ws.run(echoes('a', 'b'), { runId: 'r' })
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'kill_switch', condition: 'kill-switch-file', message: expect.stringContaining(ws.path('.oracle/kill-switch')) })
    expect(result.jobs.map((j) => j.status)).toEqual(['skipped', 'skipped'])
    expect(result.jobs[0]?.reason).toMatch(/^not started: kill switch engaged/)
    expect(ws.executions('a') + ws.executions('b')).toBe(0)
    expect(ws.json('.oracle/runs/r/run.json')).toMatchObject({ status: 'stopped', stopReason: { kind: 'kill_switch' }, counts: { skipped: 2 } })
  })

  it('uses the file the config names', async () => {
    const ws = await workspace({ run: { killSwitchFile: 'ops/STOP' } })
    await ws.write('.oracle/kill-switch', '') // not this workspace's switch
    expect((await ws.run(echoes('a'))).status).toBe('ok')
    await ws.write('ops/STOP', '')
    expect((await ws.run(echoes('b'))).stopReason).toMatchObject({ kind: 'kill_switch', message: expect.stringContaining('ops/STOP') })
  })

  it('engaged mid-run: stops the running jobs with their processes and skips the rest', async () => {
    const ws = await workspace()
    const result = await ws.run(
      [
        job('h', 'hang'),
        // Engages the switch once the hanging job's whole process tree is up.
        job('t', 'touch', { file: '.oracle/kill-switch', waitFor: 'pids/h', lines: 3 }),
        ...echoes('a', 'b'),
      ],
      { budget: { maxParallel: 2 } },
    )
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toMatchObject({ kind: 'kill_switch', condition: 'kill-switch-file' })
    expect(result.jobs.map((j) => [j.id, j.status])).toEqual([
      ['h', 'stopped'],
      ['t', 'ok'],
      ['a', 'skipped'],
      ['b', 'skipped'],
    ])
    expect(result.jobs[0]).toMatchObject({ failureKind: 'stopped', reason: expect.stringMatching(/^kill switch engaged/) })
    expectAllDead(ws, 'h')
    expect(ws.executions('a')).toBe(0)
  })

  it('engaged from outside while every running job hangs: stops them without waiting for a job to end', async () => {
    const ws = await workspace()
    const running = ws.run([job('h', 'hang'), ...echoes('a')], { budget: { maxParallel: 1 } })
    await waitFor('the process tree', () => ws.pids('h').length === 3)
    const engagedAt = Date.now()
    await ws.write('.oracle/kill-switch', '')
    const result = await running
    expect(Date.now() - engagedAt).toBeLessThan(5_000) // the job's own budget is 20 s
    expect(result.stopReason).toMatchObject({ kind: 'kill_switch', condition: 'kill-switch-file' })
    expect(result.jobs.map((j) => [j.id, j.status, j.failureKind])).toEqual([
      ['h', 'stopped', 'stopped'],
      ['a', 'skipped', undefined],
    ])
    expectAllDead(ws, 'h')
  })
})

describe('stopOnFailureKinds (config)', () => {
  it('stops after a failure of a listed kind; other failures let the run go on', async () => {
    const ws = await workspace({ run: { stopOnFailureKinds: ['test_failed'] } })
    const result = await ws.run(
      [job('lint', 'fail', { kind: 'lint' }), job('a', 'echo', { value: 'a' }), job('tests', 'fail', { kind: 'test_failed', message: '3 failed' }), job('b', 'echo', { value: 'b' })],
      { budget: { maxParallel: 1 } },
    )
    expect(result.jobs.map((j) => [j.id, j.status])).toEqual([
      ['lint', 'failed'],
      ['a', 'ok'],
      ['tests', 'failed'],
      ['b', 'skipped'],
    ])
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'failure', condition: 'stop-on-failure', message: 'job tests failed (test_failed): 3 failed' })
  })

  it('lets the jobs already running finish', async () => {
    const ws = await workspace({ run: { stopOnFailureKinds: ['test_failed'] } })
    // `slow` ends only once the failure is journaled, i.e. after the run decided to stop.
    const slow = job('slow', 'touch', { file: 'slow-done', waitFor: '.oracle/runs/r/journal.jsonl', lines: 1 })
    const result = await ws.run([slow, job('tests', 'fail', { kind: 'test_failed' }), ...echoes('later')], { runId: 'r', budget: { maxParallel: 2 } })
    expect(result.stopReason?.kind).toBe('failure')
    expect(result.jobs.map((j) => [j.id, j.status])).toEqual([
      ['slow', 'ok'],
      ['tests', 'failed'],
      ['later', 'skipped'],
    ])
  })

  it('does not stop on failures when the config lists no kinds', async () => {
    const ws = await workspace()
    const result = await ws.run([job('tests', 'fail', { kind: 'test_failed' }), ...echoes('a')], { budget: { maxParallel: 1 } })
    expect(result.status).toBe('failed')
    expect(result.jobs.map((j) => j.status)).toEqual(['failed', 'ok'])
  })
})

describe('request stop conditions', () => {
  it('checks each one before every job and after every result, with a snapshot of the run', async () => {
    const ws = await workspace()
    const seen: Array<Pick<RunSnapshot, 'phase' | 'running' | 'pending'> & { job: string | undefined; results: number }> = []
    const enough: StopCondition = {
      name: 'two-results',
      check: (s) => {
        seen.push({ phase: s.phase, job: s.next?.id ?? s.last?.id, results: s.results.length, running: s.running, pending: s.pending })
        return s.phase === 'after_result' && s.results.length >= 2 ? { kind: 'enough', message: 'two results are enough' } : undefined
      },
    }
    const result = await ws.run(echoes('a', 'b', 'c', 'd'), { budget: { maxParallel: 1 }, stopConditions: [enough] })
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'enough', message: 'two results are enough', condition: 'two-results' })
    expect(result.jobs.map((j) => j.status)).toEqual(['ok', 'ok', 'skipped', 'skipped'])
    expect(seen).toEqual([
      { phase: 'before_job', job: 'a', results: 0, running: 0, pending: 3 },
      { phase: 'after_result', job: 'a', results: 1, running: 0, pending: 3 },
      { phase: 'before_job', job: 'b', results: 1, running: 0, pending: 2 },
      { phase: 'after_result', job: 'b', results: 2, running: 0, pending: 2 },
    ])
  })

  it('stops on an external kill switch (killSwitch) and stops what is running', async () => {
    const ws = await workspace()
    const engaged = killSwitch('deploy-freeze', () => existsSync(ws.path('freeze')))
    const result = await ws.run([job('h', 'hang'), job('t', 'touch', { file: 'freeze', waitFor: 'pids/h', lines: 3 }), ...echoes('a')], {
      budget: { maxParallel: 2 },
      stopConditions: [engaged],
    })
    expect(result.stopReason).toEqual({ kind: 'kill_switch', message: 'kill switch "deploy-freeze" engaged', condition: 'deploy-freeze' })
    expect(result.jobs.map((j) => j.status)).toEqual(['stopped', 'ok', 'skipped'])
    expectAllDead(ws, 'h')
  })

  it('checks a watched condition while a lone job hangs, and stops it without waiting for it to end', async () => {
    const ws = await workspace()
    const phases = new Set<string>()
    const freeze: StopCondition = {
      name: 'freeze-file',
      watch: true,
      check: (s) => {
        phases.add(s.phase)
        return existsSync(ws.path('freeze')) ? { kind: 'kill_switch', message: 'frozen', abortRunning: true } : undefined
      },
    }
    const running = ws.run([job('h', 'hang'), ...echoes('a')], { budget: { maxParallel: 1 }, stopConditions: [freeze] })
    await waitFor('the process tree', () => ws.pids('h').length === 3)
    const engagedAt = Date.now()
    await ws.write('freeze', '')
    const result = await running
    expect(Date.now() - engagedAt).toBeLessThan(5_000) // the job's own budget is 20 s
    expect(result.stopReason).toEqual({ kind: 'kill_switch', message: 'frozen', condition: 'freeze-file' })
    expect(result.jobs.map((j) => j.status)).toEqual(['stopped', 'skipped'])
    expect(phases.has('watch')).toBe(true)
    expectAllDead(ws, 'h')
  })

  it('does not check an unwatched condition while a job runs', async () => {
    const ws = await workspace()
    const phases: string[] = []
    const seen: StopCondition = { name: 'seen', check: (s) => void phases.push(s.phase) }
    await ws.run([job('s', 'busy', { ms: 700 })], { budget: { maxParallel: 1 }, stopConditions: [seen] })
    expect(phases).toEqual(['before_job', 'after_result'])
  })

  it.each([
    { how: 'throws before the first job', check: (): never => failHealth(), ran: 0 },
    { how: 'rejects before the first job', check: () => Promise.reject(new Error('health endpoint down')), ran: 0 },
    { how: 'throws after the first result', check: (s: RunSnapshot) => (s.phase === 'after_result' ? failHealth() : undefined), ran: 1 },
  ])('a condition that $how stops the run as stop_condition_error', async ({ check, ran }) => {
    const ws = await workspace()
    const result = await ws.run(echoes('a', 'b', 'c'), { budget: { maxParallel: 1 }, stopConditions: [{ name: 'health', check }] })
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'stop_condition_error', condition: 'health', message: 'stop condition health failed: health endpoint down' })
    expect(result.jobs.filter((j) => j.status === 'ok')).toHaveLength(ran)
    expect(result.jobs.filter((j) => j.status === 'skipped')).toHaveLength(3 - ran)
  })
})

function failHealth(): never {
  throw new Error('health endpoint down')
}

describe('user abort', () => {
  it('stops the running jobs with their processes, skips the rest, and says why', async () => {
    const ws = await workspace()
    const controller = new AbortController()
    const running = ws.run([job('h1', 'hang'), job('h2', 'hang'), ...echoes('a')], { runId: 'r', budget: { maxParallel: 2 }, signal: controller.signal })
    await waitFor('both process trees', () => ws.pids('h1').length === 3 && ws.pids('h2').length === 3)
    const abortedAt = Date.now()
    controller.abort('interrupted by SIGINT')
    const result = await running
    expect(Date.now() - abortedAt).toBeLessThan(5_000)
    expect(result.status).toBe('stopped')
    expect(result.stopReason).toEqual({ kind: 'user_abort', message: 'interrupted by SIGINT' })
    expect(result.jobs.map((j) => [j.id, j.status, j.failureKind])).toEqual([
      ['h1', 'stopped', 'stopped'],
      ['h2', 'stopped', 'stopped'],
      ['a', 'skipped', undefined],
    ])
    expectAllDead(ws, 'h1')
    expectAllDead(ws, 'h2')
    expect(ws.json('.oracle/runs/r/run.json')).toMatchObject({ status: 'stopped', stopReason: { kind: 'user_abort' }, counts: { stopped: 2, skipped: 1 } })
    const stopping = ws.jsonl('.oracle/runs/r/events.jsonl').filter((e) => e.event === 'run_stopping')
    expect(stopping).toEqual([expect.objectContaining({ reason: expect.objectContaining({ kind: 'user_abort' }) })])
  })

  it('with an Error as reason, uses its message; during a retry backoff, stops the waiting job', async () => {
    const ws = await workspace()
    const controller = new AbortController()
    const result = await ws.run([job('f', 'flaky', { failTimes: 5 })], {
      budget: { retries: { baseDelayMs: 60_000, maxDelayMs: 60_000, jitter: false } },
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'job_retry') controller.abort(new Error('user gave up'))
      },
    })
    expect(result.stopReason).toEqual({ kind: 'user_abort', message: 'user gave up' })
    expect(result.jobs[0]).toMatchObject({ status: 'stopped', attempts: 1, failureKind: 'stopped' })
    expect(result.durationMs).toBeLessThan(30_000)
  })

  it('starts nothing when the signal is already aborted', async () => {
    const ws = await workspace()
    const result = await ws.run(echoes('a', 'b'), { signal: AbortSignal.abort() })
    expect(result.status).toBe('stopped')
    expect(result.stopReason?.kind).toBe('user_abort')
    expect(result.jobs.map((j) => j.status)).toEqual(['skipped', 'skipped'])
    expect(ws.executions('a') + ws.executions('b')).toBe(0)
  })
})
