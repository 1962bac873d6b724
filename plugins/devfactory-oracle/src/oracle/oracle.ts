// Seed 3's Oracle: the components wired from the plugin's options, one check of the monitor loop,
// and the manual intervention. The loop itself (timing, signals, the watch file) is the watch
// command's; a check never throws for what it meets on disk: it reports it, and the next check
// tries again.

import { type Clock, type OracleError, compareCodeUnits, isOracleError, suggest } from '@oraclekit/kernel'
import { createContextLoader } from '../context/loader.js'
import { detectStuck } from '../detect/detector.js'
import { errorTaskNotFound, errorTaskSettled } from '../errors.js'
import { type ClaudeAsk, type RetryEvent, createClaudeAsk } from '../guidance/client.js'
import { type EngineResult, InterventionEngine } from '../intervene/engine.js'
import { type PendingChange, resolvePending } from '../intervene/resolve.js'
import type { DevfactoryOptions } from '../options.js'
import { type StateStore, createStateStore } from '../state/store.js'
import { TakeoverManager } from '../takeover/takeover.js'
import { InterventionTracker } from '../tracker/tracker.js'
import type { BeastState, DevfactoryLog, InterventionType, StuckWorker } from '../types.js'
import { buildRequest, manualVerdict } from './request.js'

export interface OracleDeps {
  rootDir: string
  options: DevfactoryOptions
  clock: Clock
  /** Where the API key (options.apiKeyEnv) and ANTHROPIC_BASE_URL are read. */
  env: NodeJS.ProcessEnv
  log: DevfactoryLog
  /** Replaces the Claude client (tests of the loop without a server). */
  ask?: ClaudeAsk
}

/** What happened to one stuck worker in a check. */
export interface CheckIntervention {
  stuck: StuckWorker
  result?: EngineResult
  /** Guidance was due but there is no API key: nothing was sent or recorded. */
  noApiKey?: boolean
  /** The intervention threw: a coded error (or, marked internal, a bug). */
  error?: { code: string; message: string; internal?: boolean }
}

export interface CheckReport {
  at: string
  workers: number
  stuck: StuckWorker[]
  resolved: PendingChange[]
  interventions: CheckIntervention[]
  /** The check could not run: the state or the history could not be read. */
  error?: OracleError
  /** The project documents changed since the last check (always true for the first). */
  contextChanged: boolean
  /** Interventions that failed (not delivered, takeover failed, or threw). */
  failed: number
  /** Guidance was due for at least one worker but the API key is missing. */
  apiKeyMissing: boolean
}

export interface Oracle {
  readonly store: StateStore
  readonly tracker: InterventionTracker
  readonly apiKeySet: boolean
  check(): Promise<CheckReport>
  /** Seed 3's manualIntervene: forced (no grace period), with the strategy given or decided. */
  intervene(taskId: string, strategy?: InterventionType): Promise<{ stuck: StuckWorker; result: EngineResult }>
}

