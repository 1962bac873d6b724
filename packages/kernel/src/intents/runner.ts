import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { BroadcastChannel } from 'node:worker_threads'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ResolvedConfig } from '../config/schema.js'
import { errorUsage } from '../errors/errors.js'
import { ExitCode, OracleError } from '../errors/oracle-error.js'
import type { RegisteredIntent } from '../plugins/types.js'
import type { Clock } from '../services/clock.js'
import type { EventLog, Logger } from '../services/event-log.js'
import { hashJson } from '../services/hash.js'
import { writeJsonAtomic } from '../services/store.js'
import { workerFile } from '../worker-file.js'
import { backoffDelay, mayRetry, resolveBudget } from './budget.js'
import { type Journal, openJournal, readJournal } from './journal.js'
import { killJobProcesses } from './kill-tree.js'
import { type PreparedJob, prepareJobs } from './prepare.js'
import type { ChannelMessage, WorkerResponse, WorkerRunRequest } from './protocol.js'
import { killSwitchEngaged, killSwitchFile, stopOnFailure } from './stop-conditions.js'
import type { Budget, JobResult, RunRequest, RunResult, RunSnapshot, StopCondition, StopDecision } from './types.js'

export interface RunnerDeps {
  rootDir: string
  config: ResolvedConfig
  clock: Clock
  logger: Logger
  eventLog?: EventLog
  intents: ReadonlyMap<string, RegisteredIntent>
  /** Source of jitter; injectable for tests. */
  random?: () => number
}

