// Dash facts from real files in temp workspaces: kill switches, health and last runs, read with
// their source; bad files stop the read with a coded error naming the file (and line); reading
// writes nothing.

import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { type OracleError, isOracleError, stableStringify } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { useTempRoot } from '../_test/temp-root.js'
import type { Health, KillSwitch, LastRun } from '../schema/artifacts.js'
import { readDashFacts } from './dash.js'

const PRODUCTS = ['alpha', 'beta', 'web.app']

const temp = useTempRoot('dash-')

const write = (files: Record<string, string>) => temp.write(files)

const KILL: KillSwitch = { enabled: true, reason: 'freeze', set_by: 'ops', set_at: '2026-03-10T10:00:00.000Z' }
const HEALTHY: Health = { status: 'healthy', checked_at: '2026-03-10T11:00:00.000Z', detail: 'health check passed', exit_code: 0 }
const UNHEALTHY: Health = { status: 'unhealthy', detail: 'db down', exit_code: 1 }

function lastRun(productId: string, dash = 'dash'): LastRun {
  const run_id = `${productId}.test.0123abcd`
  return {
    schema_version: 1,
    product_id: productId,
    run_id,
    job_id: run_id,
    intent: 'test',
    exit_status: 'failed_test',
    exit_code: 1,
    started_at: '2026-03-10T11:59:00.000Z',
    finished_at: '2026-03-10T12:00:00.000Z',
    duration_ms: 60_000,
    evidence: `${dash}/runs/${productId}/${run_id}/evidence.json`,
    intents: { test: { run_id, exit_status: 'failed_test', finished_at: '2026-03-10T12:00:00.000Z' } },
  }
}

const json = (value: unknown) => stableStringify(value)

async function failure(productIds: readonly string[] = PRODUCTS, dashDir = 'dash'): Promise<OracleError> {
  const error: unknown = await readDashFacts(temp.dir, dashDir, productIds).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
  return error
}

/** Every path under the temp folder with its bytes and mtime, to show that reading wrote nothing. */
function snapshot(dir = temp.dir, prefix = ''): Array<[string, string, number]> {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry): Array<[string, string, number]> => {
      const rel = `${prefix}${entry.name}`
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return [[`${rel}/`, '', statSync(path).mtimeMs], ...snapshot(path, `${rel}/`)]
      return [[rel, readFileSync(path, 'utf8'), statSync(path).mtimeMs]]
    })
}

