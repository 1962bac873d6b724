// Test helpers for the intent runner (not exported from the package): a temporary workspace whose
// oracle.config.mjs registers fixture intents, run through a real kernel, real worker threads and
// real child processes.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach } from 'vitest'
import type { JobRequest, RunRequest, RunResult } from '../intents/types.js'
import { type KernelInstance, createKernel } from '../kernel.js'
import type { Clock } from '../services/clock.js'
import { type TempWorkspace, makeWorkspace } from './workspace.js'

/** The fixture intents, one named export each; every execution appends a line to count/<job id>. */
const FIXTURES = `
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { JobFailure, TransientError, defineIntent } from '@oraclekit/kernel/intent'

function count(ctx) {
  mkdirSync(join(ctx.rootDir, 'count'), { recursive: true })
  appendFileSync(join(ctx.rootDir, 'count', ctx.job.id), ctx.job.attempt + '\\n')
}

export const echo = defineIntent((input, ctx) => {
  count(ctx)
  const file = 'evidence/' + ctx.job.id + '.txt'
  mkdirSync(join(ctx.rootDir, 'evidence'), { recursive: true })
  writeFileSync(join(ctx.rootDir, file), input.value)
  ctx.evidence(file)
  ctx.log.info('echo ' + ctx.job.id, { value: input.value })
  return { value: input.value.repeat(input.repeat), job: ctx.job, now: ctx.now() }
})

export const fail = defineIntent((input, ctx) => {
  count(ctx)
  ctx.evidence('evidence/' + ctx.job.id + '.log')
  throw new JobFailure(input.kind, input.message ?? 'failed with ' + input.kind)
})

export const crash = defineIntent((_input, ctx) => {
  count(ctx)
  throw new Error('boom')
})

export const flaky = defineIntent((input, ctx) => {
  count(ctx)
  if (ctx.job.attempt <= input.failTimes) throw new TransientError('attempt ' + ctx.job.attempt + ' hit a rate limit')
  return { attempt: ctx.job.attempt }
})

export const busy = defineIntent(async (input, ctx) => {
  count(ctx)
  const start = Date.now()
  await sleep(input.ms)
  mkdirSync(join(ctx.rootDir, 'spans'), { recursive: true })
  writeFileSync(join(ctx.rootDir, 'spans', ctx.job.id + '.json'), JSON.stringify({ start, end: Date.now() }))
  return { slept: input.ms }
})

// A shell with a child and a grandchild in its own session (out of the job's process group),
// their pids in pids/<job id>; never ends, unless input.gate names a file that does not exist.
export const hang = defineIntent(async (input, ctx) => {
  count(ctx)
  if (input.gate && !existsSync(join(ctx.rootDir, input.gate))) return { released: true }
  mkdirSync(join(ctx.rootDir, 'pids'), { recursive: true })
  const script = 'echo $$ >> "$PIDS"; sleep 300 & echo $! >> "$PIDS"; setsid sleep 300 & echo $! >> "$PIDS"; wait'
  await ctx.exec('sh', ['-c', script], { env: { PIDS: join(ctx.rootDir, 'pids', ctx.job.id) } })
  await new Promise(() => {})
})

export const exec = defineIntent((input, ctx) => {
  count(ctx)
  ctx.log.warn('running ' + input.file)
  return ctx.exec(input.file, input.args, input.options)
})

export const spin = defineIntent((_input, ctx) => {
  count(ctx)
  for (;;) {}
})

export const hog = defineIntent((_input, ctx) => {
  count(ctx)
  const keep = []
  for (;;) keep.push(new Array(1024).fill({ n: keep.length }))
})

// Touches input.file, once input.waitFor (if given) has input.lines lines.
export const touch = defineIntent(async (input, ctx) => {
  count(ctx)
  const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\\n').filter(Boolean).length : 0)
  while (input.waitFor && lines(join(ctx.rootDir, input.waitFor)) < (input.lines ?? 1)) await sleep(10)
  mkdirSync(dirname(join(ctx.rootDir, input.file)), { recursive: true })
  writeFileSync(join(ctx.rootDir, input.file), '')
  return { touched: input.file }
})
`

const TYPED_INTENT = `
import { type IntentContext, defineIntent } from '@oraclekit/kernel/intent'

interface Input { name: string }
enum Tone { Warm = 'hello', Cold = 'greetings' }

export default defineIntent<Input, { greeting: string; attempt: number }>((input: Input, ctx: IntentContext) => ({
  greeting: \`\${Tone.Warm} \${input.name}\`,
  attempt: ctx.job.attempt,
}))
`

// A module that takes 400 ms to load (top-level await), as a heavy SDK import would.
const SLOW_LOAD_INTENT = `
import { threadId } from 'node:worker_threads'
import { setTimeout as sleep } from 'node:timers/promises'
await sleep(400)
export default (input) => ({ threadId, started: Date.now() })
`

