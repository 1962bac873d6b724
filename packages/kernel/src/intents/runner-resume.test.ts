// Resuming an interrupted run: results that ended ok or failed are kept when the job's input and
// intent are unchanged; everything else runs again. Executions are counted by the fixture intents.
import { spawn } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { intentWorkspaces, job, waitFor } from '../_test/intent-workspace.js'
import { readJournal } from './journal.js'
import { isAlive } from './kill-tree.js'

const workspace = intentWorkspaces()
const JOURNAL = '.oracle/runs/nightly/journal.jsonl'

/** A first session, interrupted by the user, that ends with jobs of every status. */
async function interruptedRun() {
  const ws = await workspace()
  await ws.write('hold', '') // while it exists, the `c` job hangs
  const jobs = [
    job('a', 'echo', { value: 'a' }),
    job('b', 'fail', { kind: 'lint' }),
    job('x', 'crash'),
    job('d', 'echo', { value: 'd' }),
    job('c', 'hang', { gate: 'hold' }),
    job('e', 'echo', { value: 'e' }),
  ]
  const controller = new AbortController()
  const running = ws.run(jobs, { runId: 'nightly', budget: { maxParallel: 1 }, signal: controller.signal })
  await waitFor('job c to start its processes', () => ws.pids('c').length === 3)
  controller.abort('interrupted')
  const first = await running
  expect(first.jobs.map((j) => [j.id, j.status])).toEqual([
    ['a', 'ok'],
    ['b', 'failed'],
    ['x', 'failed'],
    ['d', 'ok'],
    ['c', 'stopped'],
    ['e', 'skipped'],
  ])
  expect(first.stopReason?.kind).toBe('user_abort')
  await rm(ws.path('hold'))
  return { ws, jobs }
}