describe('readDashFacts: what is there', () => {
  it('gives empty maps when the dash folder does not exist', async () => {
    expect(await readDashFacts(temp.dir, 'dash', PRODUCTS)).toEqual({ killSwitches: new Map(), health: new Map(), lastRuns: new Map() })
    expect(readdirSync(temp.dir)).toEqual([])
  })

  it('gives empty maps for empty folders', async () => {
    for (const dir of ['dash/kill_switch', 'dash/health', 'dash/runs']) mkdirSync(join(temp.dir, dir), { recursive: true })
    expect(await readDashFacts(temp.dir, 'dash', PRODUCTS)).toEqual({ killSwitches: new Map(), health: new Map(), lastRuns: new Map() })
  })

  it('reads each file with its workspace-relative source, keyed and ordered by product id', async () => {
    write({
      'dash/kill_switch/beta.json': json({ enabled: false }),
      'dash/kill_switch/alpha.json': json(KILL),
      'dash/health/web.app.json': json(UNHEALTHY),
      'dash/health/alpha.json': json(HEALTHY),
      'dash/runs/beta/last_run.json': json(lastRun('beta')),
      'dash/runs/alpha/last_run.json': json(lastRun('alpha')),
      'dash/runs/alpha/alpha.test.0123abcd/evidence.json': '{}',
    })
    const facts = await readDashFacts(temp.dir, 'dash', PRODUCTS)
    expect(facts.killSwitches).toEqual(
      new Map([
        ['alpha', { ...KILL, source: 'dash/kill_switch/alpha.json' }],
        ['beta', { enabled: false, source: 'dash/kill_switch/beta.json' }],
      ]),
    )
    expect(facts.health).toEqual(
      new Map([
        ['alpha', { ...HEALTHY, source: 'dash/health/alpha.json' }],
        ['web.app', { ...UNHEALTHY, source: 'dash/health/web.app.json' }],
      ]),
    )
    expect(facts.lastRuns).toEqual(
      new Map([
        ['alpha', { ...lastRun('alpha'), source: 'dash/runs/alpha/last_run.json' }],
        ['beta', { ...lastRun('beta'), source: 'dash/runs/beta/last_run.json' }],
      ]),
    )
    expect([...facts.killSwitches.keys()]).toEqual(['alpha', 'beta'])
    expect([...facts.lastRuns.keys()]).toEqual(['alpha', 'beta'])
  })

  it.each([
    { name: 'non-JSON files in kill_switch/ and health/', files: { 'dash/kill_switch/README.md': '# how to', 'dash/health/alpha.json.bak': '{', 'dash/health/notes.txt': 'x' } },
    { name: 'dot files', files: { 'dash/kill_switch/.gitkeep': '', 'dash/health/.alpha.json': '{', 'dash/runs/.tmp/last_run.json': '{' } },
    { name: 'a runs folder without last_run.json', files: { 'dash/runs/alpha/alpha.test.1/evidence.json': '{}' } },
    { name: 'a runs folder of an undeclared product without last_run.json', files: { 'dash/runs/retired/retired.test.1/evidence.json': '{}' } },
  ] as Array<{ name: string; files: Record<string, string> }>)('ignores $name', async ({ files }) => {
    write(files)
    expect(await readDashFacts(temp.dir, 'dash', PRODUCTS)).toEqual({ killSwitches: new Map(), health: new Map(), lastRuns: new Map() })
  })

  it.each([
    { dashDir: 'dash', dir: 'dash' },
    { dashDir: 'dash/', dir: 'dash' },
    { dashDir: 'dash//', dir: 'dash' },
    { dashDir: 'ops/dash', dir: 'ops/dash' },
  ])('dash dir "$dashDir": sources under $dir/', async ({ dashDir, dir }) => {
    write({
      [`${dir}/kill_switch/alpha.json`]: json(KILL),
      [`${dir}/health/alpha.json`]: json(HEALTHY),
      [`${dir}/runs/alpha/last_run.json`]: json(lastRun('alpha', dir)),
    })
    const facts = await readDashFacts(temp.dir, dashDir, PRODUCTS)
    expect(facts.killSwitches.get('alpha')?.source).toBe(`${dir}/kill_switch/alpha.json`)
    expect(facts.health.get('alpha')?.source).toBe(`${dir}/health/alpha.json`)
    expect(facts.lastRuns.get('alpha')?.source).toBe(`${dir}/runs/alpha/last_run.json`)
  })

  it('writes nothing', async () => {
    write({
      'dash/kill_switch/alpha.json': json(KILL),
      'dash/health/beta.json': json(HEALTHY),
      'dash/runs/alpha/last_run.json': json(lastRun('alpha')),
      'dash/runs/beta/beta.test.1/evidence.json': '{}',
    })
    const before = snapshot()
    await readDashFacts(temp.dir, 'dash', PRODUCTS)
    await readDashFacts(temp.dir, 'dash', PRODUCTS)
    expect(snapshot()).toEqual(before)
  })
})

describe('readDashFacts: broken JSON', () => {
  it.each([
    { name: 'a trailing comma in a kill switch', rel: 'dash/kill_switch/alpha.json', text: '{\n  "enabled": true,\n}\n', line: 3 },
    { name: 'a missing comma in a health file', rel: 'dash/health/beta.json', text: '{\n  "status": "healthy"\n  "detail": "ok"\n}\n', line: 3 },
    { name: 'a truncated health file (the end of input is line 3)', rel: 'dash/health/web.app.json', text: '{\n  "status": "healthy",\n', line: 3 },
    { name: 'a truncated health file without a final newline', rel: 'dash/health/web.app.json', text: '{\n  "status": "healthy",', line: 2 },
    { name: 'an empty kill switch', rel: 'dash/kill_switch/beta.json', text: '', line: 1 },
    { name: 'a stray character in last_run.json', rel: 'dash/runs/alpha/last_run.json', text: '{\n  "schema_version": 1,\n  "product_id": "alpha"\n  x\n}\n', line: 4 },
  ])('$name: ORACLE_PLAN_ARTIFACT_INVALID at line $line', async ({ rel, text, line }) => {
    write({ [rel]: text })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(error.exitCode).toBe(3)
    expect(error.file).toBe(rel)
    expect(error.line).toBe(line)
    expect(error.message.startsWith(`${rel}: not valid JSON: `)).toBe(true)
    expect(error.hint).toBe('Fix the file (or delete it, when it is generated) and plan again. Nothing was written.')
  })

  it('writes nothing when it fails', async () => {
    write({ 'dash/kill_switch/alpha.json': json(KILL), 'dash/health/alpha.json': '{', 'dash/runs/alpha/last_run.json': json(lastRun('alpha')) })
    const before = snapshot()
    await failure()
    expect(snapshot()).toEqual(before)
  })
})

