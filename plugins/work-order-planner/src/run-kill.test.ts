// `oracle run` under abuse: two runs at once on one workspace, and runs killed with SIGKILL at
// moments across the run, then resumed. Real CLI, real processes (see _test/fleet.ts).
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive } from '@oraclekit/kernel'
import { afterEach, describe, expect, it } from 'vitest'
import { type Fleet, type FleetSpec, type Started, createFleet, oracleJson, plan, startOracle, step } from './_test/fleet.js'
import type { RunOutcome } from './run/execute.js'
import type { Evidence, LastRun, WorkOrder } from './schema/artifacts.js'

const fleets: Fleet[] = []
const children: Started[] = []
afterEach(async () => {
  // a test that failed half-way may leave its oracle running: end it before removing its files
  for (const { child } of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await Promise.all(fleets.splice(0).map((f) => f.cleanup()))
})

async function planned(spec: FleetSpec): Promise<{ f: Fleet; orders: WorkOrder[] }> {
  const f = await createFleet(spec)
  fleets.push(f)
  const result = await plan(f.dir, ['--json'])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return { f, orders: (JSON.parse(result.stdout) as { work_orders: WorkOrder[] }).work_orders }
}

function start(f: Fleet, args: string[] = []): Started {
  const started = startOracle(f.dir, ['run', ...args])
  children.push(started)
  return started
}

const tag = (o: Pick<WorkOrder, 'product_id' | 'intent'>) => `${o.product_id}.${o.intent}`
const linesOf = (f: Fleet, file: string): string[] => (f.exists(file) ? readFileSync(f.path(file), 'utf8').split('\n').filter(Boolean) : [])
const pidsOf = (f: Fleet): number[] => linesOf(f, 'run/pids.log').map(Number)
const evidenceFiles = (f: Fleet): string[] => Object.keys(f.hashes('dash/runs')).filter((file) => file.endsWith('/evidence.json'))

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(5)
  }
}

/** A job that records its pid first, sleeps, and appends its tag to run/counter.log only at the very end. */
const countedJob = (tagName: string, ms: number | 'file') =>
  step('pid', 'run/pids.log', ...(ms === 'file' ? ['sleepfile', 'run/sleep.ms'] : ['sleep', ms]), 'append', 'run/counter.log', tagName)