const KILL_SWITCH_POLL_MS = 200
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * Runs jobs as intents in a pool of worker threads, under the run's budget (max jobs, per-job and
 * per-run wall time, retries with backoff) and stop conditions (kill switch, failure kinds, user
 * abort, plus the request's own). Each result is journaled as it happens; `resume` continues a run
 * that was interrupted, keeping the results of jobs that already ended ok or failed.
 */
export async function runIntents(deps: RunnerDeps, request: RunRequest): Promise<RunResult> {
  const prepared = prepareJobs(request.jobs, deps.intents)
  const budget = resolveBudget(deps.config.run, request.budget)
  const { clock } = deps
  const runsDir = resolve(deps.rootDir, deps.config.run.dir)
  const runId = request.runId ?? freeRunId(defaultRunId(clock, prepared), runsDir)
  if (!RUN_ID.test(runId)) throw errorUsage(`Invalid run id ${JSON.stringify(runId)}`, 'Use letters, digits, ".", "_" and "-".')
  const runDir = request.runDir === false ? undefined : resolve(deps.rootDir, request.runDir ?? join(deps.config.run.dir, runId))
  const journalPath = runDir && join(runDir, 'journal.jsonl')
  const earlier = journalPath ? readJournal(journalPath) : new Map<string, JobResult>()
  if (earlier.size > 0 && !request.resume) {
    throw new OracleError('ORACLE_RUN_EXISTS', `Run ${runId} already has results in ${runDir}`, {
      exitCode: ExitCode.usage,
      hint: 'Pass --resume to continue it, or choose another run id.',
    })
  }

  const startedAt = clock.iso()
  const started = performance.now()
  const log = deps.logger.child({ runId })
  const killSwitchPath = resolve(deps.rootDir, deps.config.run.killSwitchFile)
  const killSwitch = killSwitchFile(killSwitchPath)
  const conditions: StopCondition[] = [
    killSwitch,
    ...(deps.config.run.stopOnFailureKinds.length > 0 ? [stopOnFailure(deps.config.run.stopOnFailureKinds)] : []),
    ...(request.stopConditions ?? []),
  ]
  const results = new Map<string, JobResult>()
  const resultList: JobResult[] = []
  const queue: PreparedJob[] = []
  for (const job of prepared) {
    const before = earlier.get(job.request.id)
    const reusable = before && (before.status === 'ok' || before.status === 'failed') && before.inputHash === job.inputHash && before.intent === job.request.intent
    if (reusable) {
      const carried = { ...before, resumed: true }
      results.set(job.request.id, carried)
      resultList.push(carried)
    } else queue.push(job)
  }

  const controller = new AbortController()
  let stop: StopDecision | undefined
  let retriesUsed = 0
  let startedJobs = results.size
  let running = 0
  const halt = (decision: StopDecision): void => {
    if (!stop) {
      stop = decision
      log.warn({ event: 'run_stopping', reason: decision }, `stopping run: ${decision.message}`)
      request.onEvent?.({ type: 'run_stopping', reason: decision })
    }
    if (decision.abortRunning && !controller.signal.aborted) controller.abort(decision)
  }
  const onUserAbort = (): void => {
    const reason = request.signal?.reason
    const message = typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : 'interrupted'
    halt({ kind: 'user_abort', message, abortRunning: true })
  }
  const runTimer = setTimeout(
    () => halt({ kind: 'run_timeout', message: `run exceeded its wall-time budget (maxRunTimeMs ${budget.maxRunTimeMs})`, abortRunning: true }),
    budget.maxRunTimeMs,
  )
  runTimer.unref()
  // An emergency brake cannot wait for a job to end: the kill switch is also watched while jobs run.
  const killSwitchWatch = setInterval(() => {
    const decision = killSwitchEngaged(killSwitchPath)
    if (decision) halt({ ...decision, condition: killSwitch.name })
  }, KILL_SWITCH_POLL_MS)
  killSwitchWatch.unref()

  const processes = new Map<string, Set<number>>()
  const channelName = `oraclekit:${runId}:${randomUUID()}`
  const channel = new BroadcastChannel(channelName)
  channel.onmessage = (event) => onChannelMessage((event as { data: ChannelMessage }).data, log, processes)
  const removeSink = runDir && deps.eventLog ? deps.eventLog.addSink(join(runDir, 'events.jsonl')) : undefined
  let journal: Journal | undefined
  const { Tinypool } = await import('tinypool')
  const pool = new Tinypool({
    filename: workerFile,
    minThreads: Math.min(budget.maxParallel, Math.max(queue.length, 1)),
    maxThreads: budget.maxParallel,
    ...(budget.maxMemoryMb ? { resourceLimits: { maxOldGenerationSizeMb: budget.maxMemoryMb } } : {}),
  })

  const snapshot = (phase: RunSnapshot['phase'], extra: Partial<RunSnapshot>): RunSnapshot => ({
    runId,
    phase,
    results: resultList,
    running,
    pending: queue.length,
    retriesUsed,
    elapsedMs: performance.now() - started,
    ...extra,
  })
  const check = async (state: RunSnapshot): Promise<void> => {
    for (const condition of conditions) {
      try {
        const decision = await condition.check(state)
        if (decision) return halt({ ...decision, condition: condition.name })
      } catch (error) {
        return halt({ kind: 'stop_condition_error', condition: condition.name, message: `stop condition ${condition.name} failed: ${(error as Error).message}`, abortRunning: true })
      }
    }
  }
  const record = (result: JobResult): void => {
    results.set(result.id, result)
    resultList.push(result)
    journal?.append(result)
    const level = result.status === 'ok' ? 'info' : 'warn'
    log[level]({ event: 'job_finished', job: result.id, intent: result.intent, status: result.status, attempts: result.attempts, durationMs: result.durationMs, ...(result.reason ? { reason: result.reason } : {}) }, `job ${result.id} ${result.status} (${result.durationMs} ms)${result.reason ? `: ${result.reason}` : ''}`)
    request.onEvent?.({ type: 'job_finished', job: result.id, result })
  }

  const runJob = async (job: PreparedJob): Promise<JobResult> => {
    const jobStart = performance.now()
    const base = { id: job.request.id, intent: job.request.intent, inputHash: job.inputHash, ...(job.request.labels ? { labels: job.request.labels } : {}) }
    const finish = (fields: Pick<JobResult, 'status' | 'attempts'> & Partial<JobResult>): JobResult => ({ evidence: [], ...base, durationMs: Math.round(performance.now() - jobStart), ...fields })
    log.debug({ event: 'job_started', job: base.id, intent: base.intent }, `job ${base.id} started`)
    request.onEvent?.({ type: 'job_started', job: base.id })
    for (let attempt = 1; ; attempt++) {
      if (controller.signal.aborted) return finish({ status: 'stopped', attempts: attempt - 1, reason: stopMessage(controller.signal.reason), failureKind: 'stopped' })
      const marker = randomUUID()
      processes.set(marker, new Set())
      const timeout = AbortSignal.timeout(budget.maxJobTimeMs)
      const signal = AbortSignal.any([controller.signal, timeout])
      const task: WorkerRunRequest = {
        type: 'run',
        module: job.intent.moduleUrl,
        exportName: job.intent.definition.export ?? 'default',
        input: job.input,
        job: { id: base.id, intent: base.intent, attempt, runId },
        rootDir: deps.rootDir,
        marker,
        channel: channelName,
        ...(clock.pinned ? { now: clock.now() } : {}),
      }
      let response: WorkerResponse
      try {
        response = (await pool.run(task, { signal })) as WorkerResponse
      } catch (error) {
        const stoppedByRun = controller.signal.aborted
        const timedOut = !stoppedByRun && timeout.aborted
        await stopProcesses(marker, processes, budget)
        if (stoppedByRun) return finish({ status: 'stopped', attempts: attempt, reason: stopMessage(controller.signal.reason), failureKind: 'stopped' })
        if (timedOut) return finish({ status: 'stopped', attempts: attempt, reason: `exceeded its wall-time budget (maxJobTimeMs ${budget.maxJobTimeMs})`, failureKind: 'timeout' })
        return finish({ status: 'failed', attempts: attempt, reason: `worker failed: ${(error as Error).message}`, failureKind: 'worker_error' })
      }
      processes.delete(marker)
      if (response.type === 'done') return finish({ status: 'ok', attempts: attempt, output: response.output, evidence: response.evidence })
      await stopProcesses(marker, processes, budget)
      const failure = response.error
      if (failure.transient && mayRetry(attempt, retriesUsed, budget.retries)) {
        retriesUsed++
        const delayMs = backoffDelay(attempt, budget.retries, deps.random)
        log.info({ event: 'job_retry', job: base.id, attempt, delayMs, reason: failure.message }, `job ${base.id} retrying in ${delayMs} ms`)
        request.onEvent?.({ type: 'job_retry', job: base.id, attempt, delayMs })
        try {
          await sleep(delayMs, undefined, { signal: controller.signal })
        } catch {
          return finish({ status: 'stopped', attempts: attempt, reason: stopMessage(controller.signal.reason), failureKind: 'stopped', evidence: response.evidence })
        }
        continue
      }
      const kind = failure.kind ?? failure.code ?? (failure.transient ? 'transient' : 'error')
      const exhausted = failure.transient ? ' (retry budget exhausted)' : ''
      return finish({ status: 'failed', attempts: attempt, reason: `${failure.message}${exhausted}`, failureKind: kind, evidence: response.evidence })
    }
  }

  const lane = async (): Promise<void> => {
    while (!stop) {
      const job = queue.shift()
      if (!job) return
      if (startedJobs >= budget.maxJobs) {
        queue.unshift(job)
        return halt({ kind: 'budget_exhausted', message: `reached its job budget (maxJobs ${budget.maxJobs})` })
      }
      await check(snapshot('before_job', { next: job.request }))
      if (stop) {
        queue.unshift(job)
        return
      }
      startedJobs++
      running++
      const result = await runJob(job)
      running--
      record(result)
      await check(snapshot('after_result', { last: result }))
    }
  }

  request.signal?.addEventListener('abort', onUserAbort, { once: true })
  try {
    if (request.signal?.aborted) onUserAbort()
    if (runDir) {
      journal = openJournal(journalPath as string)
      await writeRunFile(runDir, { runId, status: 'running', startedAt, budget, jobs: request.jobs.length })
    }
    log.info({ event: 'run_started', jobs: prepared.length, resumed: results.size, maxParallel: budget.maxParallel }, `run ${runId}: ${prepared.length} jobs`)
    await Promise.all(Array.from({ length: budget.maxParallel }, lane))
    const skippedReason = stop ? `not started: ${stop.message}` : 'not started'
    for (const job of queue) record({ id: job.request.id, intent: job.request.intent, status: 'skipped', attempts: 0, durationMs: 0, reason: skippedReason, evidence: [], inputHash: job.inputHash, ...(job.request.labels ? { labels: job.request.labels } : {}) })
    queue.length = 0
  } finally {
    clearTimeout(runTimer)
    clearInterval(killSwitchWatch)
    request.signal?.removeEventListener('abort', onUserAbort)
    await pool.destroy()
    channel.close()
    journal?.close()
  }
  const jobs = prepared.map((job) => results.get(job.request.id) as JobResult)
  const failed = jobs.some((job) => job.status === 'failed' || job.status === 'stopped')
  const result: RunResult = {
    runId,
    ...(runDir ? { runDir } : {}),
    status: stop ? 'stopped' : failed ? 'failed' : 'ok',
    ...(stop ? { stopReason: { kind: stop.kind, message: stop.message, ...(stop.condition ? { condition: stop.condition } : {}) } } : {}),
    jobs,
    retriesUsed,
    startedAt,
    finishedAt: clock.iso(),
    durationMs: Math.round(performance.now() - started),
  }
  log.info({ event: 'run_finished', status: result.status, ...(result.stopReason ? { stopReason: result.stopReason } : {}), durationMs: result.durationMs }, `run ${runId} ${result.status}`)
  if (runDir) await writeRunFile(runDir, summarize(result, budget))
  removeSink?.()
  return result
}

/** A default id names a new run: when it is taken (two runs in one millisecond, or a pinned clock), count up. */
function freeRunId(base: string, runsDir: string): string {
  let id = base
  for (let n = 2; existsSync(join(runsDir, id)); n++) id = `${base}-${n}`
  return id
}

function defaultRunId(clock: Clock, jobs: readonly PreparedJob[]): string {
  const stamp = clock.iso().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '.$1Z')
  return `${stamp}-${hashJson(jobs.map((j) => [j.request.id, j.request.intent, j.inputHash])).slice(0, 8)}`
}

