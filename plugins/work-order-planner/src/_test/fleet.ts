// Fleets for the planner's end-to-end tests: a temporary workspace whose config loads this
// plugin's build, small products whose every command is one script (tools/step.mjs) told by its
// arguments what to do, the Dash and PM artifacts to plan from, and the real `oracle` CLI.
import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type NodeRun, type TempWorkspace, createTempWorkspace, hashTree, plainEnv, startNode } from '@oraclekit/kernel/testing'
import type { Ajv as AjvClass, ErrorObject } from 'ajv'
import type { FormatsPlugin } from 'ajv-formats'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const CLI_BIN = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
export const PLUGIN_DIST = pathToFileURL(join(REPO_ROOT, 'plugins/work-order-planner/dist/index.js')).href
/** The plan's clock in every test whose output bytes matter. */
export const NOW = '2026-11-21T12:00:00Z'

// Operations run in order; files are workspace-relative (the script sits in <root>/tools/).
const STEP_SCRIPT = `import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const at = (rel) => { const path = join(root, rel); mkdirSync(dirname(path), { recursive: true }); return path }
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const op = args[i]
  if (op === 'pid') appendFileSync(at(args[++i]), process.pid + '\\n')
  else if (op === 'sleep') await new Promise((resolve) => setTimeout(resolve, Number(args[++i])))
  else if (op === 'print') process.stdout.write(args[++i] + '\\n')
  else if (op === 'eprint') process.stderr.write(args[++i] + '\\n')
  else if (op === 'append') { const file = at(args[++i]); appendFileSync(file, args[++i] + '\\n') }
  else if (op === 'write') { const file = at(args[++i]); writeFileSync(file, args[++i]) }
  else if (op === 'sleepfile') { let ms = 0; try { ms = Number(readFileSync(at(args[++i]), 'utf8')) } catch {} await new Promise((resolve) => setTimeout(resolve, ms)) }
  else if (op === 'exit') process.exit(Number(args[++i]))
  else if (op === 'failonce') { const file = at(args[++i]); try { readFileSync(file) } catch { writeFileSync(file, 'failed once'); process.stderr.write('first attempt fails\\n'); process.exit(1) } }
  else throw new Error('unknown step ' + op)
}
`

/**
 * A command of tools/step.mjs, run from a product root (products/<id>): `pid <file>` appends the
 * process id to a file, `sleep <ms>`, `sleepfile <file>` (as many ms as the file says), `print <text>`, `eprint <text>`, `append <file> <line>`,
 * `write <file> <text>`, `exit <code>`, `failonce <file>` (exit 1 the first time, marking the file). Files are workspace-relative.
 */
export const step = (...ops: Array<string | number>): string[] => ['node', '../../tools/step.mjs', ...ops.map(String)]

export type IntentName = 'validate' | 'test' | 'regenerate_report'

export interface ProductSpec {
  id: string
  commands: Partial<Record<IntentName, string | string[]>>
  health?: { command: string | string[]; timeoutMs?: number }
  priority?: number
  caps?: { maxWorkOrders?: number }
  env?: Record<string, string>
}

export interface FleetSpec {
  products: ProductSpec[]
  /** The planner's other options (budget, reportMaxAgeHours, …). */
  options?: Record<string, unknown>
  /** More files by workspace-relative path: dash/ and docs/pm/ artifacts. */
  files?: Record<string, string>
  /** More plugins, as JavaScript expressions (e.g. one that offers the heal policy). */
  plugins?: string[]
}

export function configText(spec: FleetSpec): string {
  const options = { ...spec.options, products: spec.products.map((p) => ({ root: `products/${p.id}`, ...p })) }
  const more = (spec.plugins ?? []).map((p) => `, ${p}`).join('')
  return `import workOrderPlanner from ${JSON.stringify(PLUGIN_DIST)}\nexport default { plugins: [workOrderPlanner(${JSON.stringify(options, null, 2)})${more}] }\n`
}

export interface Fleet extends TempWorkspace {
  /** Rewrites oracle.config.mjs for another fleet. */
  configure(spec: FleetSpec): Promise<void>
  json<T = any>(file: string): T
  /** sha256 of every file under `dir` (the workspace by default), by workspace-relative path; folders as `dir`. */
  hashes(dir?: string): Record<string, string>
  /** The names of the files in nexus/work_orders/. */
  orders(): string[]
}