describe('two runs at once on one workspace', () => {
  it('one exits 2 with ORACLE_RUN_LOCKED, the other runs every job exactly once', { timeout: 60_000 }, async () => {
    const ids = ['p1', 'p2', 'p3', 'p4']
    const { f, orders } = await planned({ products: ids.map((id) => ({ id, commands: { validate: countedJob(`${id}.validate`, 400) } })), options: { budget: { workOrders: 4 } } })
    expect(orders).toHaveLength(4)
    const [a, b] = [start(f), start(f)]
    const results = await Promise.all([a.done, b.done])
    expect(results.map((r) => r.code).sort()).toEqual([0, 2])
    const loser = results.find((r) => r.code === 2)
    const winner = results.find((r) => r.code === 0)
    expect(loser?.stderr).toMatch(/error ORACLE_RUN_LOCKED: Run of the work orders in nexus\/work_orders is in progress \(process \d+/)
    expect(winner?.stdout).toContain('run ok: 4 ok, 0 failed, 0 stopped, 0 skipped, 0 done earlier')
    expect(linesOf(f, 'run/counter.log').sort()).toEqual(ids.map((id) => `${id}.validate`))
    expect(evidenceFiles(f)).toEqual(orders.map((o) => `dash/runs/${o.product_id}/${o.job_id}/evidence.json`).sort())
  })

  it('oracle plan while a run holds the lock exits 2 and leaves the work orders alone', { timeout: 60_000 }, async () => {
    const { f } = await planned({ products: ['p1', 'p2'].map((id) => ({ id, commands: { validate: countedJob(`${id}.validate`, 400) } })) })
    const before = f.hashes('nexus/work_orders')
    const running = start(f)
    await waitFor(() => pidsOf(f).length > 0)
    const planning = await plan(f.dir, ['--budget', '1'])
    expect(planning.code).toBe(2)
    expect(planning.stderr).toContain('error ORACLE_RUN_LOCKED')
    expect(f.hashes('nexus/work_orders')).toEqual(before)
    expect((await running.done).code).toBe(0)
  })
})

describe('oracle run killed with SIGKILL, then run again until it exits 0', () => {
  // 5 jobs of ~300 ms: p1.validate, p2.validate, p3.validate, p1.test, p2.test
  const fiveJobs = (ms: number | 'file' = 300): FleetSpec => ({
    products: [
      { id: 'p1', commands: { validate: countedJob('p1.validate', ms), test: countedJob('p1.test', ms) } },
      { id: 'p2', commands: { validate: countedJob('p2.validate', ms), test: countedJob('p2.test', ms) } },
      { id: 'p3', commands: { validate: countedJob('p3.validate', ms) } },
    ],
    options: { budget: { workOrders: 5 } },
  })

  // Seeded, so a failure names a moment that can be replayed.
  let seed = 20261121
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const moments = [
    { label: '150 ms after the start', jobsStarted: 0, delayMs: 150 },
    { label: 'during the 2nd job', jobsStarted: 2, delayMs: Math.floor(random() * 250) },
    { label: 'as the 3rd job ends', jobsStarted: 3, delayMs: 280 + Math.floor(random() * 80) },
    { label: 'during the last job', jobsStarted: 5, delayMs: Math.floor(random() * 200) },
  ]

  it.each(moments)('killed $label (+$delayMs ms): every job done once, nothing left running', { timeout: 60_000 }, async ({ jobsStarted, delayMs }) => {
    const { f, orders } = await planned(fiveJobs())
    expect(orders.map(tag)).toEqual(['p1.validate', 'p2.validate', 'p3.validate', 'p1.test', 'p2.test'])
    const killed = start(f)
    await waitFor(() => pidsOf(f).length >= jobsStarted || killed.child.exitCode !== null)
    await sleep(delayMs)
    killed.child.kill('SIGKILL')
    const end = await killed.done
    expect(end.signal).toBe('SIGKILL')
    const doneBefore = new Set(evidenceFiles(f))

    const reruns: RunOutcome[] = []
    for (let attempt = 0; attempt < 4; attempt++) {
      const { code, data } = await oracleJson<RunOutcome>(f.dir, ['run'])
      reruns.push(data)
      if (code === 0) break
    }
    expect(reruns.at(-1)?.exit_code).toBe(0)

    // every job: one evidence.json, ok
    expect(evidenceFiles(f)).toEqual(orders.map((o) => `dash/runs/${o.product_id}/${o.job_id}/evidence.json`).sort())
    for (const o of orders) expect(f.json<Evidence>(`dash/runs/${o.product_id}/${o.job_id}/evidence.json`), o.job_id).toMatchObject({ job_id: o.job_id, exit_status: 'ok' })
    // no job completed twice: a job with evidence before a rerun is never run by it
    const completed = reruns.flatMap((r) => r.jobs.filter((j) => j.status === 'ok').map((j) => j.job_id))
    expect(new Set(completed).size).toBe(completed.length)
    for (const o of orders) {
      const file = `dash/runs/${o.product_id}/${o.job_id}/evidence.json`
      expect(Number(doneBefore.has(file)) + completed.filter((id) => id === o.job_id).length, o.job_id).toBe(1)
    }
    // last_run.json names each product's latest job, and the latest job of each intent
    const latest = new Map(orders.map((o) => [o.product_id, o]))
    for (const [product, o] of latest) {
      const last = f.json<LastRun>(`dash/runs/${product}/last_run.json`)
      expect(last, product).toMatchObject({ job_id: o.job_id, exit_status: 'ok' })
      for (const mine of orders.filter((x) => x.product_id === product)) expect(last.intents[mine.intent]?.run_id).toBe(mine.job_id)
    }
    // the counter: each job at least once (a killed attempt may have counted before its evidence)
    const counter = linesOf(f, 'run/counter.log')
    for (const o of orders) expect(counter, tag(o)).toContain(tag(o))
    expect(counter.length).toBeLessThanOrEqual(orders.length + 1)
    // nothing of the killed run is alive: not its commands (orphans once it died), not itself
    expect(pidsOf(f).filter(isAlive)).toEqual([])
    expect(isAlive(killed.child.pid as number)).toBe(false)
  })

  it('killed after the last job’s evidence but before its last_run.json: the next run catches up', { timeout: 60_000 }, async () => {
    // The state such a kill leaves, made without racing for the window: p2.test is the last job;
    // its evidence.json is written (by the job) before last_run.json is (by the run).
    const { f, orders } = await planned(fiveJobs(20))
    expect((await oracleJson(f.dir, ['run', '--max-jobs', '4'])).code).toBe(4)
    const beforeLast = await f.read('dash/runs/p2/last_run.json')
    expect(JSON.parse(beforeLast)).toMatchObject({ intent: 'validate' })
    expect((await oracleJson(f.dir, ['run'])).code).toBe(0)
    const caughtUp = await f.read('dash/runs/p2/last_run.json')
    const p2Test = orders.at(-1) as WorkOrder
    expect(JSON.parse(caughtUp)).toMatchObject({ job_id: p2Test.job_id, intent: 'test' })
    await f.write('dash/runs/p2/last_run.json', beforeLast)

    const rerun = await oracleJson<RunOutcome>(f.dir, ['run'])
    expect(rerun.code).toBe(0)
    expect(rerun.data.jobs.every((j) => j.status === 'done_earlier')).toBe(true)
    expect(f.json<LastRun>('dash/runs/p2/last_run.json')).toMatchObject({ job_id: p2Test.job_id, intent: 'test', intents: { test: { run_id: p2Test.job_id } } })
    expect(await f.read('dash/runs/p2/last_run.json')).toBe(caughtUp)
  })

  it('a command orphaned by the kill is ended by the next run before its job runs again', { timeout: 60_000 }, async () => {
    const { f, orders } = await planned(fiveJobs('file'))
    // the first attempt would sleep 30 s: only a kill ends it in time
    await f.write('run/sleep.ms', '30000')
    const killed = start(f)
    await waitFor(() => pidsOf(f).length >= 1)
    await sleep(100)
    killed.child.kill('SIGKILL')
    await killed.done
    const [orphan] = pidsOf(f) as [number]
    expect(isAlive(orphan)).toBe(true)

    await f.write('run/sleep.ms', '20')
    const rerun = await oracleJson<RunOutcome>(f.dir, ['run'])
    expect(rerun.code).toBe(0)
    expect(isAlive(orphan)).toBe(false)
    expect(rerun.data.jobs.map((j) => [j.job_id, j.status])).toEqual(orders.map((o) => [o.job_id, 'ok']))
    // the orphan never reached its append; the rerun's attempt did, once
    expect(linesOf(f, 'run/counter.log')).toEqual(orders.map(tag))
    expect(pidsOf(f)).toHaveLength(orders.length + 1)
    expect(pidsOf(f).filter(isAlive)).toEqual([])
  })
})