function stopMessage(reason: unknown): string {
  return (reason as StopDecision | undefined)?.message ?? 'run stopped'
}

async function stopProcesses(marker: string, processes: Map<string, Set<number>>, budget: Budget): Promise<void> {
  const pids = processes.get(marker) ?? new Set<number>()
  processes.delete(marker)
  await killJobProcesses(pids, marker, budget.killGraceMs)
}

function onChannelMessage(message: ChannelMessage, log: Logger, processes: Map<string, Set<number>>): void {
  if (message.type === 'pid') processes.get(message.marker)?.add(message.pid)
  else log[message.level]({ event: 'intent_log', job: message.job, ...message.fields }, message.msg)
}

function summarize(result: RunResult, budget: Budget): Record<string, unknown> {
  const counts = { ok: 0, failed: 0, skipped: 0, stopped: 0 }
  for (const job of result.jobs) counts[job.status]++
  return {
    ...result,
    budget,
    counts,
    // Outputs stay in journal.jsonl; run.json is the summary the dashboard and `status` read.
    jobs: result.jobs.map(({ output: _output, ...job }) => job),
  }
}

async function writeRunFile(runDir: string, value: Record<string, unknown>): Promise<void> {
  await writeJsonAtomic(join(runDir, 'run.json'), value)
}
