// The intent runner end to end: a real kernel on a temp workspace, real worker threads (the built
// dist/worker/intent-worker.js), fixture intents from src/_test/intent-workspace.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { intentWorkspaces, job } from '../_test/intent-workspace.js'
import { fixedClock } from '../services/clock.js'
import { hashJson } from '../services/hash.js'
import { workerFile } from '../worker-file.js'
import type { JobRequest } from './types.js'

const workspace = intentWorkspaces()

describe('runIntents results', () => {
  it('returns each job’s status, attempts, output, evidence and labels, in request order', async () => {
    const ws = await workspace()
    const result = await ws.run(
      [
        job('a', 'echo', { value: 'x', repeat: 3 }, { product: 'p1' }),
        job('b', 'fail', { kind: 'test_failed', message: '3 tests failed' }),
        job('c', 'crash'),
        job('d', 'no-export'),
        job('e', 'echo', { value: 'y' }),
      ],
      { runId: 'r1' },
    )
    expect(result).toMatchObject({ runId: 'r1', runDir: ws.path('.oracle/runs/r1'), status: 'failed', retriesUsed: 0 })
    expect(result.stopReason).toBeUndefined()
    expect(result.jobs.map((j) => j.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    const [a, b, c, d, e] = result.jobs
    expect(a).toEqual({
      id: 'a',
      intent: 'echo',
      status: 'ok',
      attempts: 1,
      durationMs: expect.any(Number),
      output: { value: 'xxx', job: { id: 'a', intent: 'echo', attempt: 1, runId: 'r1' }, now: expect.any(Number) },
      evidence: ['evidence/a.txt'],
      labels: { product: 'p1' },
      inputHash: hashJson({ value: 'x', repeat: 3 }),
    })
    expect(readFileSync(ws.path('evidence/a.txt'), 'utf8')).toBe('x')
    // Evidence recorded before a failure is kept; JobFailure's kind is the failure kind.
    expect(b).toMatchObject({ status: 'failed', attempts: 1, failureKind: 'test_failed', reason: '3 tests failed', evidence: ['evidence/b.log'] })
    expect(b?.output).toBeUndefined()
    expect(c).toMatchObject({ status: 'failed', attempts: 1, failureKind: 'error', reason: 'boom' })
    expect(d).toMatchObject({ status: 'failed', failureKind: 'intent_invalid', reason: expect.stringContaining('no function export "missing"') })
    expect(e).toMatchObject({ status: 'ok', output: { value: 'y' } })
    for (const id of ['a', 'b', 'c', 'e']) expect(ws.executions(id), id).toBe(1)
  })

  it('runs jobs a feed gives as they become ready (a DAG), after the queued ones, and ends when it says so', async () => {
    const ws = await workspace()
    // b and c are ready only once a has finished; the feed waits for that.
    let release: () => void = () => undefined
    const aDone = new Promise<void>((resolve) => (release = resolve))
    const later = [job('b', 'echo', { value: 'b' }), job('c', 'echo', { value: 'c' })]
    let asked = 0
    const feed = {
      intents: ['echo'],
      next: async (): Promise<JobRequest | undefined> => {
        asked++
        await aDone
        return later.shift()
      },
    }
    const result = await ws.run([job('a', 'echo', { value: 'a' })], {
      budget: { maxParallel: 2 },
      runDir: false,
      feed,
      onEvent: (event) => {
        if (event.type === 'job_finished' && event.job === 'a') release()
      },
    })
    expect(result.status).toBe('ok')
    expect(result.jobs.map((j) => [j.id, j.status])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
      ['c', 'ok'],
    ])
    expect(asked).toBeGreaterThanOrEqual(3)
  })

  it('is ok when every job is, and validates inputs filling their defaults before hashing', async () => {
    const ws = await workspace()
    const result = await ws.run([job('a', 'echo', { value: 'z' })])
    expect(result.status).toBe('ok')
    expect(result.jobs[0]).toMatchObject({ status: 'ok', output: { value: 'z' }, inputHash: hashJson({ value: 'z', repeat: 1 }) })
  })

  it('starts every thread and loads the intent modules before the first job, so jobs time themselves', async () => {
    const ws = await workspace()
    const jobs = ['w1', 'w2', 'w3'].map((id) => job(id, 'slow-load', {}))
    const result = await ws.run(jobs, { budget: { maxParallel: 3, maxJobTimeMs: 300 } })
    // Each module load takes 400 ms, over the 300 ms job budget: only a warm pool passes.
    expect(result.jobs.map((j) => j.status)).toEqual(['ok', 'ok', 'ok'])
    for (const j of result.jobs) expect(j.durationMs).toBeLessThan(200)
    // One warm thread per slot: the three jobs ran on three threads.
    expect(new Set(result.jobs.map((j) => (j.output as { threadId: number }).threadId)).size).toBe(3)
  })

  it('loads TypeScript intent modules through jiti in the worker', async () => {
    const ws = await workspace()
    const result = await ws.run([job('t1', 'typed', { name: 'world' }), job('t2', 'typed', { name: 'again' })], { budget: { maxParallel: 1 } })
    expect(result.jobs.map((j) => [j.status, j.output])).toEqual([
      ['ok', { greeting: 'hello world', attempt: 1 }],
      ['ok', { greeting: 'hello again', attempt: 1 }],
    ])
  })

  it('runs every job and the run with the pinned clock, and derives the run id from it', async () => {
    const at = '2024-01-02T03:04:05.000Z'
    const ws = await workspace({ clock: fixedClock(at) })
    const jobs = [job('a', 'echo', { value: 'x' })]
    const result = await ws.run(jobs)
    expect(result.runId).toMatch(/^20240102T030405\.000Z-[0-9a-f]{8}$/)
    expect(result).toMatchObject({ startedAt: at, finishedAt: at })
    expect(result.jobs[0]?.output).toMatchObject({ now: Date.parse(at) })
    expect(ws.json(`.oracle/runs/${result.runId}/run.json`)).toMatchObject({ startedAt: at, finishedAt: at })
    // A default id always names a new run, even when the clock and the jobs are the same.
    const again = await ws.run(jobs)
    expect(again).toMatchObject({ runId: `${result.runId}-2`, status: 'ok' })
    expect(ws.executions('a')).toBe(2)
  })
})

describe('run directory', () => {
  it('keeps a journal, the run’s events and run.json', async () => {
    const ws = await workspace()
    const result = await ws.run([job('a', 'echo', { value: 'x' }), job('b', 'fail', { kind: 'lint' }), job('c', 'flaky', { failTimes: 1 })], { runId: 'r1' })
    const dir = '.oracle/runs/r1'
    expect(readdirSync(ws.path(dir)).sort()).toEqual(['events.jsonl', 'journal.jsonl', 'run.json'])

    const journal = ws.jsonl(`${dir}/journal.jsonl`)
    expect(journal.map((line) => line.type)).toEqual(['job', 'job', 'job'])
    expect(journal.map((line) => (line.result as { id: string }).id).sort()).toEqual(['a', 'b', 'c'])
    expect(journal.find((line) => (line.result as { id: string }).id === 'a')?.result).toEqual(result.jobs[0])

    const events = ws.jsonl(`${dir}/events.jsonl`)
    const named = (name: string) => events.filter((e) => e.event === name)
    expect(events[0]).toMatchObject({ event: 'run_started', runId: 'r1', jobs: 3, resumed: 0 })
    expect(named('intent_log')).toEqual([expect.objectContaining({ runId: 'r1', job: 'a', msg: 'echo a', value: 'x' })])
    expect(named('job_finished').map((e) => [e.job, e.status]).sort()).toEqual([
      ['a', 'ok'],
      ['b', 'failed'],
      ['c', 'ok'],
    ])
    expect(named('job_retry')).toEqual([expect.objectContaining({ job: 'c', attempt: 1, reason: 'attempt 1 hit a rate limit' })])
    expect(events.at(-1)).toMatchObject({ event: 'run_finished', status: 'failed' })

    const run = ws.json(`${dir}/run.json`)
    expect(run).toMatchObject({
      runId: 'r1',
      runDir: ws.path(dir),
      status: 'failed',
      counts: { ok: 2, failed: 1, skipped: 0, stopped: 0 },
      retriesUsed: 1,
      budget: expect.objectContaining({ maxParallel: 2, killGraceMs: 200 }),
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
    })
    expect(run.stopReason).toBeUndefined()
    // Outputs stay in the journal; run.json is the summary.
    expect((run.jobs as Array<Record<string, unknown>>).map((j) => [j.id, j.status, 'output' in j])).toEqual([
      ['a', 'ok', false],
      ['b', 'failed', false],
      ['c', 'ok', false],
    ])
  })

  it('writes each job\'s own log lines before its job_finished event', async () => {
    const ws = await workspace()
    const ids = Array.from({ length: 12 }, (_, i) => `j${i}`)
    await ws.run(ids.map((id) => job(id, 'echo', { value: id })), { runId: 'ordered', budget: { maxParallel: 3 } })
    const events = ws.jsonl('.oracle/runs/ordered/events.jsonl')
    for (const id of ids) {
      const logged = events.findIndex((e) => e.event === 'intent_log' && e.job === id)
      const finished = events.findIndex((e) => e.event === 'job_finished' && e.job === id)
      expect(logged, id).toBeGreaterThanOrEqual(0)
      expect(logged, id).toBeLessThan(finished)
    }
  })

  it('goes where runDir says, or nowhere with runDir: false', async () => {
    const ws = await workspace()
    const custom = await ws.run([job('a', 'echo', { value: 'x' })], { runId: 'r1', runDir: 'out/here' })
    expect(custom.runDir).toBe(ws.path('out/here'))
    expect(existsSync(ws.path('out/here/journal.jsonl'))).toBe(true)
    const none = await ws.run([job('b', 'echo', { value: 'x' })], { runId: 'r2', runDir: false })
    expect(none.status).toBe('ok')
    expect(none.runDir).toBeUndefined()
    expect(existsSync(ws.path('.oracle'))).toBe(false)
  })

  it('refuses to run again into a run that has results (ORACLE_RUN_EXISTS) unless resuming', async () => {
    const ws = await workspace()
    await ws.run([job('a', 'echo', { value: 'x' })], { runId: 'r1' })
    const journal = readFileSync(ws.path('.oracle/runs/r1/journal.jsonl'), 'utf8')
    await expect(ws.run([job('a', 'echo', { value: 'x' })], { runId: 'r1' })).rejects.toMatchObject({
      code: 'ORACLE_RUN_EXISTS',
      exitCode: 2,
      hint: expect.stringContaining('--resume'),
    })
    expect(ws.executions('a')).toBe(1)
    expect(readFileSync(ws.path('.oracle/runs/r1/journal.jsonl'), 'utf8')).toBe(journal)
  })
})

describe('invalid run requests: nothing starts and nothing is written', () => {
  const valid = job('first', 'echo', { value: 'fine' })
  it.each<{ name: string; jobs: JobRequest[]; code: string; exitCode: number; problem?: object }>([
    { name: 'an unknown intent', jobs: [valid, job('x', 'nope')], code: 'ORACLE_INTENT_UNKNOWN', exitCode: 2 },
    { name: 'a duplicate job id', jobs: [valid, job('first', 'echo', { value: 'again' })], code: 'ORACLE_JOBS_INVALID', exitCode: 3, problem: { path: 'jobs[1].id', rule: 'job-duplicate' } },
    { name: 'a bad job id', jobs: [valid, job('../escape', 'echo', { value: 'x' })], code: 'ORACLE_JOBS_INVALID', exitCode: 3, problem: { path: 'jobs[1].id', rule: 'job-id' } },
    { name: 'an input of the wrong type', jobs: [valid, job('x', 'echo', { value: 5 })], code: 'ORACLE_INTENT_INPUT_INVALID', exitCode: 3, problem: { path: 'jobs[1].input.value' } },
    { name: 'an input with a missing field', jobs: [valid, job('x', 'busy', {})], code: 'ORACLE_INTENT_INPUT_INVALID', exitCode: 3 },
    { name: 'an input with an unknown field', jobs: [valid, job('x', 'echo', { value: 'x', extra: 1 })], code: 'ORACLE_INTENT_INPUT_INVALID', exitCode: 3 },
  ])('$name → $code', async ({ jobs, code, exitCode, problem }) => {
    const ws = await workspace()
    const error = await ws.run(jobs, { runId: 'r1' }).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; problems: object[] },
    )
    expect(error).toMatchObject({ code, exitCode })
    if (problem) expect(error?.problems).toContainEqual(expect.objectContaining(problem))
    expect(ws.executions('first')).toBe(0)
    expect(existsSync(ws.path('.oracle'))).toBe(false)
  })

  it('rejects a run id that is not a plain name', async () => {
    const ws = await workspace()
    await expect(ws.run([job('a', 'echo', { value: 'x' })], { runId: '../up' })).rejects.toMatchObject({ exitCode: 2 })
    expect(existsSync(ws.path('.oracle'))).toBe(false)
  })
})

