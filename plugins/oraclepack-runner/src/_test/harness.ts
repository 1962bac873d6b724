// Test harness: a temporary workspace with an oracle.config.mjs that loads this plugin's build,
// packs generated to order, the real `oracle` CLI run as a process, and the fake engine's records.
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type NodeRun, type TempWorkspace, createTempWorkspace, plainEnv, startNode } from '@oraclekit/kernel/testing'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const CLI_BIN = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
export const PLUGIN_DIST = pathToFileURL(join(REPO_ROOT, 'plugins/oraclepack-runner/dist/index.js')).href
export const FAKE_ORACLE = fileURLToPath(new URL('./fake-oracle.mjs', import.meta.url))
export const FIXTURE_PACK = join(REPO_ROOT, '../shared/fixtures/packs/strategist-pack-2026-01-02.md')

export const CATEGORIES = ['contracts/interfaces', 'invariants', 'caching/state', 'background jobs', 'observability', 'permissions', 'migrations', 'UX flows', 'failure modes', 'feature flags']

export interface PackOptions {
  steps?: number
  /** Files each step attaches (default: src/step-NN.ts, created by packWorkspace). */
  files?: (id: string) => string[]
  prompt?: (id: string) => string
}

/** A valid pack with `steps` steps (20 by default: strict-valid), in the strategist pack's style. */
export function makePack(options: PackOptions = {}): string {
  const count = options.steps ?? 20
  const steps = Array.from({ length: count }, (_, i) => {
    const id = String(i + 1).padStart(2, '0')
    const category = CATEGORIES[i % CATEGORIES.length] as string
    const roi = (5 - i * 0.1).toFixed(1)
    const files = (options.files ?? ((n: string) => [`src/step-${n}.ts`]))(id)
    const prompt =
      options.prompt?.(id) ??
      `Question #${id}\nReference: src/step-${id}.ts\nCategory: ${category}\n\nAnswer format:\n1) Direct answer\n2) Risks/unknowns\n3) Next smallest concrete experiment\n4) If evidence is insufficient, name the exact missing file/path pattern(s) to attach next.`
    return [
      `# ${id}) ROI=${roi} impact=0.9 confidence=0.8 effort=0.2 horizon=Immediate category=${category} reference=src/step-${id}.ts`,
      `oracle --files-report --write-output "$out_dir/${id}-${category.replace(/[^a-z]+/g, '-')}.md" -p "${prompt}" ${files.map((f) => `-f "${f}"`).join(' ')}`,
      '',
    ].join('\n')
  })
  return ['# Test pack', '', '```bash', 'out_dir="docs/answers"', 'mkdir -p "$out_dir"', '', ...steps, '```', ''].join('\n')
}

export interface PackWorkspace extends TempWorkspace {
  /** Where the fake engine records its calls. */
  calls: string
  /** Runs `oracle <args>` in the workspace. */
  oracle(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>
  /** Starts `oracle <args>` and returns the process (for signal tests). */
  start(args: string[], env?: NodeJS.ProcessEnv): ChildProcess
}

export type CliResult = NodeRun

export interface WorkspaceOptions {
  pack?: string
  steps?: number
  /** Plugin options, as JSON. */
  plugin?: Record<string, unknown>
  /** Kernel `run` settings. */
  run?: Record<string, unknown>
  files?: Record<string, string>
  /** The fake engine's per-step script. */
  script?: Record<string, string[]>
  latencyMs?: number
}

const baseEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => plainEnv({ ORACLE_CI: undefined, ...extra })

export async function packWorkspace(options: WorkspaceOptions = {}): Promise<PackWorkspace> {
  const steps = options.steps ?? 20
  const sources = Object.fromEntries(Array.from({ length: steps }, (_, i) => [`src/step-${String(i + 1).padStart(2, '0')}.ts`, `export const step = ${i + 1}\n`]))
  const plugin = { ...options.plugin, engine: { command: FAKE_ORACLE, ...((options.plugin?.engine as object | undefined) ?? {}) } }
  const config = `import oraclepack from ${JSON.stringify(PLUGIN_DIST)}\nexport default { plugins: [oraclepack(${JSON.stringify(plugin)})], run: ${JSON.stringify({ retries: { baseDelayMs: 1, maxDelayMs: 5 }, ...options.run })} }\n`
  const ws = await createTempWorkspace({
    prefix: 'oraclepack-',
    files: { 'oracle.config.mjs': config, 'pack.md': options.pack ?? makePack({ steps }), ...sources, ...options.files },
  })
  const calls = ws.path('.fake-oracle')
  const env = (extra: NodeJS.ProcessEnv = {}) =>
    baseEnv({ FAKE_ORACLE_DIR: calls, FAKE_ORACLE_SCRIPT: JSON.stringify(options.script ?? {}), FAKE_ORACLE_LATENCY_MS: String(options.latencyMs ?? 0), ORACLE_NOW: '2026-11-21T10:00:00.000Z', ...extra })
  const run = (args: string[], extra?: NodeJS.ProcessEnv) => startNode(CLI_BIN, args, { cwd: ws.dir, env: env(extra) })
  const start = (args: string[], extra?: NodeJS.ProcessEnv) => run(args, extra).child
  const oracle = (args: string[], extra?: NodeJS.ProcessEnv) => run(args, extra).done
  return Object.assign(ws, { calls, oracle, start })
}

export interface CallRecord {
  step: string
  attempt: number
  pid: number
  start: number
  end?: number
  outcome?: string
  args: string[]
}

/** Every engine call the fake recorded, with its end time when it finished, by start time. */
export function engineCalls(dir: string): CallRecord[] {
  if (!existsSync(join(dir, 'calls'))) return []
  const ends = existsSync(join(dir, 'ends.jsonl'))
    ? readFileSync(join(dir, 'ends.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CallRecord)
    : []
  return readdirSync(join(dir, 'calls'))
    .map((name) => JSON.parse(readFileSync(join(dir, 'calls', name), 'utf8')) as CallRecord)
    .map((call) => {
      const end = ends.find((e) => e.pid === call.pid && e.step === call.step)
      return end ? { ...call, end: end.end, outcome: end.outcome } : call
    })
    .sort((a, b) => a.start - b.start)
}

/** The most engine calls that were running at the same instant. */
export function maxConcurrency(calls: readonly CallRecord[]): number {
  const points = calls.flatMap((c) => [
    { t: c.start, d: 1 },
    { t: c.end ?? Number.POSITIVE_INFINITY, d: -1 },
  ])
  points.sort((a, b) => a.t - b.t || a.d - b.d)
  let now = 0
  let max = 0
  for (const p of points) {
    now += p.d
    max = Math.max(max, now)
  }
  return max
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

/** The single run directory of a workspace. */
export function runDirOf(ws: TempWorkspace): string {
  const runs = readdirSync(ws.path('.oraclepack/runs'))
  if (runs.length !== 1) throw new Error(`expected one run, found ${runs.join(', ')}`)
  return ws.path('.oraclepack/runs', runs[0] as string)
}

/** The answers of a run, by file name: what two runs are compared on. */
export function answersOf(runDir: string): Record<string, string> {
  const dir = join(runDir, 'outputs')
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  )
}
