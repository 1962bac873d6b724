// `oracle plan` end to end: the real CLI and this plugin's build, in temporary fleets.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Fleet,
  type FleetSpec,
  REPO_ROOT,
  createFleet,
  healthFile,
  jsonSchemaValidator,
  killSwitchFile,
  mtimeOf,
  oracle,
  plan,
  sampleFleet,
  specFile,
  step,
} from './_test/fleet.js'
import type { WorkOrder } from './schema/artifacts.js'

interface PlanJson {
  work_orders: WorkOrder[]
  held: Array<{ product_id: string; intents: string[]; reason: string; source: string }>
  skipped: Array<{ job_id: string; reason: string }>
  candidates: number
  written: string[]
  removed: string[]
}

const fleets: Fleet[] = []
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.cleanup()))
})
async function fleet(spec: FleetSpec = sampleFleet()): Promise<Fleet> {
  const f = await createFleet(spec)
  fleets.push(f)
  return f
}

async function planJson(f: Fleet, args: string[] = []): Promise<PlanJson> {
  const result = await plan(f.dir, [...args, '--json'])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as PlanJson
}

const tag = (o: Pick<WorkOrder, 'product_id' | 'intent'>) => `${o.product_id}.${o.intent}`

describe('oracle plan', () => {
  it('writes exactly --budget work orders, each valid against the work-order schema', async () => {
    const f = await fleet()
    const result = await plan(f.dir, ['--budget', '3'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('3 work order(s) of 7 candidate(s), budget 3')

    const committed = join(REPO_ROOT, 'schemas/work_order.schema.json')
    const schemaFile = existsSync(committed) ? committed : f.path('nexus/schemas/work_order.schema.json')
    expect(f.exists('nexus/schemas/work_order.schema.json')).toBe(true)
    expect(f.json('nexus/schemas/work_order.schema.json')).toMatchObject({ title: 'Work order' })
    const validate = jsonSchemaValidator(JSON.parse(readFileSync(schemaFile, 'utf8')) as object)

    const names = f.orders()
    expect(names).toHaveLength(3)
    const orders = names.map((name) => f.json<WorkOrder>(`nexus/work_orders/${name}`))
    for (const [i, order] of orders.entries()) {
      expect(validate(order), names[i]).toEqual([])
      expect(names[i]).toBe(`${order.job_id}.json`)
      expect(order.job_id).toMatch(new RegExp(`^${order.product_id}\\.${order.intent}\\.[0-9a-f]{8}$`))
    }
    // search's validate while unhealthy (80), web's failed test (68), billing's stale report (59)
    expect(orders.map(tag).sort()).toEqual(['billing.regenerate_report', 'search.validate', 'web.test'])
    const webTest = orders.find((o) => tag(o) === 'web.test') as WorkOrder
    expect(webTest.inputs.reasons[0]).toBe('last test ended failed_test (2026-11-20T08:00:00.000Z)')
    expect(webTest.inputs.sources).toEqual(['dash/runs/web/last_run.json', 'docs/pm/ROADMAP.md:7'])
    expect(webTest.inputs.command).toEqual(step('print', 'web tests pass'))
    expect(webTest.inputs.cwd).toBe('products/web')
    expect(webTest.priority).toBe(68)
    // the report (2026-11-18T07:00Z) is older than 24 h on the pinned clock
    const report = orders.find((o) => tag(o) === 'billing.regenerate_report') as WorkOrder
    expect(report.priority).toBe(59)
    expect(report.inputs.reasons).toContainEqual(expect.stringContaining('24 h'))
    expect(report.stop_conditions).toEqual(['kill_switch', 'health_check_failed', 'test_failed', 'budget_exhausted', 'run_timeout'])
    expect(report.evidence_expectations).toEqual([
      `dash/runs/billing/${report.job_id}/evidence.json`,
      `dash/runs/billing/${report.job_id}/stdout.log`,
      `dash/runs/billing/${report.job_id}/stderr.log`,
      'dash/runs/billing/last_run.json',
    ])
  })

  it('gives byte-identical files for the same inputs: twice in one workspace, and in a copy', async () => {
    const f = await fleet()
    expect((await plan(f.dir, ['--budget', '3'])).code).toBe(0)
    const first = f.hashes('nexus')
    const files = Object.keys(first).filter((file) => first[file] !== 'dir')
    expect(files).toHaveLength(4)
    const mtimes = files.map((file) => mtimeOf(f.path(file)))

    const again = await plan(f.dir, ['--budget', '3'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('unchanged: the work orders on disk are already this plan')
    expect(f.hashes('nexus')).toEqual(first)
    expect(files.map((file) => mtimeOf(f.path(file)))).toEqual(mtimes)

    const copy = await fleet()
    expect((await plan(copy.dir, ['--budget', '3'])).code).toBe(0)
    expect(copy.hashes('nexus')).toEqual(first)

    // the clock is an input: 5 h after billing's report, the report is not stale
    const earlier = await fleet()
    const other = await oracle(earlier.dir, ['plan', '--budget', '3', '--json'], { ORACLE_NOW: '2026-11-18T12:00:00Z' })
    expect(other.code).toBe(0)
    expect((JSON.parse(other.stdout) as PlanJson).work_orders.map(tag)).toEqual(['search.validate', 'web.test', 'billing.test'])
  })

  it('orders by priority, then intent rank, then product id (code units), then job id', async () => {
    const vtr = (id: string) => ({ validate: step('print', `${id} v`), test: step('print', `${id} t`), regenerate_report: step('print', `${id} r`) })
    // With no history: validate 40, test 33, report 24. charlie's test (+7) and delta's report
    // (+16) tie with the validates at 40; the app* ids sort differently by code unit and by locale.
    const f = await fleet({
      products: [
        { id: 'bravo', commands: vtr('bravo') },
        { id: 'alpha', commands: vtr('alpha') },
        { id: 'delta', commands: { regenerate_report: step('print', 'delta r') }, priority: 16 },
        { id: 'charlie', commands: { test: step('print', 'charlie t') }, priority: 7 },
        { id: 'app_0', commands: { validate: step('print', 'app_0 v') }, priority: -20 },
        { id: 'app1', commands: { validate: step('print', 'app1 v') }, priority: -20 },
        { id: 'app.1', commands: { validate: step('print', 'app.1 v') }, priority: -20 },
        { id: 'app-2', commands: { validate: step('print', 'app-2 v') }, priority: -20 },
      ],
      options: { budget: { perProduct: 3 } },
    })
    const out = await planJson(f, ['--budget', '20'])
    expect(out.work_orders.map(tag)).toEqual([
      'alpha.validate',
      'bravo.validate',
      'charlie.test',
      'delta.regenerate_report',
      'alpha.test',
      'bravo.test',
      'alpha.regenerate_report',
      'bravo.regenerate_report',
      'app-2.validate',
      'app.1.validate',
      'app1.validate',
      'app_0.validate',
    ])
    expect(out.work_orders.map((o) => o.priority)).toEqual([40, 40, 40, 40, 33, 33, 24, 24, 20, 20, 20, 20])
    // the files hold the same orders
    expect(f.orders()).toEqual(out.work_orders.map((o) => `${o.job_id}.json`).sort())
    for (const order of out.work_orders) expect(f.json(`nexus/work_orders/${order.job_id}.json`)).toEqual(order)
  })

  it('holds a kill-switched product and gives an unhealthy one only validate', async () => {
    const f = await fleet()
    const out = await planJson(f, ['--budget', '20'])
    const planned = out.work_orders.map(tag)
    expect(planned.filter((t) => t.startsWith('legacy.'))).toEqual([])
    expect(planned.filter((t) => t.startsWith('search.'))).toEqual(['search.validate'])
    expect(out.held).toEqual([
      { product_id: 'search', intents: ['test'], reason: 'unhealthy: shard 2 unreachable; only validate runs', source: 'dash/health/search.json' },
      { product_id: 'legacy', intents: ['validate', 'test', 'regenerate_report'], reason: 'kill switch on: frozen during the data migration', source: 'dash/kill_switch/legacy.json' },
    ])
    expect(f.orders().filter((n) => n.startsWith('legacy.'))).toEqual([])

    const text = await plan(f.dir, ['--budget', '20'])
    expect(text.stdout).toContain('held: legacy (validate, test, regenerate_report): kill switch on: frozen during the data migration [dash/kill_switch/legacy.json]')
    expect(text.stdout).toContain('held: search (test): unhealthy')
  })

  it('--product plans that product only', async () => {
    const f = await fleet()
    const out = await planJson(f, ['--product', 'web', '--budget', '20'])
    // web's cap is the default two per product
    expect(out.work_orders.map(tag)).toEqual(['web.test', 'web.validate'])
    expect(f.orders().every((name) => name.startsWith('web.'))).toBe(true)
    expect(f.orders()).toHaveLength(2)
  })

  it('--product with an unknown id exits 2 with a "Did you mean" hint, and writes nothing', async () => {
    const f = await fleet()
    const result = await plan(f.dir, ['--product', 'webb'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--product webb: no such product in the config')
    expect(result.stderr).toContain('Did you mean web?')
    expect(f.exists('nexus')).toBe(false)
  })

  it('--budget 0 writes no order and removes the previous plan’s', async () => {
    const f = await fleet()
    expect((await plan(f.dir, ['--budget', '3'])).code).toBe(0)
    const previous = f.orders()
    expect(previous).toHaveLength(3)
    const out = await planJson(f, ['--budget', '0'])
    expect(out.work_orders).toEqual([])
    expect(out.removed).toEqual(previous.map((name) => `nexus/work_orders/${name}`))
    expect(f.orders()).toEqual([])
    expect(f.exists('nexus/schemas/work_order.schema.json')).toBe(true)
  })

  it('a re-plan removes the orders that are not in the new plan and keeps the others untouched', async () => {
    const f = await fleet()
    const first = await planJson(f, ['--budget', '3'])
    const before = f.hashes('nexus/work_orders')
    const webTest = first.work_orders.find((o) => tag(o) === 'web.test') as WorkOrder
    const kept = first.work_orders.filter((o) => o !== webTest).map((o) => `nexus/work_orders/${o.job_id}.json`)
    const keptMtimes = kept.map((file) => mtimeOf(f.path(file)))

    for (const [file, text] of Object.entries(killSwitchFile('web'))) await f.write(file, text)
    const second = await planJson(f, ['--budget', '3'])
    expect(second.removed).toEqual([`nexus/work_orders/${webTest.job_id}.json`])
    // billing's test is next
    expect(second.work_orders.map(tag)).toEqual(['search.validate', 'billing.regenerate_report', 'billing.test'])
    expect(second.written).toEqual([`nexus/work_orders/${second.work_orders[2]?.job_id}.json`])
    const after = f.hashes('nexus/work_orders')
    for (const file of kept) expect(after[file]).toBe(before[file])
    expect(kept.map((file) => mtimeOf(f.path(file)))).toEqual(keptMtimes)
    expect(f.orders()).toHaveLength(3)
  })

  describe('refuses a bad artifact with exit 3, naming the file, and changes nothing under nexus/', () => {
    const cases: Array<{ name: string; files: Record<string, string>; code: string; where: string }> = [
      {
        name: 'malformed dossier front matter',
        files: { 'docs/pm/dossiers/DOS-2.md': '---\ndossier_id: "DOS-2"\nproduct_id: "web"\nproduct_id: "billing"\nstatus: "approved"\n---\n# Dossier\n' },
        code: 'ORACLE_PLAN_ARTIFACT_INVALID',
        where: 'docs/pm/dossiers/DOS-2.md:4',
      },
      {
        name: 'broken JSON in a last_run.json',
        files: { 'dash/runs/web/last_run.json': '{\n  "schema_version": 1,\n  "product_id": "web",\n  oops\n}\n' },
        code: 'ORACLE_PLAN_ARTIFACT_INVALID',
        where: 'dash/runs/web/last_run.json:4',
      },
      {
        name: 'a health file of the wrong shape',
        files: healthFile('web', 'sick' as 'healthy'),
        code: 'ORACLE_PLAN_ARTIFACT_INVALID',
        where: 'dash/health/web.json',
      },
      { name: 'a kill switch file for an unknown product', files: killSwitchFile('ghost'), code: 'ORACLE_PLAN_UNKNOWN_PRODUCT', where: 'dash/kill_switch/ghost.json' },
      {
        name: 'a last run in the folder of an unknown product',
        files: { 'dash/runs/webb/last_run.json': readFileSync(join(REPO_ROOT, 'examples/fleet/dash/runs/web-app/last_run.json'), 'utf8').replaceAll('web-app', 'webb') },
        code: 'ORACLE_PLAN_UNKNOWN_PRODUCT',
        where: 'dash/runs/webb/last_run.json',
      },
      // the pending row is on line 7
      { name: 'a spec with pending rows that names no product', files: specFile('orphan', [], [['FR-009', 'Pending']]), code: 'ORACLE_PLAN_ARTIFACT_INVALID', where: 'docs/pm/specs/orphan.md:7' },
      { name: 'a spec naming an unknown product', files: specFile('ghost', ['Product: ghost'], [['FR-009', 'Pending']]), code: 'ORACLE_PLAN_UNKNOWN_PRODUCT', where: 'docs/pm/specs/ghost.md:3' },
    ]
    it.each(cases)('$name → $code at $where', async ({ files, code, where }) => {
      const f = await fleet()
      expect((await plan(f.dir, ['--budget', '3'])).code).toBe(0)
      const before = f.hashes('nexus')
      for (const [file, text] of Object.entries(files)) await f.write(file, text)
      // a different budget would change the orders if the plan went through
      const result = await plan(f.dir, ['--budget', '5'])
      expect(result.code).toBe(3)
      expect(result.stderr).toContain(`error ${code}: `)
      expect(result.stderr).toMatch(new RegExp(`at ${where.replaceAll('.', '\\.')}(\\n|$)`, 'm'))
      expect(result.stdout).toBe('')
      expect(f.hashes('nexus')).toEqual(before)
    })
  })
})
