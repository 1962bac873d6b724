// Contract test of `oracle pack run` against the real @steipete/oracle CLI: the runner's argv, its
// reading of oracle's failure output (rate limit, overload), its retries with backoff, the run
// manifest and the answer cache, with the OpenAI API played by the loopback fake server.
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { execa } from 'execa'
import { type FakeOpenAI, type FakeScript, overloaded, rateLimited, startFakeOpenAI } from './fake-openai.js'
import { ORACLE_BIN, type OracleRun, type TempDir, makeTempDir } from './helpers.js'
import { type RealOracle, ensureRealOracle, realOracleEnv } from './real-oracle.js'

interface Step {
  id: string
  slug: string
  file: string
  source: string
  prompt: string
  answer: string
}

// Prompts go inside double quotes in the pack's bash block: no `"`, `$`, backticks or backslashes.
const STEPS: Step[] = [
  {
    id: '01',
    slug: 'contracts',
    file: 'src/alpha.ts',
    source: 'export function parseConfig(text: string) {\n  return JSON.parse(text)\n}\n',
    prompt: 'Which inputs make parseConfig in src/alpha.ts throw, and should it wrap the error?',
    answer: 'parseConfig throws on any malformed JSON.\n\nWrap it in a coded error that names the file.',
  },
  {
    id: '02',
    slug: 'invariants',
    file: 'src/beta.ts',
    source: 'export const MAX_RETRIES = 3\nexport const retryDelay = (n: number) => 2 ** n * 100\n',
    prompt: 'Does retryDelay in src/beta.ts stay bounded for every n up to MAX_RETRIES?',
    answer: 'Yes: the largest delay is 800 ms, at n = 3.',
  },
  {
    id: '03',
    slug: 'caching-state',
    file: 'src/gamma.ts',
    source: 'const cache = new Map<string, string>()\nexport const remember = (k: string, v: string) => cache.set(k, v)\n',
    prompt: 'Can the module-level cache in src/gamma.ts grow without limit in a long-running process?',
    answer: 'It can: entries are never evicted.\n\n1. Add an LRU bound.\n2. Or clear it per request.',
  },
]

/** A pack in oraclepack's shape: a prelude, then a `# NN)` header and one `oracle` command per step. */
function packOf(steps: readonly Step[]): string {
  const body = steps.flatMap((step, i) => [
    `# ${step.id}) ROI=${(4 - i * 0.5).toFixed(1)} impact=0.8 confidence=0.7 effort=0.2 horizon=Immediate category=${step.slug} reference=${step.file}`,
    `oracle --write-output "$out_dir/${step.id}-${step.slug}.md" -p "${step.prompt}" -f "${step.file}"`,
    '',
  ])
  return ['# Contract pack', '', '```bash', 'out_dir="docs/answers"', 'mkdir -p "$out_dir"', '', ...body, '```', ''].join('\n')
}

/** The step a request is for: the user message is the prompt, then the attached files. */
const stepOf = (prompt: string, steps: readonly Step[] = STEPS): Step | undefined => steps.find((step) => prompt.startsWith(step.prompt))

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

interface StepRecord {
  step_id: string
  status: string
  attempts: number
  cached: boolean
  retries: { attempt: number; error: string; delay_ms: number }[]
  last_error: string | null
  output_path: string
  output_hash: string | null
  cache_key: string
}

interface Summary {
  pack_id: string
  run_dir: string
  status: string
  engine: { kind: string; version: string; source: string }
  counts: { steps: number; ok: number; failed: number; pending: number; skipped: number; cached: number; executed: number; engine_calls: number }
}

let oracle: RealOracle
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  // The first run on a fresh machine installs ~380 MB (oracle and a Node 24 binary).
  oracle = await ensureRealOracle()
}, 300_000)

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Workspace {
  temp: TempDir
  server: FakeOpenAI
  /** `oracle <args>` in the workspace, with a clean environment: no provider keys of this machine. */
  run(args: readonly string[]): Promise<OracleRun>
}

async function workspace(steps: readonly Step[], script: FakeScript): Promise<Workspace> {
  const server = await startFakeOpenAI(script)
  cleanups.push(() => server.close())
  // node_modules is linked so that the config imports the plugin by its package name.
  const temp = await makeTempDir({ linkNodeModules: true })
  cleanups.push(() => temp.cleanup())
  const engine = {
    command: oracle.script,
    node: oracle.node,
    args: ['--engine', 'api', '--model', 'gpt-5.1', '--base-url', server.url],
    env: { OPENAI_API_KEY: 'sk-test-oraclekit-pack-run' },
  }
  await temp.write(
    'oracle.config.mjs',
    `import oraclepack from '@oraclekit/oraclepack-runner'\n\nexport default {\n  plugins: [oraclepack({ engine: ${JSON.stringify(engine)} })],\n  run: { retries: { baseDelayMs: 50, maxDelayMs: 200 } },\n}\n`,
  )
  await temp.write('pack.md', packOf(steps))
  for (const step of steps) await temp.write(step.file, step.source)
  const env = realOracleEnv(temp.path('home'))
  return {
    temp,
    server,
    async run(args) {
      // Not runOracle: its childEnv() spreads process.env back over this one, keys included.
      const result = await execa(process.execPath, [ORACLE_BIN, ...args], { cwd: temp.dir, env, extendEnv: false, reject: false, stdin: 'ignore' })
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
    },
  }
}