describe('ctx.exec', () => {
  it('runs a process without a shell, outside the oracle’s process group, with the job’s marker, from the workspace root', async () => {
    const ws = await workspace()
    const script = 'echo "$ORACLEKIT_JOB_MARKER"; echo $$ $(cut -d" " -f5 /proc/$$/stat); pwd; echo "$EXTRA"; cat; echo oops >&2; exit 3'
    const result = await ws.run([job('x', 'exec', { file: 'sh', args: ['-c', script], options: { env: { EXTRA: 'extra' }, input: 'from stdin' } })], { runId: 'r' })
    const output = result.jobs[0]?.output as { exitCode: number; failed: boolean; timedOut: boolean; stdout: string; stderr: string; command: string }
    expect(output).toMatchObject({ exitCode: 3, failed: true, timedOut: false, stderr: 'oops\n' })
    const [marker, ids, cwd, extra, stdin] = output.stdout.split('\n')
    // <runId>/<random>: a resume finds every process of a run by its prefix.
    expect(marker).toMatch(/^[A-Za-z0-9._-]+\/[0-9a-f]{12}$/)
    const [pid, group] = (ids ?? '').split(' ')
    // Not in our group (a Ctrl-C reaches the oracle, which stops the job), but not the group's
    // leader either: the exec helper's children share its group; the kernel stops a job by pid,
    // descendants and marker.
    const ownGroup = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[2]
    expect(group).not.toBe(ownGroup)
    expect(Number(pid)).toBeGreaterThan(0)
    expect(cwd).toBe(ws.dir)
    expect(extra).toBe('extra')
    expect(stdin).toBe('from stdin')
    // A failing process is the intent's business: the job itself is ok.
    expect(result.jobs[0]?.status).toBe('ok')
    expect(ws.jsonl('.oracle/runs/r/events.jsonl').filter((e) => e.event === 'intent_log')).toEqual([
      expect.objectContaining({ level: 40, job: 'x', msg: 'running sh' }),
    ])
  })

  it('kills a process past its own timeoutMs', async () => {
    const ws = await workspace()
    const result = await ws.run([job('x', 'exec', { file: 'sleep', args: ['30'], options: { timeoutMs: 100 } })])
    expect(result.jobs[0]).toMatchObject({ status: 'ok', output: { timedOut: true, failed: true, exitCode: undefined } })
    expect(result.jobs[0]?.durationMs).toBeLessThan(10_000)
  })
})

describe('worker crashes', () => {
  it('fails a job whose worker dies (heap limit) as worker_error, and the run goes on', async () => {
    const ws = await workspace()
    const result = await ws.run([job('hog', 'hog'), job('after', 'echo', { value: 'x' })], { budget: { maxParallel: 1, maxMemoryMb: 32 } })
    expect(result.status).toBe('failed')
    expect(result.jobs[0]).toMatchObject({ id: 'hog', status: 'failed', attempts: 1, failureKind: 'worker_error', reason: expect.stringMatching(/^worker failed: .*memory/) })
    expect(result.jobs[1]).toMatchObject({ id: 'after', status: 'ok' })
  })

  it('has a worker entry that refuses to run on the main thread', async () => {
    await expect(import(workerFile)).rejects.toThrow(/must run in a worker thread/)
  })
})
