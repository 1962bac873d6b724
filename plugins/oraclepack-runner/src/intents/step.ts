// One step of a pack, run in a worker thread: the engine's argv without a shell, the answer written
// to a partial file first and moved into place only when it is complete, and failures classified
// so the kernel retries the transient ones with backoff.

import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative } from 'node:path'
import { createHash } from 'node:crypto'
import { JobFailure, TransientError, defineIntent, type IntentContext } from '@oraclekit/kernel/intent'
import { TRANSIENT, classifyFailure, failureSummary } from '../engine/classify.js'

export interface StepInput {
  step: string
  kind: 'oracle' | 'replay'
  /** Program and leading arguments (node + the CLI's JS entry, or the CLI itself). */
  file: string
  prefix: string[]
  /** The step's arguments after `oracle`; `--write-output` is added here. */
  args: string[]
  env: Record<string, string>
  /** Absolute path of the answer in the run directory. */
  output: string
  /** Absolute path of the cache entry to fill, when the cache is on. */
  cache?: string
  /** Replay engine: the directory of recorded answers. */
  replayDir?: string
  /** Wall time of one attempt; a timed-out attempt is retried like any transient failure. */
  timeoutMs: number
}

export interface StepOutput {
  outputHash: string
  bytes: number
}

/** Writes `data` next to `path` and renames it into place: readers never see half a file. */
async function publish(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`
  await writeFile(temp, data, { flush: true })
  await rename(temp, path)
}

/** An answer, and the partial file the engine wrote it to (absent for replayed answers). */
interface Answer {
  data: Buffer
  partial?: string
}

async function replayAnswer(input: StepInput): Promise<Answer> {
  const dir = input.replayDir as string
  const name = basename(input.output)
  const names = await readdir(dir).catch(() => [] as string[])
  const match = names.includes(name) ? name : names.includes(`${input.step}.md`) ? `${input.step}.md` : names.sort().find((n) => n.startsWith(`${input.step}-`))
  if (!match) throw new JobFailure('replay_missing', `no recorded answer for step ${input.step} in ${dir} (looked for ${name}, ${input.step}.md, ${input.step}-*.md)`)
  return { data: await readFile(join(dir, match)) }
}

async function engineAnswer(input: StepInput, ctx: IntentContext): Promise<Answer> {
  // Unique per process and attempt: an engine left running by a killed run writes elsewhere.
  const partial = join(dirname(input.output), '.partial', `${basename(input.output)}.${process.pid}-${ctx.job.runId.slice(-8)}-${ctx.job.attempt}`)
  await mkdir(dirname(partial), { recursive: true })
  await rm(partial, { force: true })
  // A retried step's earlier session may still count as running for oracle's duplicate-prompt guard.
  const force = ctx.job.attempt > 1 && !input.args.includes('--force') ? ['--force'] : []
  const args = [...input.prefix, ...input.args, ...force, '--write-output', partial]
  const result = await ctx.exec(input.file, args, { env: { ORACLE_TAGLINE_INDEX: '0', ...input.env }, timeoutMs: input.timeoutMs })
  const output = `${result.stdout}\n${result.stderr}`
  if (result.failed) {
    await rm(partial, { force: true })
    // Past stepTimeoutMs, another attempt would most likely take as long again: not retried.
    if (result.timedOut) throw new JobFailure('step_timeout', `oracle did not finish within ${input.timeoutMs} ms (stepTimeoutMs); it was stopped`)
    const kind = classifyFailure(output)
    const how = result.exitCode === undefined ? `was killed (${result.signal ?? 'signal'})` : `exited ${result.exitCode}`
    const message = `oracle ${how}: ${failureSummary(output) || 'no output'}`
    if (TRANSIENT.has(kind)) throw new TransientError(`${kind}: ${message}`)
    throw new JobFailure('engine_failed', message)
  }
  const data = await readFile(partial).catch(() => undefined)
  if (!data || data.length === 0) {
    await rm(partial, { force: true })
    const detached = /Detach:\s*yes/i.test(output) ? ' (the session detached; the runner passes --wait, check engine.args for --no-wait or --background)' : ''
    throw new JobFailure('empty_output', `oracle exited 0 but wrote ${data ? 'an empty answer' : 'no answer'}${detached}`)
  }
  return { data, partial }
}

/** Makes the engine's file durable and moves it into place (oracle does not fsync its writes). */
async function promote(partial: string, path: string): Promise<void> {
  const handle = await open(partial, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(partial, path)
}

export default defineIntent<StepInput, StepOutput>(async (input, ctx) => {
  const { data, partial } = input.kind === 'replay' ? await replayAnswer(input) : await engineAnswer(input, ctx)
  // Both land before the step counts as done (steps.json is written after this returns).
  await Promise.all([...(input.cache ? [publish(input.cache, data)] : []), partial ? promote(partial, input.output) : publish(input.output, data)])
  ctx.evidence(relative(ctx.rootDir, input.output).split('\\').join('/'))
  return { outputHash: createHash('sha256').update(data).digest('hex'), bytes: data.length }
})