export async function createFleet(spec: FleetSpec): Promise<Fleet> {
  const files: Record<string, string> = { 'oracle.config.mjs': configText(spec), 'tools/step.mjs': STEP_SCRIPT }
  for (const p of spec.products) files[`products/${p.id}/README.md`] = `# ${p.id}\n`
  const ws = await createTempWorkspace({ prefix: 'planner-', files: { ...files, ...spec.files } })
  return {
    ...ws,
    configure: async (next) => void (await ws.write('oracle.config.mjs', configText(next))),
    json: (file) => JSON.parse(readFileSync(ws.path(file), 'utf8')),
    hashes: (dir = '.') => hashTree(ws.path(dir), ws.dir),
    orders: () => (existsSync(ws.path('nexus/work_orders')) ? readdirSync(ws.path('nexus/work_orders')).sort() : []),
  }
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')


/** An Ajv 8 validator (with ajv-formats) of a JSON Schema document: the list of problems, empty when valid. */
export function jsonSchemaValidator(schema: object): (value: unknown) => ErrorObject[] {
  // Both are CommonJS: require gives the constructor and the plugin without default-import guesswork.
  const require = createRequire(import.meta.url)
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass }
  const addFormats = require('ajv-formats') as FormatsPlugin
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats(ajv)
  const validate = ajv.compile(schema)
  return (value) => (validate(value) ? [] : [...(validate.errors ?? [])])
}

export const mtimeOf = (path: string): number => statSync(path).mtimeMs

// ---------------------------------------------------------------------------------------------
// The CLI

export type OracleResult = NodeRun

export interface Started {
  child: ChildProcess
  done: Promise<OracleResult>
}

/** Starts the real CLI in `cwd`, without colours. */
export const startOracle = (cwd: string, args: string[], env: Record<string, string> = {}): Started => startNode(CLI_BIN, args, { cwd, env: plainEnv(env) })

export function oracle(cwd: string, args: string[], env: Record<string, string> = {}): Promise<OracleResult> {
  return startOracle(cwd, args, env).done
}

/** `oracle plan` on the pinned clock. */
export const plan = (cwd: string, args: string[] = []): Promise<OracleResult> => oracle(cwd, ['plan', ...args], { ORACLE_NOW: NOW })

/** `--json` output, parsed; the exit code beside it. */
export async function oracleJson<T = any>(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; data: T; stderr: string }> {
  const result = await oracle(cwd, [...args, '--json'], env)
  let data: T
  try {
    data = JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`oracle ${args.join(' ')} --json printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
  return { code: result.code, data, stderr: result.stderr }
}

// ---------------------------------------------------------------------------------------------
// Artifacts

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

export const killSwitchFile = (id: string, reason = 'frozen for the test'): Record<string, string> => ({
  [`dash/kill_switch/${id}.json`]: json({ enabled: true, reason, set_by: 'ops@example.com', set_at: '2026-11-19T09:00:00Z' }),
})

export const healthFile = (id: string, status: 'healthy' | 'unhealthy', detail = status === 'healthy' ? 'all good' : 'shard 2 unreachable'): Record<string, string> => ({
  [`dash/health/${id}.json`]: json({ status, checked_at: '2026-11-20T06:00:00Z', detail, exit_code: status === 'healthy' ? 0 : 1 }),
})

/** A last_run.json whose intents ended as given, at the given times. */
export function lastRunFile(id: string, intents: Record<string, { exit_status: string; finished_at: string }>): Record<string, string> {
  const [latestIntent, latest] = Object.entries(intents).sort(([, a], [, b]) => (a.finished_at < b.finished_at ? 1 : -1))[0] as [string, { exit_status: string; finished_at: string }]
  const runId = (intent: string) => `20261101T000000.000Z-${intent}`
  return {
    [`dash/runs/${id}/last_run.json`]: json({
      schema_version: 1,
      product_id: id,
      run_id: runId(latestIntent),
      job_id: `${id}.${latestIntent}.00000000`,
      intent: latestIntent,
      exit_status: latest.exit_status,
      exit_code: latest.exit_status === 'ok' ? 0 : 1,
      started_at: latest.finished_at,
      finished_at: latest.finished_at,
      duration_ms: 0,
      evidence: `dash/runs/${id}/${runId(latestIntent)}/evidence.json`,
      intents: Object.fromEntries(Object.entries(intents).map(([intent, run]) => [intent, { run_id: runId(intent), ...run }])),
    }),
  }
}

export const dossierFile = (dossierId: string, productId: string, status: string, proofs: string[]): Record<string, string> => ({
  [`docs/pm/dossiers/${dossierId}.md`]: [
    '---',
    `dossier_id: "${dossierId}"`,
    `product_id: "${productId}"`,
    `status: "${status}"`,
    'acceptance_proofs:',
    ...proofs.map((p) => `  - "${p}"`),
    '---',
    '',
    `# Design Dossier: ${dossierId}`,
    '',
  ].join('\n'),
})

