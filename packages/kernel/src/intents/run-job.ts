import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Tinypool } from 'tinypool'
import type { Clock } from '../services/clock.js'
import type { Logger } from '../services/event-log.js'
import { redactSecrets } from '../services/redact.js'
import { backoffDelay, mayRetry } from './budget.js'
import { killJobProcesses } from './kill-tree.js'
import type { PreparedJob } from './prepare.js'
import type { WorkerResponse, WorkerRunRequest } from './protocol.js'
import type { RunChannel } from './run-channel.js'
import type { Budget, JobResult, RunRequest, StopDecision } from './types.js'

/** What every job of a run shares: the pool, the budget, and the run's own stop signal. */
export interface JobRunContext {
  pool: Tinypool
  runId: string
  budget: Budget
  clock: Clock
  log: Logger
  random: (() => number) | undefined
  onEvent: RunRequest['onEvent']
  /** Aborted when the run stops its running jobs (kill switch, run timeout, user abort). */
  runSignal: AbortSignal
  /** Attempts in flight; the runner aborts them all when the run is stopped. */
  inFlight: Set<AbortController>
  /** Logs and pids of the attempts. */
  channel: RunChannel
  /** Retries used in the whole run (shared by all jobs). */
  retries: { used: number }
}

// Markers are `<runId>/<12 hex>`: a random half drawn once per process and a counter, unique
// across processes and attempts without a random draw per attempt.
const markerPrefix = randomBytes(3).toString('hex')
let markerCount = 0
const nextMarker = (runId: string): string => `${runId}/${markerPrefix}${(++markerCount % 0x1000000).toString(16).padStart(6, '0')}`

// Why an attempt was aborted: its own time budget, or the run stopping (the StopDecision).
const TIMED_OUT = Symbol('timed out')

/**
 * Runs one job to its end: attempts in the pool, each under its time budget, transient failures
 * retried with backoff within the run's retry budget, and the processes of a stopped or failed
 * attempt killed.
 */
export async function runJob(ctx: JobRunContext, job: PreparedJob): Promise<JobResult> {
  const { budget, log } = ctx
  const jobStart = performance.now()
  const base = { id: job.request.id, intent: job.request.intent, inputHash: job.inputHash, ...(job.request.labels ? { labels: job.request.labels } : {}) }
  const finish = (fields: Pick<JobResult, 'status' | 'attempts'> & Partial<JobResult>): JobResult => ({
    evidence: [],
    ...base,
    durationMs: Math.round(performance.now() - jobStart),
    ...fields,
    // Error messages can carry credentials (a failed request's headers); results are journaled.
    ...(fields.reason === undefined ? {} : { reason: redactSecrets(fields.reason) }),
  })
  const stopped = (attempts: number, evidence: string[] = []): JobResult =>
    finish({ status: 'stopped', attempts, reason: (ctx.runSignal.reason as StopDecision | undefined)?.message ?? 'run stopped', failureKind: 'stopped', evidence })
  log.debug({ event: 'job_started', job: base.id, intent: base.intent }, `job ${base.id} started`)
  ctx.onEvent?.({ type: 'job_started', job: base.id })

  for (let attempt = 1; ; attempt++) {
    if (ctx.runSignal.aborted) return stopped(attempt - 1)
    const marker = nextMarker(ctx.runId)
    const task: WorkerRunRequest = { intent: base.intent, input: job.input, job: base.id, attempt, marker, ...(ctx.clock.pinned ? { now: ctx.clock.now() } : {}) }
    // One controller and one timer per attempt (AbortSignal.any/timeout cost ~15 µs a job).
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(TIMED_OUT), budget.maxJobTimeMs)
    ctx.inFlight.add(controller)
    let response: WorkerResponse
    try {
      response = (await ctx.pool.run(task, { signal: controller.signal })) as WorkerResponse
    } catch (error) {
      await stopProcesses(ctx, marker)
      if (controller.signal.aborted && controller.signal.reason !== TIMED_OUT) return stopped(attempt)
      if (controller.signal.aborted) return finish({ status: 'stopped', attempts: attempt, reason: `exceeded its wall-time budget (maxJobTimeMs ${budget.maxJobTimeMs})`, failureKind: 'timeout' })
      return finish({ status: 'failed', attempts: attempt, reason: `worker failed: ${(error as Error).message}`, failureKind: 'worker_error' })
    } finally {
      clearTimeout(timer)
      ctx.inFlight.delete(controller)
    }
    // The attempt's log lines go to the event log before its result does.
    await ctx.channel.drain(marker, response.posted)
    if (response.type === 'done') {
      ctx.channel.forget(marker)
      return finish({ status: 'ok', attempts: attempt, output: response.output, evidence: response.evidence })
    }
    await stopProcesses(ctx, marker)
    const failure = response.error
    if (failure.transient && mayRetry(attempt, ctx.retries.used, budget.retries)) {
      ctx.retries.used++
      const delayMs = backoffDelay(attempt, budget.retries, ctx.random)
      const error = redactSecrets(failure.message)
      log.info({ event: 'job_retry', job: base.id, attempt, delayMs, reason: error }, `job ${base.id} retrying in ${delayMs} ms`)
      ctx.onEvent?.({ type: 'job_retry', job: base.id, attempt, delayMs, error })
      try {
        await sleep(delayMs, undefined, { signal: ctx.runSignal })
      } catch {
        return stopped(attempt, response.evidence)
      }
      continue
    }
    const kind = failure.kind ?? failure.code ?? (failure.transient ? 'transient' : 'error')
    const exhausted = failure.transient ? ' (retry budget exhausted)' : ''
    return finish({ status: 'failed', attempts: attempt, reason: `${failure.message}${exhausted}`, failureKind: kind, evidence: response.evidence })
  }
}

async function stopProcesses(ctx: JobRunContext, marker: string): Promise<void> {
  const pids = ctx.channel.pids(marker)
  ctx.channel.forget(marker)
  await killJobProcesses(pids, marker, ctx.budget.killGraceMs)
}
