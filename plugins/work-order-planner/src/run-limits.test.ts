// `oracle run` under budgets (--max-jobs, --max-time, an order's max_time_ms) and the orders it
// refuses before anything runs.

import { isAlive } from '@oraclekit/kernel'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Fleet,
  type FleetSpec,
  type ProductSpec,
  plan,
  step,
} from './_test/fleet.js'
import type { JobReport } from './run/execute.js'
import { type Evidence, type LastRun, type WorkOrder } from './schema/artifacts.js'

import { byStatus, cleanupFleets, evidenceDir, pidsIn, planned, run, runJson, tag, twoProducts, validateEvidence } from './_test/run-kit.js'

afterEach(cleanupFleets)

describe('oracle run', () => {
  describe('budgets', () => {
    const three = (command: (id: string) => string[]): FleetSpec => ({ products: ['a', 'b', 'c'].map((id) => ({ id, commands: { validate: command(id) } })) })

    it('--max-jobs 1 runs exactly one order and reports the rest skipped (exit 4)', async () => {
      const spec = three((id) => step('print', `${id} valid`))
      const [text, json] = await Promise.all([planned(spec), planned(spec)])
      const [printed, doc] = await Promise.all([run(text.f, ['--max-jobs', '1']), runJson(json.f, ['--max-jobs', '1'])])
      expect(printed.code).toBe(4)
      expect(printed.stdout).toContain(`skipped ${text.orders[1]?.job_id}  --max-jobs 1: 2 work order(s) not run`)
      expect(doc.code).toBe(4)
      expect(byStatus(doc.data.jobs, 'ok')).toEqual(['a.validate'])
      expect(byStatus(doc.data.jobs, 'skipped')).toEqual(['b.validate', 'c.validate'])
      for (const { f, orders } of [text, json]) {
        expect(orders.map((o) => f.exists(`${evidenceDir(o)}/evidence.json`))).toEqual([true, false, false])
      }
      // exit 4 is "stopped": the document and the text say by what
      expect(doc.data.status).toBe('stopped')
      expect(doc.data.stop_reason?.kind).toBe('budget_exhausted')
      expect(printed.stdout).toContain('stopped (budget_exhausted)')
    })

    it('--max-jobs 0 runs nothing and says so: exit 4, not "done by an earlier run"', async () => {
      const { f } = await planned(three((id) => step('print', `${id} valid`)))
      const printed = await run(f, ['--max-jobs', '0'])
      expect(printed.stdout).not.toContain('done by an earlier run')
      expect(printed.code).toBe(4)
      const doc = await runJson(f, ['--max-jobs', '0'])
      expect(byStatus(doc.data.jobs, 'skipped')).toEqual(['a.validate', 'b.validate', 'c.validate'])
      expect(doc.data.status).not.toBe('nothing_to_do')
      expect(f.exists('dash')).toBe(false)
    })

    it('an order past its max_time_ms ends as timeout and its process is gone', async () => {
      const { f, orders } = await planned({
        products: [{ id: 'slow', commands: { validate: step('pid', 'run/slow.pid', 'sleep', 8000, 'print', 'woke up') } }, { id: 'zfast', commands: { validate: step('print', 'fast') } }],
        options: { budget: { jobTimeMs: 1000 } },
      })
      expect(orders.map((o) => [tag(o), o.budget.max_time_ms])).toEqual([
        ['slow.validate', 1000],
        ['zfast.validate', 1000],
      ])
      const started = Date.now()
      const doc = await runJson(f)
      // it did not wait for the 8 s sleep
      expect(Date.now() - started).toBeLessThan(6000)
      // a job that timed out failed; it does not stop the run
      expect(doc.code).toBe(1)
      expect(doc.data.jobs.map((j) => [tag(j), j.status, j.exit_status])).toEqual([
        ['slow.validate', 'failed', 'timeout'],
        ['zfast.validate', 'ok', 'ok'],
      ])
      const evidence = f.json<Evidence>(`${evidenceDir(orders[0] as WorkOrder)}/evidence.json`)
      expect(validateEvidence(evidence)).toEqual([])
      expect(evidence).toMatchObject({ exit_status: 'timeout', exit_code: null, reason: 'timed out after 1000 ms' })
      expect(evidence.duration_ms).toBeGreaterThanOrEqual(1000)
      expect(evidence.duration_ms).toBeLessThan(8000)
      expect(await f.read(`${evidenceDir(orders[0] as WorkOrder)}/stdout.log`)).toBe('')
      const [pid] = pidsIn(f, 'run/slow.pid')
      expect(pid).toBeGreaterThan(0)
      expect(isAlive(pid as number)).toBe(false)
    })

    it('--max-time stops a run of sleeping jobs (exit 4, run_timeout) and ends the running one', async () => {
      const { f, orders } = await planned(three((id) => step('pid', 'run/pids.log', 'sleep', 3000, 'print', `${id} woke up`)))
      const started = Date.now()
      const doc = await runJson(f, ['--max-time', '1500'])
      // three jobs of 3 s would take 9 s
      expect(Date.now() - started).toBeLessThan(6000)
      expect(doc.code).toBe(4)
      expect(doc.data.status).toBe('stopped')
      expect(doc.data.stop_reason).toEqual({ kind: 'run_timeout', message: 'run exceeded its wall-time budget (maxRunTimeMs 1500)' })
      expect(doc.data.jobs.map((j) => [j.job_id, j.status])).toEqual([
        [orders[0]?.job_id, 'stopped'],
        [orders[1]?.job_id, 'skipped'],
        [orders[2]?.job_id, 'skipped'],
      ])
      const stopped = doc.data.jobs.find((j) => j.status === 'stopped') as JobReport
      expect(f.json<Evidence>(stopped.evidence as string)).toMatchObject({ exit_status: 'stopped' })
      expect(pidsIn(f, 'run/pids.log').filter(isAlive)).toEqual([])
    })
  })

  it('a job stopped by --max-time is run again after a re-plan', async () => {
    // validate has run once, so the next plan's order is a routine one; the run that takes it is
    // stopped half-way: the job never completed, and the plan after must give it back to run.
    const { f } = await planned({ products: [{ id: 'solo', commands: { validate: step('pid', 'run/pids.log', 'sleepfile', 'run/sleep.ms', 'print', 'validated') } }] })
    expect((await run(f)).code).toBe(0)
    expect((await plan(f.dir)).code).toBe(0)
    await f.write('run/sleep.ms', '5000')
    const stopped = await runJson(f, ['--max-time', '1500'])
    expect(stopped.code).toBe(4)
    expect(stopped.data.jobs.map((j) => [j.status, j.exit_status])).toEqual([['stopped', 'stopped']])
    expect(f.json<LastRun>('dash/runs/solo/last_run.json')).toMatchObject({ exit_status: 'stopped' })

    await f.write('run/sleep.ms', '0')
    expect((await plan(f.dir)).code).toBe(0)
    const again = await runJson(f)
    expect(again.code).toBe(0)
    expect(again.data.jobs.map((j) => [j.status, j.exit_status])).toEqual([['ok', 'ok']])
    expect(f.json<LastRun>('dash/runs/solo/last_run.json')).toMatchObject({ exit_status: 'ok' })
  })

  describe('refusals: exit 3, nothing run, nothing written under dash/runs', () => {
    const edit = (f: Fleet, file: string, change: (order: WorkOrder) => unknown) =>
      f.write(`nexus/work_orders/${file}`, `${JSON.stringify(change(f.json<WorkOrder>(`nexus/work_orders/${file}`)), null, 2)}\n`)
    const spec = twoProducts
    const cases: Array<{ name: string; change: (f: Fleet, orders: WorkOrder[]) => Promise<unknown>; code: string; message: (orders: WorkOrder[]) => string; where: (orders: WorkOrder[]) => string }> = [
      {
        name: 'an order whose intent is not safe (deploy)',
        change: (f, [first]) => edit(f, `${first?.job_id}.json`, (o) => ({ ...o, intent: 'deploy' })),
        code: 'ORACLE_INTENT_UNSAFE',
        message: ([first]) => `nexus/work_orders/${first?.job_id}.json: intent "deploy" is not a safe intent; refused`,
        where: ([first]) => `nexus/work_orders/${first?.job_id}.json`,
      },
      {
        name: 'an order whose product was removed from the config',
        change: (f) => f.configure({ products: [spec().products[0] as ProductSpec] }),
        code: 'ORACLE_WORK_ORDER_STALE',
        message: (orders) => `nexus/work_orders/${orders[1]?.job_id}.json: product "beta" is not declared in the config`,
        where: (orders) => `nexus/work_orders/${orders[1]?.job_id}.json`,
      },
      {
        name: 'an order whose command changed in the config',
        change: (f) => f.configure({ products: [spec().products[0] as ProductSpec, { id: 'beta', commands: { validate: step('print', 'beta valid v2') } }] }),
        code: 'ORACLE_WORK_ORDER_STALE',
        message: (orders) => `nexus/work_orders/${orders[1]?.job_id}.json: its command (node ../../tools/step.mjs print beta valid) is not the config's validate command of beta`,
        where: (orders) => `nexus/work_orders/${orders[1]?.job_id}.json`,
      },
      {
        name: 'a broken work order JSON',
        change: (f, orders) => f.write(`nexus/work_orders/${orders[2]?.job_id}.json`, '{\n  "schema_version": 1,\n  "job_id": oops\n}\n'),
        code: 'ORACLE_WORK_ORDER_INVALID',
        message: (orders) => `nexus/work_orders/${orders[2]?.job_id}.json: not valid JSON`,
        where: (orders) => `nexus/work_orders/${orders[2]?.job_id}.json:3`,
      },
      {
        name: 'a work order that fails its schema',
        change: (f, [first]) => edit(f, `${first?.job_id}.json`, (o) => ({ ...o, budget: { max_time_ms: 0, max_attempts: 1 } })),
        code: 'ORACLE_WORK_ORDER_INVALID',
        message: ([first]) => `nexus/work_orders/${first?.job_id}.json: 1 problem(s) against its schema`,
        where: ([first]) => `nexus/work_orders/${first?.job_id}.json`,
      },
    ]
    it.each(cases)('$name → $code', async ({ change, code, message, where }) => {
      const { f, orders } = await planned(spec())
      await change(f, orders)
      const before = f.hashes()
      for (const args of [[], ['--dry-run']]) {
        const result = await run(f, args)
        expect(result.code, args.join(' ')).toBe(3)
        expect(result.stdout).toBe('')
        expect(result.stderr).toContain(`error ${code}: ${message(orders)}`)
        expect(result.stderr).toMatch(new RegExp(`^  at ${where(orders).replaceAll('.', '\\.')}$`, 'm'))
      }
      expect(f.exists('dash')).toBe(false)
      expect(f.hashes()).toEqual(before)
    })
  })

  it('--job with an unknown id exits 2 with a "Did you mean" hint', async () => {
    const { f, orders } = await planned(twoProducts())
    const wanted = orders[1] as WorkOrder
    const result = await run(f, ['--job', wanted.job_id.slice(0, -2)])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`error ORACLE_JOB_NOT_FOUND: No work order ${wanted.job_id.slice(0, -2)} in nexus/work_orders`)
    expect(result.stderr).toContain(`Did you mean ${wanted.job_id}?`)
    expect(f.exists('dash')).toBe(false)
  })

  it('--job runs that order only', async () => {
    const { f, orders } = await planned(twoProducts())
    const wanted = orders[1] as WorkOrder
    const doc = await runJson(f, ['--job', wanted.job_id])
    expect(doc.code).toBe(0)
    expect(doc.data.jobs.map((j) => [j.job_id, j.status])).toEqual([[wanted.job_id, 'ok']])
    expect(orders.map((o) => f.exists(evidenceDir(o)))).toEqual([false, true, false])
    // the rest run next time
    const rest = await runJson(f)
    expect(rest.code).toBe(0)
    expect(byStatus(rest.data.jobs, 'ok')).toEqual(['alpha.validate', 'alpha.test'])
    expect(byStatus(rest.data.jobs, 'done_earlier')).toEqual(['beta.validate'])
  })
})