function parseSummary(run: OracleRun): Summary {
  try {
    return JSON.parse(run.stdout) as Summary
  } catch {
    throw new Error(`oracle pack run printed no JSON summary (exit ${run.exitCode}).\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`)
  }
}

async function readSteps(ws: Workspace, summary: Summary): Promise<Map<string, StepRecord>> {
  const file = JSON.parse(await ws.temp.read(`${summary.run_dir}/steps.json`)) as { steps: StepRecord[] }
  return new Map(file.steps.map((step) => [step.step_id, step]))
}

/** Explains a failed expectation with what the runner did: its output and steps.json. */
async function context(ws: Workspace, run: OracleRun): Promise<string> {
  const summary = (() => {
    try {
      return JSON.parse(run.stdout) as Summary
    } catch {
      return undefined
    }
  })()
  const steps = summary ? await ws.temp.read(`${summary.run_dir}/steps.json`).catch(() => '(none)') : '(no run dir)'
  return `exit ${run.exitCode}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}\nsteps.json:\n${steps}`
}

describe('oracle pack run on the real @steipete/oracle', () => {
  it('retries a rate limit and an overload, records them, caches the answers and replays them without a request', async () => {
    const ws = await workspace(STEPS, ({ prompt, attempt }) => {
      const step = stepOf(prompt)
      // Three errors in a row: the OpenAI SDK inside oracle retries twice by itself, so this
      // fails exactly one oracle invocation, and the runner's second attempt gets the answer.
      if (step?.id === '02' && attempt <= 3) return rateLimited()
      if (step?.id === '03' && attempt <= 3) return overloaded()
      return step?.answer ?? { status: 400, error: { message: `fake-openai: unexpected prompt ${prompt.slice(0, 80)}`, type: 'invalid_request_error' } }
    })

    const first = await ws.run(['pack', 'run', 'pack.md', '--max-parallel', '2', '--json'])
    expect(first.exitCode, await context(ws, first)).toBe(0)
    const summary = parseSummary(first)
    expect(summary).toMatchObject({ status: 'ok', engine: { kind: 'oracle', version: '0.21.2', source: 'config' } })
    // Engine calls are oracle invocations: one for 01, two each for 02 and 03.
    expect(summary.counts).toMatchObject({ steps: 3, ok: 3, failed: 0, pending: 0, cached: 0, executed: 3, engine_calls: 5 })
    expect(summary.run_dir).toMatch(/^\.oraclepack\/runs\/\d{4}-\d{2}-\d{2}__nogit__[0-9a-f]{8}$/)

    const steps = await readSteps(ws, summary)
    expect(steps.get('01')).toMatchObject({ status: 'ok', attempts: 1, cached: false, retries: [], last_error: null })
    expect(steps.get('02')).toMatchObject({ status: 'ok', attempts: 2, cached: false, last_error: null })
    expect(steps.get('02')?.retries).toHaveLength(1)
    expect(steps.get('02')?.retries[0]).toMatchObject({ attempt: 1, error: expect.stringMatching(/rate limit/i) })
    expect(steps.get('03')).toMatchObject({ status: 'ok', attempts: 2, cached: false, last_error: null })
    expect(steps.get('03')?.retries).toHaveLength(1)
    expect(steps.get('03')?.retries[0]).toMatchObject({ attempt: 1, error: expect.stringMatching(/overloaded/i) })
    // Full jitter within the configured cap: run.retries reached the kernel.
    for (const id of ['02', '03']) {
      const delay = steps.get(id)?.retries[0]?.delay_ms ?? -1
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(200)
    }

    const outputs = new Map<string, Buffer>()
    for (const step of STEPS) {
      const record = steps.get(step.id) as StepRecord
      expect(record.output_path).toBe(`outputs/${step.id}-${step.slug}.md`)
      const data = await readFile(ws.temp.path(summary.run_dir, record.output_path))
      // oracle ends what it writes with a newline.
      expect(data.toString('utf8')).toBe(`${step.answer}\n`)
      expect(record.output_hash).toBe(sha256(data))
      expect(await readFile(ws.temp.path('.oraclepack/cache', `${record.cache_key}.md`))).toEqual(data)
      outputs.set(step.id, data)
    }
    expect(await readdir(ws.temp.path(summary.run_dir, 'outputs/.partial')).catch(() => [])).toEqual([])

    const run = JSON.parse(await ws.temp.read(`${summary.run_dir}/run.json`)) as { oracle_version: string; engine: { kind: string; path: string; args: string[] }; models: string[]; providers: string[]; status: string }
    expect(run).toMatchObject({ oracle_version: '0.21.2', status: 'ok', engine: { kind: 'oracle', path: oracle.script } })
    expect(run.models).toContain('gpt-5.1')
    expect(run.providers).toContain('api')

    // What reached the API: each prompt with its file, 1 + (3 failed + 1) + (3 failed + 1) requests.
    expect(ws.server.requests).toHaveLength(1 + 4 + 4)
    for (const request of ws.server.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions' })
      expect(request.body).toMatchObject({ model: 'gpt-5.1', stream: true })
      const step = stepOf(request.prompt)
      expect(step, request.prompt.slice(0, 200)).toBeDefined()
      expect(request.prompt).toContain(step?.file)
      for (const line of (step?.source ?? '').trimEnd().split('\n')) expect(request.prompt).toContain(line)
    }
    const byStep = (id: string) => ws.server.requests.filter((request) => stepOf(request.prompt)?.id === id).map((request) => [request.status, request.retryCount])
    expect(byStep('01')).toEqual([[200, 0]])
    // The SDK's own three tries (retry count 0, 1, 2), then the runner's second invocation.
    expect(byStep('02')).toEqual([[429, 0], [429, 1], [429, 2], [200, 0]])
    expect(byStep('03')).toEqual([[503, 0], [503, 1], [503, 2], [200, 0]])

    // Again, every step: all answers come from the cache, and the API hears nothing.
    const second = await ws.run(['pack', 'run', 'pack.md', '--rerun', 'all', '--json'])
    expect(second.exitCode, await context(ws, second)).toBe(0)
    const again = parseSummary(second)
    expect(again.run_dir).toBe(summary.run_dir)
    expect(again.counts).toMatchObject({ steps: 3, ok: 3, failed: 0, cached: 3, engine_calls: 0 })
    expect(ws.server.requests).toHaveLength(9)
    const cachedSteps = await readSteps(ws, again)
    for (const step of STEPS) {
      const record = cachedSteps.get(step.id) as StepRecord
      expect(record).toMatchObject({ status: 'ok', cached: true, attempts: 0, retries: [], output_hash: steps.get(step.id)?.output_hash })
      expect(await readFile(ws.temp.path(again.run_dir, record.output_path))).toEqual(outputs.get(step.id))
    }
  }, 180_000)

  it('fails a step whose rate limit never lifts once its retries are spent: exit 1, no answer, no cache entry', async () => {
    const steps = [STEPS[0] as Step, { ...(STEPS[1] as Step), answer: 'never sent' }]
    const ws = await workspace(steps, ({ prompt }) => {
      const step = stepOf(prompt, steps)
      return step?.id === '01' ? step.answer : rateLimited()
    })

    const run = await ws.run(['pack', 'run', 'pack.md', '--json'])
    expect(run.exitCode, await context(ws, run)).toBe(1)
    const summary = parseSummary(run)
    expect(summary).toMatchObject({ status: 'failed' })
    // The plugin's default of 2 retries: three invocations of the failing step.
    expect(summary.counts).toMatchObject({ steps: 2, ok: 1, failed: 1, pending: 0, cached: 0, engine_calls: 4 })

    const records = await readSteps(ws, summary)
    expect(records.get('01')).toMatchObject({ status: 'ok', attempts: 1 })
    const failed = records.get('02') as StepRecord
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, output_hash: null })
    expect(failed.retries.map((retry) => retry.attempt)).toEqual([1, 2])
    for (const retry of failed.retries) expect(retry.error).toMatch(/rate limit/i)
    expect(failed.last_error).toMatch(/rate limit/i)
    expect(failed.last_error).toMatch(/retry budget exhausted/)
    expect(ws.temp.exists(`${summary.run_dir}/${failed.output_path}`)).toBe(false)
    expect(ws.temp.exists(`.oraclepack/cache/${failed.cache_key}.md`)).toBe(false)

    // Three invocations of three SDK tries each.
    const statuses = ws.server.requests.filter((request) => stepOf(request.prompt, steps)?.id === '02').map((request) => [request.status, request.retryCount])
    expect(statuses).toEqual(Array.from({ length: 3 }, () => [[429, 0], [429, 1], [429, 2]]).flat())
  }, 120_000)
})
