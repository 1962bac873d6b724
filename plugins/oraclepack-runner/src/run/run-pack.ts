// `oracle pack run`: validate, plan, answer what the cache already knows, run the rest as kernel
// intents in the worker pool, and keep run.json and steps.json current after every event.

import { readFile, readdir, rm, rmdir } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import {
  type CommandUI,
  ExitCode,
  type JobRequest,
  type Kernel,
  type Logger,
  OracleError,
  type RunEvent,
  acquireRunLock,
  compareCodeUnits,
  sha256,
  stableLine,
  writeFileAtomic,
} from '@oraclekit/kernel'
import pkg from '../../package.json' with { type: 'json' }
import { type EngineOverrides, type ResolvedEngine, resolveEngine } from '../engine/resolve.js'
import type { StepInput, StepOutput } from '../intents/step.js'
import type { OraclepackOptions } from '../options.js'
import { findingProblem, loadPack } from '../pack/load.js'
import { checkPack, engineSizeLimit } from '../pack/check.js'
import { gitSha } from './git.js'
import { type RunFile, SCHEMA_VERSION, type StepRecord, type StepsFile, readRunFile, readStepsFile, writeRunFile, writeStepsFile } from './manifest.js'
import { type StepPlan, cacheKey, planSteps, routing } from './plan.js'
import { type Rerun, parseRerun, selectSteps } from './select.js'

export const STEP_INTENT = 'oraclepack.step'

export interface RunPackRequest {
  pack: string
  cwd: string
  maxParallel?: number
  rerun?: string
  cache: boolean
  ci: boolean
  jsonLog: boolean
  minCompletion?: number
  roiThreshold?: number
  roiMode?: 'over' | 'under'
  engine?: EngineOverrides
}

export interface RunPackSummary {
  pack_id: string
  run_dir: string
  status: RunFile['status']
  stop_reason: string | null
  engine: { kind: string; version: string; source: string; description: string }
  counts: { steps: number; ok: number; failed: number; pending: number; skipped: number; cached: number; executed: number; engine_calls: number }
  completion: number
  min_completion: number
  steps: Array<Pick<StepRecord, 'step_id' | 'status' | 'attempts' | 'cached' | 'output_path' | 'last_error'>>
}

export interface RunPackResult {
  exitCode: number
  summary: RunPackSummary
}

interface Deps {
  kernel: Kernel
  options: OraclepackOptions
  logger: Logger
  ui: CommandUI
  signal: AbortSignal
}

/** `YYYY-MM-DD__<gitshort|nogit>__<packhash8>`. */
export function packId(isoDate: string, sha: string | null, packHash: string): string {
  return `${isoDate.slice(0, 10)}__${sha ? sha.slice(0, 7) : 'nogit'}__${packHash.slice(0, 8)}`
}

/**
 * The run directory: an existing run of the same pack at the same commit is resumed, whatever day
 * it started; otherwise a new one is named after today.
 */
async function runDirFor(runsDir: string, id: string): Promise<{ id: string; dir: string }> {
  const suffix = id.slice(10)
  const existing = (await readdir(runsDir).catch(() => [] as string[])).filter((name) => name.endsWith(suffix) && /^\d{4}-\d{2}-\d{2}__/.test(name)).sort(compareCodeUnits)
  const chosen = existing.at(-1) ?? id
  return { id: chosen, dir: join(runsDir, chosen) }
}

async function outputIntact(runDir: string, record: StepRecord): Promise<boolean> {
  if (record.status !== 'ok' || !record.output_hash) return false
  const data = await readFile(join(runDir, record.output_path)).catch(() => undefined)
  return data !== undefined && data.length > 0 && sha256(data) === record.output_hash
}

function freshRecord(plan: StepPlan, key: string): StepRecord {
  return {
    step_id: plan.id,
    title: plan.title,
    reference: plan.reference,
    category: plan.category,
    question_id: plan.questionId,
    expected_artifacts: plan.expectedArtifacts,
    roi: plan.roi,
    command_hash: plan.commandHash,
    cache_key: key,
    output_path: plan.output,
    output_hash: null,
    status: 'pending',
    attempts: 0,
    cached: false,
    last_error: null,
    retries: [],
    started_at: null,
    finished_at: null,
    duration_ms: null,
  }
}