describe('resume', () => {
  it('keeps ok and failed results and re-runs stopped and skipped jobs', async () => {
    const { ws, jobs } = await interruptedRun()
    await expect(ws.run(jobs, { runId: 'nightly' })).rejects.toMatchObject({ code: 'ORACLE_RUN_EXISTS' })

    const second = await ws.run(jobs, { runId: 'nightly', resume: true })
    expect(second.jobs.map((j) => [j.id, j.status, j.resumed ?? false])).toEqual([
      ['a', 'ok', true],
      ['b', 'failed', true],
      ['x', 'failed', true],
      ['d', 'ok', true],
      ['c', 'ok', false],
      ['e', 'ok', false],
    ])
    expect(second.jobs[4]?.output).toEqual({ released: true })
    expect(second.status).toBe('failed') // b and x failed, in the first session
    expect(second.stopReason).toBeUndefined()
    expect(Object.fromEntries(['a', 'b', 'x', 'd', 'c', 'e'].map((id) => [id, ws.executions(id)]))).toEqual({ a: 1, b: 1, x: 1, d: 1, c: 2, e: 1 })

    // The journal holds both sessions; the last record per job is the current state.
    expect(ws.jsonl(JOURNAL)).toHaveLength(6 + 2)
    expect([...readJournal(ws.path(JOURNAL)).values()].map((r) => [r.id, r.status])).toEqual([
      ['a', 'ok'],
      ['b', 'failed'],
      ['x', 'failed'],
      ['d', 'ok'],
      ['c', 'ok'],
      ['e', 'ok'],
    ])
    expect(ws.json('.oracle/runs/nightly/run.json')).toMatchObject({ status: 'failed', counts: { ok: 4, failed: 2, skipped: 0, stopped: 0 } })
    const started = ws.jsonl('.oracle/runs/nightly/events.jsonl').filter((e) => e.event === 'run_started')
    expect(started.map((e) => e.resumed)).toEqual([0, 4])

    // Nothing left to do: a third session runs nothing.
    const third = await ws.run(jobs, { runId: 'nightly', resume: true })
    expect(third.jobs.every((j) => j.resumed)).toBe(true)
    expect(ws.executions('c') + ws.executions('e')).toBe(3)
  })

  it('re-runs a job whose input or intent changed', async () => {
    const { ws, jobs } = await interruptedRun()
    const changed = jobs.map((j) => (j.id === 'a' ? job('a', 'echo', { value: 'A' }) : j.id === 'x' ? job('x', 'no-export') : j))
    const second = await ws.run(changed, { runId: 'nightly', resume: true })
    expect(second.jobs.find((j) => j.id === 'a')).toMatchObject({ status: 'ok', output: { value: 'A' } })
    expect(second.jobs.find((j) => j.id === 'a')?.resumed).toBeUndefined()
    expect(second.jobs.find((j) => j.id === 'x')).toMatchObject({ intent: 'no-export', failureKind: 'intent_invalid' })
    expect(second.jobs.find((j) => j.id === 'x')?.resumed).toBeUndefined()
    expect(ws.executions('a')).toBe(2)
    expect(second.jobs.filter((j) => j.resumed).map((j) => j.id)).toEqual(['b', 'd'])
  })

  it('re-runs a job whose record was torn by a crash, and keeps the journal readable', async () => {
    const { ws, jobs } = await interruptedRun()
    // The process died while journaling `e`: half a line, no newline.
    const torn = JSON.stringify({ type: 'job', result: { id: 'e', intent: 'echo', status: 'ok' } }).slice(0, 30)
    appendFileSync(ws.path(JOURNAL), torn)
    const second = await ws.run(jobs, { runId: 'nightly', resume: true })
    expect(second.jobs.find((j) => j.id === 'e')).toMatchObject({ status: 'ok' })
    expect(second.jobs.find((j) => j.id === 'e')?.resumed).toBeUndefined()
    expect(ws.executions('e')).toBe(1)
    // The torn text stays on a line of its own; every record after it is whole.
    const lines = readFileSync(ws.path(JOURNAL), 'utf8').split('\n').filter((line) => line !== '')
    expect(lines.filter((line) => line === torn)).toHaveLength(1)
    expect(lines.slice(lines.indexOf(torn) + 1).map((line) => (JSON.parse(line) as { result: { id: string } }).result.id).sort()).toEqual(['c', 'e'])
    expect(readJournal(ws.path(JOURNAL)).get('e')).toMatchObject({ status: 'ok' })
  })

  it('resumes a run whose process was killed', async () => {
    const ws = await workspace()
    await ws.write('hold', '')
    const jobs = [job('a', 'echo', { value: 'a' }), job('c', 'hang', { gate: 'hold' }), job('d', 'echo', { value: 'd' })]
    // The first session runs in its own process (through the built package), killed mid-run.
    await ws.write(
      'session.mjs',
      `import { createKernel } from '@oraclekit/kernel'
const kernel = await createKernel({ cwd: process.cwd() })
await kernel.runIntents({ runId: 'nightly', jobs: ${JSON.stringify(jobs)}, budget: { maxParallel: 1 } })`,
    )
    const session = spawn(process.execPath, ['session.mjs'], { cwd: ws.dir, stdio: 'ignore' })
    try {
      await waitFor('job c to start its processes', () => ws.pids('c').length === 3)
      expect(ws.jsonl(JOURNAL).map((line) => (line.result as { id: string }).id)).toEqual(['a'])
      // While that process runs the run, nobody else may: the run directory is locked.
      const locked = await ws.run(jobs, { runId: 'nightly', resume: true }).catch((error: unknown) => error)
      expect(locked).toMatchObject({ code: 'ORACLE_RUN_LOCKED', exitCode: 2 })
      expect((locked as Error).message).toContain(`process ${session.pid}`)
    } finally {
      session.kill('SIGKILL')
    }
    await new Promise((done) => session.once('exit', done))
    expect(ws.json('.oracle/runs/nightly/run.json')).toMatchObject({ status: 'running' })
    // The killed session's job processes outlive it…
    const orphans = ws.pids('c')
    expect(orphans.filter(isAlive).length).toBeGreaterThan(0)
    await rm(ws.path('hold'))

    const second = await ws.run(jobs, { runId: 'nightly', resume: true })
    expect(second.jobs.map((j) => [j.id, j.status, j.resumed ?? false])).toEqual([
      ['a', 'ok', true],
      ['c', 'ok', false],
      ['d', 'ok', false],
    ])
    expect([ws.executions('a'), ws.executions('c'), ws.executions('d')]).toEqual([1, 2, 1])
    expect(ws.json('.oracle/runs/nightly/run.json')).toMatchObject({ status: 'ok', counts: { ok: 3 } })
    // …until the resumed session, which holds the lock now, reaps them by the run's marker.
    expect(orphans.filter(isAlive)).toEqual([])
  })

  it('with resume and no earlier session, simply runs', async () => {
    const ws = await workspace()
    const result = await ws.run([job('a', 'echo', { value: 'a' })], { runId: 'fresh', resume: true })
    expect(result.jobs[0]).toMatchObject({ status: 'ok' })
    expect(result.jobs[0]?.resumed).toBeUndefined()
  })
})
