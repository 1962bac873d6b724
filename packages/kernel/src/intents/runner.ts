import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { ResolvedConfig } from '../config/schema.js'
import { errorUsage } from '../errors/errors.js'
import { ExitCode, OracleError } from '../errors/oracle-error.js'
import type { RegisteredIntent } from '../plugins/types.js'
import type { Clock } from '../services/clock.js'
import type { EventLog, Logger } from '../services/event-log.js'
import { workerFile } from '../worker-file.js'
import { resolveBudget } from './budget.js'
import { type Journal, openJournal, readJournal } from './journal.js'
import { killJobProcesses } from './kill-tree.js'
import { type PreparedJob, prepareJobs } from './prepare.js'
import type { IntentWorkerData, WorkerWarmRequest } from './protocol.js'
import { openRunChannel } from './run-channel.js'
import { defaultRunId, summarize, writeRunFile } from './run-files.js'
import { type JobRunContext, runJob } from './run-job.js'
import { type RunLock, acquireRunLock } from './run-lock.js'
import { killSwitchEngaged, killSwitchFile, stopOnFailure } from './stop-conditions.js'
import type { JobResult, RunRequest, RunResult, RunSnapshot, StopCondition, StopDecision } from './types.js'

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
  const runId = request.runId ?? defaultRunId(clock, prepared, resolve(deps.rootDir, deps.config.run.dir))
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
  const lock: RunLock | undefined = runDir ? acquireRunLock(runDir, runId) : undefined
  try {
    // A session killed earlier may have left processes behind (their parent died with it).
    if (earlier.size > 0) await killJobProcesses([], `${runId}/`, budget.killGraceMs)
    return await execute(deps, request, { prepared, budget, runId, runDir, journalPath, earlier })
  } finally {
    lock?.release()
  }
}

interface Plan {
  prepared: PreparedJob[]
  budget: ReturnType<typeof resolveBudget>
  runId: string
  runDir: string | undefined
  journalPath: string | undefined
  earlier: Map<string, JobResult>
}