/** A spec whose traceability table has the given rows (requirement, status); `header` goes on top. */
export const specFile = (name: string, header: string[], rows: Array<[string, string]>): Record<string, string> => ({
  [`docs/pm/specs/${name}.md`]: [
    `# Spec: ${name}`,
    '',
    ...header,
    '',
    '## Traceability Map',
    '| Requirement | File/Component | Test Case | Status |',
    '|-------------|----------------|-----------|--------|',
    ...rows.map(([req, status]) => `| ${req} | src/${req}.mjs | test/${req}.test.mjs | ${status} |`),
    '',
  ].join('\n'),
})

export const roadmapFile = (lanes: { now?: string[]; next?: string[]; later?: string[] }): Record<string, string> => ({
  'docs/pm/ROADMAP.md': ['# Roadmap', '', '## Now', ...(lanes.now ?? []).map((l) => `- ${l}`), '', '## Next', ...(lanes.next ?? []).map((l) => `- ${l}`), '', '## Later', ...(lanes.later ?? []).map((l) => `- ${l}`), ''].join('\n'),
})

/**
 * The fleet the plan tests start from: billing (priority +10, on the Now lane, an approved dossier
 * with pending proofs, a spec with pending rows, a stale report), web (its last test failed),
 * search (unhealthy) and legacy (kill-switched, capped at one order).
 */
export function sampleFleet(): FleetSpec {
  const commands = (id: string) => ({ validate: step('print', `${id} valid`), test: step('print', `${id} tests pass`), regenerate_report: step('print', `${id} report`) })
  return {
    products: [
      { id: 'billing', commands: commands('billing'), health: { command: step('print', 'healthy') }, priority: 10 },
      { id: 'web', commands: commands('web') },
      { id: 'search', commands: { validate: step('print', 'search valid'), test: step('print', 'search tests pass') }, health: { command: step('exit', 1) } },
      { id: 'legacy', commands: commands('legacy'), caps: { maxWorkOrders: 1 } },
    ],
    files: {
      ...lastRunFile('billing', {
        validate: { exit_status: 'ok', finished_at: '2026-11-20T07:00:00.000Z' },
        test: { exit_status: 'ok', finished_at: '2026-11-20T07:01:00.000Z' },
        regenerate_report: { exit_status: 'ok', finished_at: '2026-11-18T07:00:00.000Z' },
      }),
      ...lastRunFile('web', { test: { exit_status: 'failed_test', finished_at: '2026-11-20T08:00:00.000Z' } }),
      ...healthFile('billing', 'healthy'),
      ...healthFile('search', 'unhealthy'),
      ...killSwitchFile('legacy', 'frozen during the data migration'),
      ...roadmapFile({ now: ['billing: retries (DOS-1)'], next: ['web: one-page checkout'], later: ['search: rebalance shards'] }),
      ...dossierFile('DOS-1', 'billing', 'approved', ['[x] backoff doubles', 'Retry-After is honoured', 'the report lists the worst case']),
      ...specFile('billing-retries', ['Product: billing', 'Dossier: DOS-1'], [
        ['FR-001', 'Done'],
        ['FR-002', 'Pending'],
        ['FR-003', 'Pending'],
      ]),
    },
  }
}