function configFile(run: Record<string, unknown>): string {
  return `
import { Type } from '@oraclekit/kernel'

const fixtures = new URL('./intents/fixtures.mjs', import.meta.url)
const intent = (name, input) => ({ name, module: fixtures, export: name, ...(input ? { input } : {}) })

export default {
  run: ${JSON.stringify(run)},
  plugins: [
    {
      name: 'fixtures',
      intents: [
        intent('echo', Type.Object({ value: Type.String(), repeat: Type.Optional(Type.Integer({ minimum: 1, default: 1 })) }, { additionalProperties: false })),
        intent('fail', Type.Object({ kind: Type.String(), message: Type.Optional(Type.String()) })),
        intent('crash'),
        intent('flaky', Type.Object({ failTimes: Type.Integer({ minimum: 0 }) })),
        intent('busy', Type.Object({ ms: Type.Integer({ minimum: 0 }) })),
        intent('hang', Type.Object({ gate: Type.Optional(Type.String()) })),
        intent('exec', Type.Object({ file: Type.String(), args: Type.Array(Type.String()), options: Type.Optional(Type.Object({}, { additionalProperties: true })) })),
        intent('spin'),
        intent('hog'),
        intent('touch', Type.Object({ file: Type.String(), waitFor: Type.Optional(Type.String()), lines: Type.Optional(Type.Integer()) })),
        { name: 'typed', module: new URL('./intents/typed.ts', import.meta.url) },
        { name: 'slow-load', module: new URL('./intents/slow-load.mjs', import.meta.url) },
        { name: 'no-export', module: fixtures, export: 'missing' },
      ],
    },
  ],
}
`
}

/** Budgets small enough for tests; a test's own `run` config is merged over them. */
const TEST_RUN_CONFIG = { maxJobTimeMs: 20_000, maxRunTimeMs: 25_000, killGraceMs: 200, retries: { baseDelayMs: 1, maxDelayMs: 5 } }

export interface IntentWorkspace extends TempWorkspace {
  kernel: KernelInstance
  run(jobs: readonly JobRequest[], request?: Omit<RunRequest, 'jobs'>): Promise<RunResult>
  /** How many times a job's intent ran (all attempts, all runs). */
  executions(id: string): number
  /** Pids of the process tree a `hang` job started. */
  pids(id: string): number[]
  /** The parsed lines of a JSONL file in the workspace. */
  jsonl(file: string): Array<Record<string, unknown>>
  json(file: string): Record<string, unknown>
}

export function job(id: string, intent: string, input: unknown = {}, labels?: Record<string, string>): JobRequest {
  return { id, intent, input, ...(labels ? { labels } : {}) }
}

export async function makeIntentWorkspace(options: { run?: Record<string, unknown>; clock?: Clock } = {}): Promise<IntentWorkspace> {
  const { retries, ...run } = options.run ?? {}
  const runConfig = { ...TEST_RUN_CONFIG, ...run, retries: { ...TEST_RUN_CONFIG.retries, ...(retries as object | undefined) } }
  const workspace = await makeWorkspace({
    'oracle.config.mjs': configFile(runConfig),
    'intents/fixtures.mjs': FIXTURES,
    'intents/typed.ts': TYPED_INTENT,
    'intents/slow-load.mjs': SLOW_LOAD_INTENT,
  })
  const kernel = await createKernel({ cwd: workspace.dir, ...(options.clock ? { clock: options.clock } : {}) })
  const read = (file: string): string => readFileSync(workspace.path(file), 'utf8')
  const lines = (file: string): string[] => (existsSync(workspace.path(file)) ? read(file).split('\n').filter((line) => line.trim() !== '') : [])
  // Never 0 or NaN: process.kill(-0) would signal the test's own process group.
  const pids = (id: string): number[] => lines(join('pids', id)).map(Number).filter((pid) => Number.isInteger(pid) && pid > 1)
  return {
    ...workspace,
    kernel,
    run: (jobs, request = {}) => kernel.runIntents({ ...request, jobs }),
    executions: (id) => lines(join('count', id)).length,
    pids,
    jsonl: (file) => lines(file).map((line) => JSON.parse(line) as Record<string, unknown>),
    json: (file) => JSON.parse(read(file)) as Record<string, unknown>,
    async cleanup() {
      // Whatever a failing test left running.
      const dir = workspace.path('pids')
      for (const id of existsSync(dir) ? readdirSync(dir) : []) {
        for (const pid of pids(id)) {
          for (const target of [-pid, pid]) {
            try {
              process.kill(target, 'SIGKILL')
            } catch {
              // gone
            }
          }
        }
      }
      await kernel.close()
      await workspace.cleanup()
    },
  }
}

/** A factory of intent workspaces that are all cleaned up after each test of the calling file. */
export function intentWorkspaces(): (options?: Parameters<typeof makeIntentWorkspace>[0]) => Promise<IntentWorkspace> {
  const made: IntentWorkspace[] = []
  afterEach(async () => {
    await Promise.all(made.splice(0).map((workspace) => workspace.cleanup()))
  })
  return async (options) => {
    const workspace = await makeIntentWorkspace(options)
    made.push(workspace)
    return workspace
  }
}

/** Polls until `probe` returns something truthy. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | 0, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/** Most jobs whose [start, end] spans overlap at one instant. */
export function maxOverlap(spans: ReadonlyArray<{ start: number; end: number }>): number {
  const points = spans.flatMap(({ start, end }): Array<[number, number]> => [
    [start, 1],
    [end, -1],
  ])
  // Ends before starts at the same instant: touching spans do not overlap.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let current = 0
  let most = 0
  for (const [, delta] of points) most = Math.max(most, (current += delta))
  return most
}