function describeEngine(engine: ResolvedEngine, rootDir: string): string {
  const where = relative(rootDir, engine.path).split(sep).join('/')
  if (engine.kind === 'replay') return `replay of recorded answers in ${where || '.'} (not a live model)`
  return `@steipete/oracle ${engine.version} (${engine.source}: ${engine.path})`
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

export async function runPack(request: RunPackRequest, deps: Deps): Promise<RunPackResult> {
  const { kernel, options, ui, logger } = deps
  const rootDir = kernel.rootDir
  const clock = kernel.clock
  const loaded = await loadPack(request.pack, request.cwd, rootDir)
  // The attachment lint's warnings (a missing file, a glob…) are logged before anything runs.
  const report = await checkPack(loaded.pack, 'default', { rootDir, file: loaded.file, maxFileSizeBytes: engineSizeLimit(options) })
  if (!report.valid) {
    const errors = report.findings.filter((f) => f.severity === 'error')
    throw new OracleError('ORACLE_PACK_INVALID', `${loaded.display} is not a valid pack: ${errors.length} error(s); nothing was run`, {
      file: loaded.display,
      ...(errors[0]?.line ? { line: errors[0].line } : {}),
      exitCode: ExitCode.invalidInput,
      hint: `Fix the errors (\`oracle pack validate ${request.pack}\` lists them).`,
      problems: errors.map((f) => findingProblem(loaded.display, f)),
    })
  }
  for (const warning of report.findings.filter((f) => f.severity === 'warning')) {
    logger.warn({ event: 'pack_warning', code: warning.code, line: warning.line, step: warning.step }, `${loaded.display}:${warning.line ?? ''} ${warning.code}: ${warning.message}`)
  }
  const rerun: Rerun = parseRerun(request.rerun, loaded.pack.steps.map((s) => s.id))
  const engine = await resolveEngine(rootDir, options.engine, request.engine ?? {})
  const plans = planSteps(loaded.pack, engine)
  const maxParallel = request.maxParallel ?? options.maxParallel ?? kernel.config.run.maxParallel
  const minCompletion = request.minCompletion ?? options.minCompletion

  const sha = await gitSha(rootDir)
  const runsDir = resolve(rootDir, options.runsDir)
  const cacheDir = resolve(rootDir, options.cacheDir)
  const { id, dir: runDir } = await runDirFor(runsDir, packId(clock.iso(), sha, loaded.hash))
  const lock = acquireRunLock(runDir, id)
  try {
    const previousRun = await readRunFile(runDir)
    const previousSteps = await readStepsFile(runDir)
    const keys = await Promise.all(plans.map((plan) => cacheKey(rootDir, plan, engine)))
    const records = new Map<string, StepRecord>()
    const currentKey = new Map<string, string>()
    plans.forEach((plan, i) => {
      const key = (keys[i] as { key: string }).key
      currentKey.set(plan.id, key)
      const prior = previousSteps?.steps.find((s) => s.step_id === plan.id && s.command_hash === plan.commandHash)
      // A prior record keeps the key its answer was made with, until the step is answered again.
      const described = { title: plan.title, reference: plan.reference, category: plan.category, question_id: plan.questionId, expected_artifacts: plan.expectedArtifacts, roi: plan.roi, output_path: plan.output }
      records.set(plan.id, prior ? { ...prior, ...described } : freshRecord(plan, key))
    })

    // Done: the answer is on disk, unchanged, and was made from the inputs the step has now
    // (an edited attached file, other engine flags or another engine make it stale).
    const intact = new Set<string>()
    for (const plan of plans) {
      const record = records.get(plan.id) as StepRecord
      if (record.cache_key === currentKey.get(plan.id) && (await outputIntact(runDir, record))) intact.add(plan.id)
    }
    const selection = selectSteps(plans, records, intact, rerun, request.roiThreshold ?? 0, request.roiMode ?? 'over')
    const now = () => clock.iso()
    const { models, providers } = routing(plans)
    const run: RunFile = {
      schema_version: SCHEMA_VERSION,
      pack_id: id,
      pack_path: loaded.display,
      pack_hash: loaded.hash,
      git_sha: sha,
      oraclekit_version: pkg.version,
      oracle_version: engine.version,
      engine: { kind: engine.kind, source: engine.source, path: engine.path, args: engine.args },
      providers,
      models,
      out_dir: loaded.pack.outDir ?? null,
      created_at: previousRun?.created_at ?? now(),
      updated_at: now(),
      max_parallel: maxParallel,
      ci: request.ci,
      cache: request.cache,
      sessions: (previousRun?.sessions ?? 0) + 1,
      status: 'running',
      stop_reason: null,
      steps_total: plans.length,
    }

    // Every manifest write goes through one queue, so they land in order and never interleave.
    let writes: Promise<void> = Promise.resolve()
    const stepsFile = (): StepsFile => ({ schema_version: SCHEMA_VERSION, pack_id: id, steps: plans.map((p) => records.get(p.id) as StepRecord) })
    const persist = (withRun = false): Promise<void> => {
      const steps = stepsFile()
      const runSnapshot = { ...run }
      writes = writes.then(async () => {
        await writeStepsFile(runDir, steps)
        if (withRun) await writeRunFile(runDir, runSnapshot)
      })
      return writes
    }
    const emit = (event: string, fields: Record<string, unknown> = {}) => {
      if (request.jsonLog) ui.line(stableLine({ ts: now(), event, pack_id: id, ...fields }))
    }

    for (const stepId of selection.skip) {
      const record = records.get(stepId) as StepRecord
      if (!intact.has(stepId)) records.set(stepId, { ...record, status: 'skipped' })
    }
    emit('run_started', { run_dir: relative(rootDir, runDir).split(sep).join('/'), steps: plans.length, selected: selection.run.length, max_parallel: maxParallel, engine: { kind: engine.kind, version: engine.version }, session: run.sessions })

    // Answers the cache already has: copied into outputs/ without calling the engine.
    const jobs: JobRequest<StepInput>[] = []
    let cachedCount = 0
    for (const stepId of selection.run) {
      const plan = plans.find((p) => p.id === stepId) as StepPlan
      const record = { ...(records.get(stepId) as StepRecord), cache_key: currentKey.get(stepId) as string }
      const cacheFile = join(cacheDir, `${record.cache_key}.md`)
      const output = join(runDir, plan.output)
      if (request.cache) {
        const hit = await readFile(cacheFile).catch(() => undefined)
        if (hit && hit.length > 0) {
          await writeFileAtomic(output, hit)
          const at = now()
          records.set(stepId, { ...record, status: 'ok', cached: true, attempts: 0, retries: [], last_error: null, output_hash: sha256(hit), started_at: at, finished_at: at, duration_ms: 0 })
          cachedCount++
          emit('step_cached', { step: stepId, output_path: plan.output })
          continue
        }
      }
      records.set(stepId, { ...record, status: 'pending', cached: false, attempts: 0, retries: [], last_error: null, output_hash: null, started_at: null, finished_at: null, duration_ms: null })
      // An earlier answer must not outlive the record that vouched for it (the cache keeps it).
      await rm(output, { force: true })
      jobs.push({
        id: stepId,
        intent: STEP_INTENT,
        labels: { step: stepId },
        input: {
          step: stepId,
          kind: engine.kind,
          file: engine.file,
          prefix: engine.prefix,
          args: plan.args,
          env: engine.env,
          output,
          ...(request.cache ? { cache: cacheFile } : {}),
          ...(engine.kind === 'replay' ? { replayDir: engine.path } : {}),
          timeoutMs: options.stepTimeoutMs,
        },
      })
    }
    await persist(true)

    // The live display: done / running / failed, elapsed, ETA.
    const started = performance.now()
    let running = 0
    let done = 0
    let failed = 0
    const showStatus = () => {
      if (!ui.interactive) return
      const elapsed = performance.now() - started
      const eta = done > 0 && jobs.length > done ? ` · ETA ${formatDuration((elapsed / done) * (jobs.length - done))}` : ''
      ui.status(`pack ${id}: ${done}/${jobs.length} done · ${running} running · ${failed} failed · ${formatDuration(elapsed)} elapsed${eta}`)
    }
    const ticker = ui.interactive ? setInterval(showStatus, 1000) : undefined
    ticker?.unref()

    const onEvent = (event: RunEvent) => {
      const stepId = event.job
      const record = stepId ? records.get(stepId) : undefined
      if (!stepId || !record) return
      if (event.type === 'job_started') {
        running++
        records.set(stepId, { ...record, started_at: now(), attempts: 1 })
        emit('step_started', { step: stepId })
      } else if (event.type === 'job_retry') {
        const retry = { attempt: event.attempt ?? record.attempts, error: event.error ?? 'transient failure', delay_ms: event.delayMs ?? 0 }
        records.set(stepId, { ...record, attempts: retry.attempt + 1, last_error: retry.error, retries: [...record.retries, retry] })
        logger.warn({ event: 'step_retry', step: stepId, ...retry }, `step ${stepId}: ${retry.error}; retry ${retry.attempt} in ${retry.delay_ms} ms`)
        emit('step_retry', { step: stepId, ...retry })
      } else if (event.type === 'job_finished' && event.result) {
        const result = event.result
        const finishedAt = now()
        running = Math.max(0, running - 1)
        if (result.status === 'ok') {
          done++
          const out = result.output as StepOutput
          records.set(stepId, { ...record, status: 'ok', attempts: result.attempts, output_hash: out.outputHash, last_error: null, finished_at: finishedAt, duration_ms: result.durationMs })
        } else if (result.status === 'failed') {
          done++
          failed++
          // The kernel logs the failure itself (job <id> failed: <reason>).
          records.set(stepId, { ...record, status: 'failed', attempts: result.attempts, last_error: result.reason ?? 'failed', finished_at: finishedAt, duration_ms: result.durationMs })
        } else {
          // Stopped before or while running: still to do, and a resume picks it up.
          records.set(stepId, { ...record, status: 'pending', attempts: result.attempts, last_error: result.reason ?? null, finished_at: null, duration_ms: null })
        }
        const fresh = records.get(stepId) as StepRecord
        emit('step_finished', { step: stepId, status: fresh.status, attempts: fresh.attempts, duration_ms: result.durationMs, output_path: fresh.output_path, error: fresh.last_error })
      } else {
        return
      }
      void persist()
      showStatus()
    }

    let stopReason: string | null = null
    let stopped = false
    if (jobs.length > 0) {
      try {
        const result = await kernel.runIntents({
          jobs,
          runDir: false,
          signal: deps.signal,
          onEvent,
          budget: {
            maxParallel,
            maxJobs: Math.max(jobs.length, 1),
            maxRunTimeMs: options.maxRunTimeMs,
            // The attempt's own timeout (stepTimeoutMs) fires first and is retried; this is the backstop.
            maxJobTimeMs: options.stepTimeoutMs + 60_000,
            retries: { perJob: options.retries },
          },
        })
        if (result.status === 'stopped') {
          stopped = true
          stopReason = result.stopReason?.message ?? 'stopped'
        }
      } finally {
        if (ticker) clearInterval(ticker)
        // The engine's partial files are moved into place or removed; drop their folder when empty.
        await rmdir(join(runDir, 'outputs', '.partial')).catch(() => undefined)
      }
    }

    const all = plans.map((p) => records.get(p.id) as StepRecord)
    const count = (status: StepRecord['status']) => all.filter((r) => r.status === status).length
    const ok = count('ok')
    const failedCount = count('failed')
    const considered = all.filter((r) => r.status !== 'skipped').length
    const completion = considered === 0 ? 1 : ok / considered
    run.status = stopped ? 'stopped' : failedCount > 0 || count('pending') > 0 ? 'failed' : 'ok'
    run.stop_reason = stopReason
    run.updated_at = now()
    await persist(true)
    const engineCalls = all.reduce((sum, r) => sum + (selection.run.includes(r.step_id) && !r.cached ? r.attempts : 0), 0)
    const summary: RunPackSummary = {
      pack_id: id,
      run_dir: relative(rootDir, runDir).split(sep).join('/'),
      status: run.status,
      stop_reason: stopReason,
      engine: { kind: engine.kind, version: engine.version, source: engine.source, description: describeEngine(engine, rootDir) },
      counts: { steps: plans.length, ok, failed: failedCount, pending: count('pending'), skipped: count('skipped'), cached: cachedCount, executed: jobs.length, engine_calls: engine.kind === 'replay' ? 0 : engineCalls },
      completion: Math.round(completion * 10_000) / 10_000,
      min_completion: minCompletion,
      steps: all.map((r) => ({ step_id: r.step_id, status: r.status, attempts: r.attempts, cached: r.cached, output_path: r.output_path, last_error: r.last_error })),
    }
    emit('run_finished', { status: run.status, counts: summary.counts, completion: summary.completion, stop_reason: stopReason })
    const exitCode = stopped ? ExitCode.stopped : completion < minCompletion ? ExitCode.failed : ExitCode.ok
    return { exitCode, summary }
  } finally {
    lock.release()
  }
}
