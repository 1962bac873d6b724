// `oracle run` end to end: the real CLI and this plugin's build, in temporary fleets whose
// commands are tools/step.mjs (see _test/fleet.ts).

import { isAlive } from '@oraclekit/kernel'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Fleet,
  type FleetSpec,
  type ProductSpec,
  mtimeOf,
  startOracle,
  step,
} from './_test/fleet.js'
import type { RunOutcome } from './run/execute.js'
import { type Evidence, type LastRun, type WorkOrder } from './schema/artifacts.js'

import { byStatus, cleanupFleets, evidenceDir, pidsIn, planned, run, runJson, tag, twoProducts, validateEvidence, validateLastRun, waitFor } from './_test/run-kit.js'

afterEach(cleanupFleets)

describe('oracle run', () => {
  it('--dry-run prints the jobs in order with their argv and changes nothing', async () => {
    const { f, orders } = await planned(twoProducts())
    expect(orders.map(tag)).toEqual(['alpha.validate', 'beta.validate', 'alpha.test'])
    const before = f.hashes()
    const result = await run(f, ['--dry-run'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toEqual([
      'dry run: nothing is executed or written',
      '  health alpha: would_run [dash/health/alpha.json]',
      ...orders.map((o) => `  would run ${o.job_id}  $ ${(o.inputs.command as string[]).join(' ')}  (in products/${o.product_id})`),
    ])
    expect(lines[2]).toContain('$ node ../../tools/step.mjs print alpha valid eprint alpha warning  (in products/alpha)')
    const json = await runJson(f, ['--dry-run'])
    expect(json.code).toBe(0)
    expect(json.data.status).toBe('dry_run')
    expect(json.data.jobs.map((j) => [j.job_id, j.status, j.argv])).toEqual(orders.map((o) => [o.job_id, 'would_run', o.inputs.command]))
    expect(f.hashes()).toEqual(before)
  })

  it('runs each order: evidence, logs and last_run.json per product, exit 0', async () => {
    const { f, orders } = await planned(twoProducts())
    const result = await run(f)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('run ok: 3 ok, 0 failed, 0 stopped, 0 skipped, 0 done earlier')
    for (const order of orders) {
      const dir = evidenceDir(order)
      for (const file of ['evidence.json', 'stdout.log', 'stderr.log']) expect(f.exists(`${dir}/${file}`), `${dir}/${file}`).toBe(true)
      const evidence = f.json<Evidence>(`${dir}/evidence.json`)
      expect(validateEvidence(evidence), dir).toEqual([])
      expect(evidence).toMatchObject({ job_id: order.job_id, run_id: order.job_id, product_id: order.product_id, intent: order.intent, exit_code: 0, exit_status: 'ok', signal: null, reason: null, attempt: 1 })
      expect(evidence.command).toEqual({ argv: order.inputs.command, cwd: `products/${order.product_id}` })
      expect(evidence.duration_ms).toBeGreaterThanOrEqual(0)
      expect(Date.parse(evidence.finished_at)).toBeGreaterThanOrEqual(Date.parse(evidence.started_at))
      for (const expected of order.evidence_expectations) expect(f.exists(expected), expected).toBe(true)
    }
    const [alphaValidate, betaValidate, alphaTest] = orders as [WorkOrder, WorkOrder, WorkOrder]
    expect(await f.read(`${evidenceDir(alphaValidate)}/stdout.log`)).toBe('alpha valid\n')
    expect(await f.read(`${evidenceDir(alphaValidate)}/stderr.log`)).toBe('alpha warning\n')
    expect(f.json<Evidence>(`${evidenceDir(alphaValidate)}/evidence.json`).log_tail).toEqual(['alpha valid', 'alpha warning'])
    expect(await f.read(`${evidenceDir(betaValidate)}/stdout.log`)).toBe('beta valid\n')
    expect(await f.read(`${evidenceDir(alphaTest)}/stdout.log`)).toBe('alpha tests pass\n')

    const alpha = f.json<LastRun>('dash/runs/alpha/last_run.json')
    expect(validateLastRun(alpha)).toEqual([])
    expect(alpha).toMatchObject({ product_id: 'alpha', job_id: alphaTest.job_id, run_id: alphaTest.job_id, intent: 'test', exit_status: 'ok', exit_code: 0, evidence: `${evidenceDir(alphaTest)}/evidence.json` })
    expect(Object.keys(alpha.intents).sort()).toEqual(['test', 'validate'])
    expect(alpha.intents.validate).toMatchObject({ run_id: alphaValidate.job_id, exit_status: 'ok' })
    expect(alpha.intents.test).toMatchObject({ run_id: alphaTest.job_id, exit_status: 'ok' })
    const beta = f.json<LastRun>('dash/runs/beta/last_run.json')
    expect(validateLastRun(beta)).toEqual([])
    expect(beta).toMatchObject({ job_id: betaValidate.job_id, exit_status: 'ok', intents: { validate: { run_id: betaValidate.job_id, exit_status: 'ok' } } })
    // the health check ran before alpha's test (not before its validate)
    expect(f.json('dash/health/alpha.json')).toMatchObject({ status: 'healthy', exit_code: 0 })
  })

  it('a second run without a new plan runs nothing and rewrites no evidence', async () => {
    const { f, orders } = await planned(twoProducts())
    expect((await run(f)).code).toBe(0)
    const before = f.hashes('dash')
    const files = Object.keys(before).filter((file) => before[file] !== 'dir')
    const mtimes = files.map((file) => mtimeOf(f.path(file)))
    const again = await run(f)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing to do: every work order was done by an earlier run; plan again')
    for (const order of orders) expect(again.stdout).toContain(`done    ${order.job_id}`)
    const json = await runJson(f)
    expect(json.code).toBe(0)
    expect(json.data.status).toBe('nothing_to_do')
    expect(json.data.jobs.map((j) => [j.job_id, j.status])).toEqual(orders.map((o) => [o.job_id, 'done_earlier']))
    expect(f.hashes('dash')).toEqual(before)
    expect(files.map((file) => mtimeOf(f.path(file)))).toEqual(mtimes)
  })

  describe('stop conditions', () => {
    const killSwitchJson = JSON.stringify({ enabled: true, reason: 'pulled mid-run' })
    const validateOnly = (id: string, extra: Partial<ProductSpec> = {}): ProductSpec => ({ id, commands: { validate: step('print', `${id} valid`) }, ...extra })
    const cases: Array<{
      name: string
      spec: FleetSpec
      /** After the plan, before the run. */
      before?: (f: Fleet) => Promise<void>
      order: string[]
      kind: string
      message: string
      ran: string[]
      skipped: string[]
      check?: (f: Fleet, orders: WorkOrder[]) => void
    }> = [
      {
        name: 'a kill switch on before the run for a product it touches: nothing runs',
        spec: { products: [validateOnly('alpha'), validateOnly('beta')] },
        before: async (f) => void (await f.write('dash/kill_switch/beta.json', JSON.stringify({ enabled: true, reason: 'frozen' }))),
        order: ['alpha.validate', 'beta.validate'],
        kind: 'kill_switch',
        message: 'kill switch on for beta: frozen (dash/kill_switch/beta.json)',
        ran: [],
        skipped: ['alpha.validate', 'beta.validate'],
        check: (f) => expect(f.exists('dash/runs')).toBe(false),
      },
      {
        name: 'a kill switch turned on mid-run by a job’s command: the later jobs are skipped',
        spec: {
          products: [{ id: 'first', priority: 10, commands: { validate: step('write', 'dash/kill_switch/second.json', killSwitchJson) } }, validateOnly('second'), validateOnly('third')],
        },
        order: ['first.validate', 'second.validate', 'third.validate'],
        kind: 'kill_switch',
        message: 'kill switch on for second: pulled mid-run (dash/kill_switch/second.json)',
        ran: ['first.validate'],
        skipped: ['second.validate', 'third.validate'],
      },
      {
        name: 'a kill switch turned on mid-run for a product the run does not touch',
        spec: { products: [{ id: 'first', priority: 10, commands: { validate: step('write', 'dash/kill_switch/idle.json', killSwitchJson) } }, validateOnly('second'), { id: 'idle', commands: {} }] },
        order: ['first.validate', 'second.validate'],
        kind: 'kill_switch',
        message: 'kill switch on for idle: pulled mid-run (dash/kill_switch/idle.json)',
        ran: ['first.validate'],
        skipped: ['second.validate'],
      },
      {
        name: 'a failed health check before a job other than validate',
        spec: {
          products: [
            { id: 'sick', commands: { validate: step('print', 'sick valid'), test: step('print', 'sick tests pass') }, health: { command: step('eprint', 'database unreachable', 'exit', 1) } },
            validateOnly('well', { priority: -10 }),
          ],
        },
        order: ['sick.validate', 'sick.test', 'well.validate'],
        kind: 'health_check_failed',
        message: 'health check failed: sick: database unreachable',
        ran: ['sick.validate'],
        skipped: ['sick.test', 'well.validate'],
        check: (f, orders) => {
          expect(f.json('dash/health/sick.json')).toMatchObject({ status: 'unhealthy', detail: 'database unreachable', exit_code: 1 })
          expect(f.exists(evidenceDir(orders[1] as WorkOrder))).toBe(false)
        },
      },
      {
        name: 'a failed test: the later jobs are skipped',
        spec: { products: [{ id: 'flaky', priority: 10, commands: { test: step('print', 'not ok 1 - totals', 'exit', 1) } }, { id: 'later', commands: { validate: step('print', 'later valid'), test: step('print', 'later ok') } }] },
        order: ['flaky.test', 'later.validate', 'later.test'],
        kind: 'test_failed',
        message: 'test failed: flaky.test.',
        ran: ['flaky.test'],
        skipped: ['later.validate', 'later.test'],
        check: (f, orders) => {
          const evidence = f.json<Evidence>(`${evidenceDir(orders[0] as WorkOrder)}/evidence.json`)
          expect(evidence).toMatchObject({ exit_status: 'failed_test', exit_code: 1, log_tail: ['not ok 1 - totals'] })
          expect(f.json<LastRun>('dash/runs/flaky/last_run.json')).toMatchObject({ exit_status: 'failed_test', intents: { test: { exit_status: 'failed_test' } } })
          expect(f.exists('dash/runs/later')).toBe(false)
        },
      },
    ]
    it.each(cases)('$name: exit 4 ($kind)', async ({ spec, before, order, kind, message, ran, skipped, check }) => {
      // one copy for the text output, one for --json
      const [text, json] = await Promise.all([planned(spec), planned(spec)])
      expect(text.orders.map(tag)).toEqual(order)
      await before?.(text.f)
      await before?.(json.f)
      const [printed, doc] = await Promise.all([run(text.f), runJson(json.f)])
      expect(printed.code).toBe(4)
      expect(printed.stdout).toContain(`stopped (${kind}): ${message}`)
      expect(doc.code).toBe(4)
      expect(doc.data.status).toBe('stopped')
      expect(doc.data.stop_reason?.kind).toBe(kind)
      expect(doc.data.stop_reason?.message).toContain(message)
      expect([...byStatus(doc.data.jobs, 'ok'), ...byStatus(doc.data.jobs, 'failed')]).toEqual(ran)
      expect(byStatus(doc.data.jobs, 'skipped')).toEqual(skipped)
      for (const f of [text.f, json.f]) {
        for (const o of json.orders) expect(f.exists(`${evidenceDir(o)}/evidence.json`), o.job_id).toBe(ran.includes(tag(o)))
        check?.(f, json.orders)
      }
    })

    it('a failed validate is not a stop condition: the run goes on and exits 1', async () => {
      const { f, orders } = await planned({
        products: [{ id: 'broken', priority: 10, commands: { validate: step('eprint', 'schema mismatch', 'exit', 2) } }, { id: 'fine', commands: { validate: step('print', 'fine valid'), test: step('print', 'fine ok') } }],
      })
      expect(orders.map(tag)).toEqual(['broken.validate', 'fine.validate', 'fine.test'])
      const doc = await runJson(f)
      expect(doc.code).toBe(1)
      expect(doc.data.status).toBe('failed')
      expect(doc.data.stop_reason).toBeNull()
      expect(doc.data.jobs.map((j) => [tag(j), j.status, j.exit_status])).toEqual([
        ['broken.validate', 'failed', 'failed_validate'],
        ['fine.validate', 'ok', 'ok'],
        ['fine.test', 'ok', 'ok'],
      ])
      expect(f.json<Evidence>(`${evidenceDir(orders[0] as WorkOrder)}/evidence.json`)).toMatchObject({ exit_code: 2, exit_status: 'failed_validate', reason: expect.stringContaining('exited 2'), log_tail: ['schema mismatch'] })
      expect(f.json<LastRun>('dash/runs/broken/last_run.json')).toMatchObject({ exit_status: 'failed_validate' })
    })

    it('a kill switch pulled while a job runs stops that job, not only the next one', async () => {
      // The switch is the operator's emergency brake: it should not wait out a job's whole budget.
      const { f, orders } = await planned({
        products: [{ id: 'long', commands: { validate: step('pid', 'run/long.pid', 'sleep', 5000, 'print', 'done') } }, validateOnly('next', { priority: -10 })],
      })
      const child = startOracle(f.dir, ['run', '--json'])
      await waitFor(() => pidsIn(f, 'run/long.pid').length > 0)
      await f.write('dash/kill_switch/long.json', JSON.stringify({ enabled: true, reason: 'operator stop' }))
      const pulled = Date.now()
      const result = await child.done
      const afterPull = Date.now() - pulled
      expect(result.code).toBe(4)
      const doc = JSON.parse(result.stdout) as RunOutcome
      expect(doc.stop_reason?.kind).toBe('kill_switch')
      expect(byStatus(doc.jobs, 'skipped')).toEqual(['next.validate'])
      expect(f.json<Evidence>(`${evidenceDir(orders[0] as WorkOrder)}/evidence.json`).exit_status).toBe('stopped_kill_switch')
      expect(await f.read(`${evidenceDir(orders[0] as WorkOrder)}/stdout.log`).catch(() => '')).not.toContain('done')
      expect(pidsIn(f, 'run/long.pid').filter(isAlive)).toEqual([])
      // the job was stopped well before its 5 s sleep ended
      expect(afterPull).toBeLessThan(3000)
    })
  })

})