describe('readDashFacts: wrong shape', () => {
  it.each([
    {
      name: 'a kill switch with a string flag',
      rel: 'dash/kill_switch/alpha.json',
      value: { enabled: 'yes' },
      problems: [['enabled', 'must be a boolean (got string "yes")']],
    },
    {
      name: 'a kill switch with an unknown key',
      rel: 'dash/kill_switch/alpha.json',
      value: { enabled: true, reasn: 'typo' },
      problems: [['reasn', 'unknown key "reasn"']],
    },
    {
      name: 'a health file with an unknown status',
      rel: 'dash/health/beta.json',
      value: { status: 'sick' },
      problems: [['status', 'must be one of "healthy", "unhealthy", "unknown" (got string "sick")']],
    },
    {
      name: 'a health file with a bad timestamp',
      rel: 'dash/health/beta.json',
      value: { status: 'healthy', checked_at: 'yesterday' },
      problems: [['checked_at', 'must match format "date-time" (got string "yesterday")']],
    },
    {
      name: 'a health file that is an array',
      rel: 'dash/health/beta.json',
      value: [{ status: 'healthy' }],
      problems: [['(root)', 'must be an object (got an array of 1)']],
    },
    {
      name: 'a last_run.json with only two keys',
      rel: 'dash/runs/alpha/last_run.json',
      value: { schema_version: 1, product_id: 'alpha' },
      problems: ['run_id', 'job_id', 'intent', 'exit_status', 'exit_code', 'started_at', 'finished_at', 'duration_ms', 'evidence', 'intents'].map((key) => [key, `missing required key "${key}"`]),
    },
    {
      name: 'a last_run.json with an exit status outside the closed set',
      rel: 'dash/runs/alpha/last_run.json',
      value: { ...lastRun('alpha'), exit_status: 'passed' },
      problems: [['exit_status', expect.stringMatching(/^must be one of "ok", .* \(got string "passed"\)$/)]],
    },
  ])('$name: every problem, each naming the file', async ({ rel, value, problems }) => {
    write({ [rel]: json(value) })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(error.exitCode).toBe(3)
    expect(error.file).toBe(rel)
    expect(error.line).toBeUndefined()
    expect(error.problems.map((p) => [p.path, p.message])).toEqual(problems)
    expect(error.problems.every((p) => p.file === rel)).toBe(true)
    expect(error.message).toBe(`${rel}: ${problems.length} problem(s) against its schema, first: ${error.problems[0]?.path} ${error.problems[0]?.message}`)
  })
})

describe('readDashFacts: files that do not fit the config', () => {
  const DECLARE = "Declare it in the work-order-planner plugin's `products` option, or fix the id. Declared: alpha, beta, web.app."
  const near = (id: string) => `Did you mean "${id}"? Products are the work-order-planner plugin's \`products\` option.`

  it.each([
    { name: 'a kill switch for a typo of a product', rel: 'dash/kill_switch/alpah.json', text: json(KILL), product: 'alpah', hint: near('alpha') },
    { name: 'a kill switch for an unknown product', rel: 'dash/kill_switch/gamma.json', text: json(KILL), product: 'gamma', hint: DECLARE },
    { name: 'a broken kill switch for an unknown product', rel: 'dash/kill_switch/gamma.json', text: '{', product: 'gamma', hint: DECLARE },
    { name: 'a health file for a near miss', rel: 'dash/health/web-app.json', text: json(HEALTHY), product: 'web-app', hint: near('web.app') },
    { name: 'a health file for an unknown product', rel: 'dash/health/payments.json', text: json(UNHEALTHY), product: 'payments', hint: DECLARE },
    { name: 'a runs folder for a near miss', rel: 'dash/runs/bet/last_run.json', text: json(lastRun('bet')), product: 'bet', hint: near('beta') },
    { name: 'a runs folder for an unknown product', rel: 'dash/runs/retired/last_run.json', text: json(lastRun('retired')), product: 'retired', hint: DECLARE },
  ])('$name: ORACLE_PLAN_UNKNOWN_PRODUCT', async ({ rel, text, product, hint }) => {
    write({ [rel]: text })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_UNKNOWN_PRODUCT')
    expect(error.exitCode).toBe(3)
    expect(error.file).toBe(rel)
    expect(error.message).toBe(`${rel}: product "${product}" is not declared in the config`)
    expect(error.hint).toBe(hint)
  })

  it('names no product when none is declared', async () => {
    write({ 'dash/health/alpha.json': json(HEALTHY) })
    expect((await failure([])).hint).toBe("Declare it in the work-order-planner plugin's `products` option, or fix the id. Declared: none.")
  })

  it.each([
    { name: 'another declared product', folder: 'alpha', productId: 'beta' },
    { name: 'an undeclared product', folder: 'beta', productId: 'gamma' },
  ])('a last_run.json in the folder of $folder naming $name ($productId): ORACLE_PLAN_ARTIFACT_INVALID', async ({ folder, productId }) => {
    const rel = `dash/runs/${folder}/last_run.json`
    write({ [rel]: json(lastRun(productId)) })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(error.exitCode).toBe(3)
    expect(error.file).toBe(rel)
    expect(error.message).toBe(`${rel}: product_id is "${productId}" but the file is in the folder of "${folder}"`)
  })
})