export function createOracle(deps: OracleDeps): Oracle {
  const { rootDir, options, clock, env, log } = deps
  const dir = options.dir
  const store = createStateStore(rootDir, { dir })
  const tracker = new InterventionTracker(rootDir, { dir, maxHistory: options.maxInterventionHistory, clock })
  const loader = createContextLoader(rootDir, { dir, clock })
  const apiKey = env[options.apiKeyEnv]?.trim() || undefined
  const baseURL = options.baseURL ?? (env.ANTHROPIC_BASE_URL?.trim() || undefined)
  const onRetry = (event: RetryEvent) => log.warn({ ...event }, `Claude API: attempt ${event.attempt} failed (${event.reason}); retrying in ${event.delayMs} ms`)
  const ask =
    deps.ask ??
    createClaudeAsk({
      model: options.model,
      maxTokens: options.maxTokens,
      apiKey,
      apiKeyEnv: options.apiKeyEnv,
      ...(baseURL ? { baseURL } : {}),
      timeoutMs: options.requestTimeout,
      retries: options.apiRetries,
      onRetry,
    })
  const takeover = options.takeoverCommand
    ? new TakeoverManager({ rootDir, dir, state: store, command: options.takeoverCommand, timeoutMs: options.takeoverTimeout, maxConcurrent: options.maxConcurrentTakeovers, clock, log })
    : undefined
  const engine = new InterventionEngine({ rootDir, dir, state: store, tracker, ask, ...(takeover ? { takeover } : {}), maxInterventionsPerTask: options.maxInterventionsPerTask, clock, log })

  let loaded = false
  let warnings = ''

  /** Loads or refreshes the documents; a failure keeps the last context (or none) and is logged. */
  async function syncContext(): Promise<boolean> {
    try {
      const changed = loaded ? await loader.refresh() : (await loader.load(), true)
      loaded = true
      const current = loader.warnings.join('\n')
      if (current !== warnings && current !== '') log.warn({ warnings: loader.warnings }, `project context: ${loader.warnings.length} warning(s)`)
      warnings = current
      return changed
    } catch (error) {
      log.warn({ error: String(error) }, 'project context could not be read; using what was read before')
      return false
    }
  }

  async function interveneOn(stuck: StuckWorker, state: BeastState, extra: { force?: boolean; strategy?: InterventionType } = {}): Promise<EngineResult> {
    const previous = await tracker.getForTask(stuck.taskId)
    const request = buildRequest({ stuck, state, loader: loaded ? loader : undefined, previous, summaryTokens: options.summaryTokens, scan: options.loops.scan })
    return engine.intervene({ ...request, ...extra })
  }

  return {
    store,
    tracker,
    apiKeySet: apiKey !== undefined,

    async check() {
      const report: CheckReport = { at: clock.iso(), workers: 0, stuck: [], resolved: [], interventions: [], contextChanged: await syncContext(), failed: 0, apiKeyMissing: false }
      let state: BeastState
      try {
        state = await store.read()
        report.workers = Object.keys(state.workers).length
        report.resolved = await resolvePending(state, tracker, clock.now())
      } catch (error) {
        if (!isOracleError(error)) throw error
        report.error = error
        return report
      }
      for (const change of report.resolved) log.info({ ...change }, `${change.id} on ${change.taskId}: ${change.outcome} (${change.reason})`)
      report.stuck = detectStuck(state, clock.now(), options)
      for (const stuck of report.stuck) {
        log.info({ worker: stuck.worker, task: stuck.taskId, classification: stuck.classification, confidence: stuck.confidence, evidence: stuck.evidence, stuckDuration: stuck.stuckDuration }, `${stuck.worker} is stuck`)
        const entry: CheckIntervention = { stuck }
        report.interventions.push(entry)
        try {
          entry.result = await interveneOn(stuck, state)
          if (!entry.result.success && !entry.result.skipped) report.failed += 1
        } catch (error) {
          if (isOracleError(error) && error.code === 'ORACLE_DEVFACTORY_NO_API_KEY') {
            entry.noApiKey = true
            report.apiKeyMissing = true
            continue
          }
          report.failed += 1
          entry.error = isOracleError(error) ? { code: error.code, message: error.message } : { code: 'ORACLE_INTERNAL', message: String(error), internal: true }
          log.error({ worker: stuck.worker, task: stuck.taskId, code: entry.error.code, ...(isOracleError(error) ? {} : { stack: (error as Error)?.stack }) }, `intervention on ${stuck.taskId} failed: ${entry.error.message}`)
        }
      }
      return report
    },

    async intervene(taskId, strategy) {
      await syncContext()
      const state = await store.read()
      const task = state.tasks[taskId]
      if (!task && !(loaded && loader.getTaskContext(taskId))) {
        const known = Object.keys(state.tasks).sort(compareCodeUnits)
        throw errorTaskNotFound(taskId, known, suggest(taskId, known))
      }
      if (task?.status === 'complete') throw errorTaskSettled(taskId, task.status)
      const stuck = manualVerdict(state, taskId, clock.now(), options)
      const result = await interveneOn(stuck, state, { force: true, ...(strategy ? { strategy } : {}) })
      return { stuck, result }
    },
  }
}
