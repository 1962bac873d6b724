// Test runs: a run directory (run.json, steps.json, outputs/) built from a folder of answers, as
// `oracle pack run` would have left it, in a temporary workspace whose config loads this plugin.
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const CLI_BIN = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
export const PLUGIN_DIST = pathToFileURL(join(REPO_ROOT, 'plugins/actionizer/dist/index.js')).href
export const TICKETS = join(REPO_ROOT, '../shared/fixtures/outputs/tickets-2026-01-08')
export const EXAMPLE_ANSWERS = join(REPO_ROOT, 'examples/workspace/packs/answers')

const CATEGORY_SLUGS: Record<string, string> = {
  'contracts-interfaces': 'contracts/interfaces',
  invariants: 'invariants',
  'caching-state': 'caching/state',
  'background-jobs': 'background jobs',
  observability: 'observability',
  permissions: 'permissions',
  migrations: 'migrations',
  'ux-flows': 'UX flows',
  'failure-modes': 'failure modes',
  'feature-flags': 'feature flags',
}

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

export interface StepOverride {
  status?: string
  last_error?: string | null
  reference?: string | null
  answer?: string
  /** What the runner records from the step's [oraclepack-meta] block (left out when undefined, as in older runs). */
  question_id?: unknown
  expected_artifacts?: unknown
}

/** The files of a run built from `answersDir` (NN-<category-slug>-….md). */
export function runFiles(answersDir: string, overrides: Record<string, StepOverride> = {}, packId = '2026-01-08__nogit__5e1f00d1'): Record<string, string> {
  const names = readdirSync(answersDir).filter((n) => n.endsWith('.md')).sort()
  const files: Record<string, string> = {}
  const steps = names.map((name, i) => {
    const id = name.slice(0, 2)
    const over = overrides[id] ?? {}
    const answer = over.answer ?? readFileSync(join(answersDir, name), 'utf8')
    const slug = Object.keys(CATEGORY_SLUGS).find((s) => name.slice(3).startsWith(`${s}-`))
    const status = over.status ?? 'ok'
    if (status === 'ok') files[`run/outputs/${name}`] = answer
    return {
      step_id: id,
      title: `# ${id})  category=${slug ? CATEGORY_SLUGS[slug] : 'unknown'}`,
      reference: over.reference === undefined ? `ref/${slug ?? 'x'}.md` : over.reference,
      category: slug ? CATEGORY_SLUGS[slug] : null,
      roi: Math.round((4.5 - i * 0.15) * 100) / 100,
      command_hash: sha(`cmd-${id}`),
      cache_key: sha(`key-${id}`),
      output_path: `outputs/${name}`,
      output_hash: status === 'ok' ? sha(answer) : null,
      status,
      attempts: 1,
      cached: false,
      last_error: over.last_error ?? (status === 'failed' ? 'oracle exited 1: ERROR: Rate limit reached for requests (retry budget exhausted)' : null),
      retries: [],
      started_at: '2026-01-08T10:00:00.000Z',
      finished_at: '2026-01-08T10:01:00.000Z',
      duration_ms: 60000,
      ...(over.question_id !== undefined && { question_id: over.question_id }),
      ...(over.expected_artifacts !== undefined && { expected_artifacts: over.expected_artifacts }),
    }
  })
  const packHash = sha(`pack-${packId}`)
  files['run/run.json'] = `${JSON.stringify({ schema_version: 1, pack_id: packId, pack_path: 'docs/pack.md', pack_hash: packHash, git_sha: null, created_at: '2026-01-08T10:00:00.000Z', updated_at: '2026-01-08T10:30:00.000Z', status: 'ok', steps_total: steps.length }, null, 2)}\n`
  files['run/steps.json'] = `${JSON.stringify({ schema_version: 1, pack_id: packId, steps }, null, 2)}\n`
  return files
}

export async function runWorkspace(answersDir: string, overrides: Record<string, StepOverride> = {}): Promise<TempWorkspace> {
  return createTempWorkspace({
    prefix: 'actionizer-',
    files: { 'oracle.config.mjs': `import actionizer from ${JSON.stringify(PLUGIN_DIST)}\nexport default { plugins: [actionizer({ project: "tickets" })] }\n`, ...runFiles(answersDir, overrides) },
  })
}