async function execute(deps: RunnerDeps, request: RunRequest, plan: Plan): Promise<RunResult> {
  const { prepared, budget, runId, runDir, journalPath, earlier } = plan
  const { clock } = deps
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
  /** Jobs the request's feed gave, in the order they came. */
  const fed: PreparedJob[] = []
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
  const inFlight = new Set<AbortController>()
  let stop: StopDecision | undefined
  let startedJobs = results.size
  let running = 0
  const halt = (decision: StopDecision): void => {
    if (!stop) {
      stop = decision
      log.warn({ event: 'run_stopping', reason: decision }, `stopping run: ${decision.message}`)
      request.onEvent?.({ type: 'run_stopping', reason: decision })
    }
    if (decision.abortRunning && !controller.signal.aborted) {
      controller.abort(decision)
      for (const attempt of inFlight) attempt.abort(decision)
    }
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

  const channel = openRunChannel(`oraclekit:${runId}:${randomUUID()}`, log)
  let removeSink: (() => void) | undefined
  let journal: Journal | undefined
  const { Tinypool } = await import('tinypool')
  const workerData: IntentWorkerData = {
    runId,
    rootDir: deps.rootDir,
    channel: channel.name,
    intents: Object.fromEntries([...deps.intents].map(([name, intent]) => [name, { module: intent.moduleUrl, exportName: intent.definition.export ?? 'default', ...(intent.definition.spawns ? { spawns: true } : {}) }])),
  }
  const pool = new Tinypool({
    filename: workerFile,
    minThreads: Math.min(budget.maxParallel, Math.max(queue.length + (request.feed ? budget.maxParallel : 0), 1)),
    maxThreads: budget.maxParallel,
    workerData,
    ...(budget.maxMemoryMb ? { resourceLimits: { maxOldGenerationSizeMb: budget.maxMemoryMb } } : {}),
  })
  let poolClosed: Promise<void> | undefined
  const closePool = (): Promise<void> => (poolClosed ??= pool.destroy())
  const retries = { used: 0 }
  const jobContext: JobRunContext = { pool, runId, budget, clock, log, random: deps.random, onEvent: request.onEvent, runSignal: controller.signal, inFlight, channel, retries }

  const snapshot = (phase: RunSnapshot['phase'], extra: Partial<RunSnapshot>): RunSnapshot => ({
    runId,
    phase,
    results: resultList,
    running,
    pending: queue.length,
    retriesUsed: retries.used,
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
  // Conditions marked `watch` are emergency brakes too: checked while jobs run, not only between.
  const watched = conditions.filter((condition) => condition.watch)
  let watching = false
  const conditionWatch = setInterval(() => {
    if (watched.length === 0 || watching || running === 0 || stop?.abortRunning) return
    watching = true
    void (async () => {
      for (const condition of watched) {
        try {
          const decision = await condition.check(snapshot('watch', {}))
          if (decision) return halt({ ...decision, condition: condition.name })
        } catch (error) {
          return halt({ kind: 'stop_condition_error', condition: condition.name, message: `stop condition ${condition.name} failed: ${(error as Error).message}`, abortRunning: true })
        }
      }
    })().finally(() => {
      watching = false
    })
  }, KILL_SWITCH_POLL_MS)
  conditionWatch.unref()
  const record = (result: JobResult): void => {
    results.set(result.id, result)
    resultList.push(result)
    journal?.append(result)
    const level = result.status === 'ok' ? 'info' : 'warn'
    log[level](
      { event: 'job_finished', job: result.id, intent: result.intent, status: result.status, attempts: result.attempts, durationMs: result.durationMs, ...(result.reason ? { reason: result.reason } : {}) },
      `job ${result.id} ${result.status} (${result.durationMs} ms)${result.reason ? `: ${result.reason}` : ''}`,
    )
    request.onEvent?.({ type: 'job_finished', job: result.id, result })
  }
  const lane = async (): Promise<void> => {
    // Lanes stop taking jobs at maxJobs; whether that stopped the run is decided once they are done.
    while (!stop && startedJobs < budget.maxJobs) {
      let job = queue.shift()
      if (!job && request.feed) {
        const next = await request.feed.next()
        if (next && !stop) {
          job = prepareJobs([next], deps.intents)[0] as PreparedJob
          fed.push(job)
        } else if (next) {
          // the run stopped while the lane waited: the job is reported skipped
          queue.push(prepareJobs([next], deps.intents)[0] as PreparedJob)
          fed.push(queue.at(-1) as PreparedJob)
          return
        }
      }
      if (!job) return
      // The slot is taken before the (async) stop-condition check, so that two lanes can never
      // both take the last one.
      startedJobs++
      await check(snapshot('before_job', { next: job.request }))
      if (stop) {
        startedJobs--
        queue.unshift(job)
        return
      }
      running++
      const result = await runJob(jobContext, job)
      running--
      record(result)
      await check(snapshot('after_result', { last: result }))
    }
  }

  request.signal?.addEventListener('abort', onUserAbort, { once: true })
  let result: RunResult
  try {
    if (request.signal?.aborted) onUserAbort()
    if (runDir) {
      removeSink = deps.eventLog?.addSink(join(runDir, 'events.jsonl'))
      journal = openJournal(journalPath as string)
      await writeRunFile(runDir, { runId, status: 'running', startedAt, budget, jobs: request.jobs.length })
    }
    log.info({ event: 'run_started', jobs: prepared.length, resumed: results.size, maxParallel: budget.maxParallel }, `run ${runId}: ${prepared.length} jobs`)
    const feedIntents = request.feed?.intents ?? []
    await warmPool(pool, Math.min(budget.maxParallel, queue.length + (request.feed ? budget.maxParallel : 0)), [...new Set([...queue.map((job) => job.request.intent), ...feedIntents])])
    await Promise.all(Array.from({ length: budget.maxParallel }, lane))
    if (queue.length > 0 && startedJobs >= budget.maxJobs) halt({ kind: 'budget_exhausted', message: `reached its job budget (maxJobs ${budget.maxJobs})` })
    const skippedReason = stop ? `not started: ${stop.message}` : 'not started'
    for (const job of queue) record({ id: job.request.id, intent: job.request.intent, status: 'skipped', attempts: 0, durationMs: 0, reason: skippedReason, evidence: [], inputHash: job.inputHash, ...(job.request.labels ? { labels: job.request.labels } : {}) })
    queue.length = 0
    clearTimeout(runTimer)
    clearInterval(killSwitchWatch)
    clearInterval(conditionWatch)
    const jobs = [...prepared, ...fed].map((job) => results.get(job.request.id) as JobResult)
    const failed = jobs.some((job) => job.status === 'failed' || job.status === 'stopped')
    const halted = stop as StopDecision | undefined
    result = {
      runId,
      ...(runDir ? { runDir } : {}),
      status: halted ? 'stopped' : failed ? 'failed' : 'ok',
      ...(halted ? { stopReason: { kind: halted.kind, message: halted.message, ...(halted.condition ? { condition: halted.condition } : {}) } } : {}),
      jobs,
      retriesUsed: retries.used,
      startedAt,
      finishedAt: clock.iso(),
      durationMs: Math.round(performance.now() - started),
    }
    log.info({ event: 'run_finished', status: result.status, ...(result.stopReason ? { stopReason: result.stopReason } : {}), durationMs: result.durationMs }, `run ${runId} ${result.status}`)
    // The summary is written while the worker threads wind down.
    await Promise.all([closePool(), runDir ? writeRunFile(runDir, summarize(result, budget)) : undefined])
  } finally {
    clearTimeout(runTimer)
    clearInterval(killSwitchWatch)
    clearInterval(conditionWatch)
    request.signal?.removeEventListener('abort', onUserAbort)
    await closePool()
    channel.close()
    journal?.close()
    removeSink?.()
  }
  return result
}

/**
 * Starts every thread the run will use and loads its intent modules before the first job is
 * dispatched: job durations and time budgets then measure the jobs, not worker start-up.
 */
async function warmPool(pool: { run(task: unknown): Promise<unknown> }, threads: number, intents: string[]): Promise<void> {
  if (threads < 1) return
  const barrier = new SharedArrayBuffer(4)
  const task: WorkerWarmRequest = { warm: true, intents, barrier, threads }
  // A thread that cannot start shows up again as the first job's failure, with its own message.
  await Promise.all(Array.from({ length: threads }, () => pool.run(task).catch(() => undefined)))
}
