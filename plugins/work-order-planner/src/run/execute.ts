// `oracle run`: the work orders on disk, executed one at a time as intents in the kernel's pool,
// under budgets (jobs, time) and stop conditions (a kill switch, a failed health check, a failed
// test). One `oracle run` per workspace at a time (the lock `oracle plan` shares); a job whose
// evidence.json exists was done by an earlier run and is never run again.

import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  type JobRequest,
  type JobResult,
  type Kernel,
  type RunResult,
  type StopCondition,
  acquireRunLock,
  checkValue,
  compareCodeUnits,
  killJobProcesses,
  runExitCode,
  sha256,
  writeJsonAtomic,
} from '@oraclekit/kernel'
import type { HealthInput, JobInput } from '../intents/job.js'
import type { PlannerOptions } from '../options.js'
import { commandArgv } from '../plan/command.js'
import { lockDir } from '../plan/plan.js'
import { Evidence, type ExitStatus, KillSwitch } from '../schema/artifacts.js'
import { type HealPolicy, nextHealState, readHealState, rearmCommand, retriesFor, writeHealState } from './heal.js'
import { recordEvidence } from './last-run.js'
import { type LoadedOrder, jobNotFound, loadOrders } from './orders.js'

export const HEALTH_INTENT = 'planner.health'

export interface RunOptions {
  rootDir: string
  options: PlannerOptions
  kernel: Kernel
  /** Safe intents → rank (built-ins and those plugins offer). */
  safe: Readonly<Record<string, number>>
  jobId?: string
  dryRun: boolean
  /** Auto-heal, when a plugin offers it (fleet-ops). */
  heal?: HealPolicy
  maxJobs?: number
  maxTimeMs?: number
  signal?: AbortSignal
  onProgress?: (line: string) => void
}

export interface JobReport {
  job_id: string
  product_id: string
  intent: string
  /** ok, failed (exit_status says how), stopped, skipped (not started), done_earlier, would_run (dry run). */
  status: 'ok' | 'failed' | 'stopped' | 'skipped' | 'done_earlier' | 'would_run'
  exit_status: ExitStatus | null
  duration_ms: number | null
  evidence: string | null
  reason: string | null
  argv: string[]
  cwd: string
}

export interface RunOutcome {
  status: 'ok' | 'failed' | 'stopped' | 'nothing_to_do' | 'dry_run'
  stop_reason: { kind: string; message: string } | null
  jobs: JobReport[]
  health_checks: Array<{ product_id: string; status: 'healthy' | 'unhealthy' | 'skipped' | 'would_run'; file: string }>
  exit_code: number
}

const evidenceDir = (options: PlannerOptions, o: LoadedOrder) => `${dash(options)}/runs/${o.order.product_id}/${o.order.job_id}`
const dash = (options: PlannerOptions) => options.dashDir.replace(/\/+$/, '')

function readEvidence(rootDir: string, rel: string): Evidence | undefined {
  try {
    const checked = checkValue<Evidence>(Evidence, JSON.parse(readFileSync(join(rootDir, rel), 'utf8')))
    return checked.ok ? checked.value : undefined
  } catch {
    return undefined
  }
}

/** Products whose kill switch is on now. A file that cannot be read counts as on: stopping is safe. */
export function engagedKillSwitches(rootDir: string, options: PlannerOptions): Map<string, string> {
  const dir = `${dash(options)}/kill_switch`
  const engaged = new Map<string, string>()
  let names: string[] = []
  try {
    names = readdirSync(join(rootDir, dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
  } catch {
    return engaged
  }
  for (const name of names.sort(compareCodeUnits)) {
    const file = `${dir}/${name}`
    try {
      const checked = checkValue<KillSwitch>(KillSwitch, JSON.parse(readFileSync(join(rootDir, file), 'utf8')))
      if (!checked.ok) engaged.set(name.slice(0, -5), `${file} is not a valid kill switch file`)
      else if (checked.value.enabled) engaged.set(name.slice(0, -5), `${checked.value.reason ?? 'no reason given'} (${file})`)
    } catch {
      engaged.set(name.slice(0, -5), `${file} cannot be read`)
    }
  }
  return engaged
}

/**
 * The kill switches that stop this run: one on for a product the run touches, or one turned on
 * during the run for any product (an operator pulling a switch means "stop"). Nothing starts after
 * it; a job of the switched product that is running is stopped at once (the condition is watched
 * while jobs run), while another product's job may finish.
 */
function killSwitchCondition(rootDir: string, options: PlannerOptions, touched: ReadonlySet<string>, atStart: ReadonlyMap<string, string>, running: ReadonlySet<string>): StopCondition {
  return {
    name: 'product-kill-switch',
    watch: true,
    check: () => {
      for (const [product, why] of engagedKillSwitches(rootDir, options)) {
        if (touched.has(product) || !atStart.has(product)) return { kind: 'kill_switch', message: `kill switch on for ${product}: ${why}`, abortRunning: running.has(product) }
      }
      return undefined
    },
  }
}

const failedWith = (kind: string, message: (r: JobResult) => string, match: (r: JobResult) => boolean): StopCondition => ({
  name: kind,
  check: ({ phase, last }) => (phase === 'after_result' && last && last.status === 'failed' && match(last) ? { kind, message: message(last) } : undefined),
})

/** How a job that left no evidence of its own ended. */
function statusWithoutEvidence(result: JobResult, run: RunResult): ExitStatus {
  if (result.failureKind === 'timeout') return 'timeout'
  if (result.status === 'stopped') return run.stopReason?.kind === 'kill_switch' ? 'stopped_kill_switch' : 'stopped'
  return 'error'
}

function report(o: LoadedOrder, status: JobReport['status'], extra: Partial<JobReport> = {}): JobReport {
  return {
    job_id: o.order.job_id,
    product_id: o.order.product_id,
    intent: o.order.intent,
    status,
    exit_status: null,
    duration_ms: null,
    evidence: null,
    reason: null,
    argv: o.argv,
    cwd: o.product.root,
    ...extra,
  }
}

interface Selection {
  done: LoadedOrder[]
  toRun: LoadedOrder[]
  jobs: JobReport[]
  skippedForBudget: JobReport[]
  /** Health checks go right before a product's first job other than validate. */
  healthFirst: Map<string, LoadedOrder>
  touched: Set<string>
  /** Kill switches on now, and the stop they mean for this run, if any. */
  atStart: Map<string, string>
  blocked: { kind: string; message: string } | null
  budgetStop: { kind: string; message: string } | null
}

/** Which orders were done by an earlier run, which run now, and which the budget leaves out. */
function select(rootDir: string, options: PlannerOptions, orders: readonly LoadedOrder[], maxJobs: number | undefined): Selection {
  const done = orders.filter((o) => existsSync(join(rootDir, evidenceDir(options, o), 'evidence.json')))
  const doneIds = new Set(done.map((o) => o.order.job_id))
  const pending = orders.filter((o) => !doneIds.has(o.order.job_id))
  const limit = maxJobs ?? pending.length
  const toRun = pending.slice(0, limit)
  const overBudget = pending.slice(limit)
  const budgetStop = overBudget.length > 0 ? { kind: 'budget_exhausted', message: `--max-jobs ${limit}: ${overBudget.length} work order(s) not run` } : null
  const healthFirst = new Map<string, LoadedOrder>()
  for (const o of toRun) if (o.product.health && o.order.intent !== 'validate' && !healthFirst.has(o.product.id)) healthFirst.set(o.product.id, o)
  const touched = new Set(toRun.map((o) => o.product.id))
  const atStart = engagedKillSwitches(rootDir, options)
  const on = [...atStart].filter(([product]) => touched.has(product))
  return {
    done,
    toRun,
    jobs: done.map((o) => report(o, 'done_earlier', { evidence: `${evidenceDir(options, o)}/evidence.json`, reason: 'its evidence.json exists: an earlier run did it' })),
    skippedForBudget: overBudget.map((o) => report(o, 'skipped', { reason: budgetStop?.message ?? null })),
    healthFirst,
    touched,
    atStart,
    blocked: on.length > 0 ? { kind: 'kill_switch', message: `kill switch on for ${on.map(([p, why]) => `${p}: ${why}`).join('; ')}` } : null,
    budgetStop,
  }
}

/** The outcome of a run that executes nothing: a dry run, nothing to do, or stopped before it began. */
function withoutRunning(options: PlannerOptions, sel: Selection, dryRun: boolean): RunOutcome {
  const stop = sel.blocked ?? (dryRun ? null : sel.budgetStop)
  const status: RunOutcome['status'] = stop ? 'stopped' : dryRun ? 'dry_run' : 'nothing_to_do'
  const preview = dryRun && !sel.blocked
  return {
    status,
    stop_reason: stop,
    jobs: [...sel.jobs, ...sel.toRun.map((o) => report(o, preview ? 'would_run' : 'skipped', stop ? { reason: stop.message } : {})), ...sel.skippedForBudget],
    health_checks: [...sel.healthFirst.keys()].map((product) => ({ product_id: product, status: preview ? 'would_run' : 'skipped', file: healthFile(options, product) })),
    exit_code: stop ? 4 : 0,
  }
}

const healthFile = (options: PlannerOptions, product: string) => `${dash(options)}/health/${product}.json`

export async function runOrders(request: RunOptions): Promise<RunOutcome> {
  const { rootDir, options, kernel } = request
  let orders = await loadOrders(rootDir, options, request.safe)
  if (request.jobId) {
    const wanted = orders.filter((o) => o.order.job_id === request.jobId)
    if (wanted.length === 0) throw jobNotFound(request.jobId, orders, options.workOrdersDir)
    orders = wanted
  }
  // A dry run takes no lock and writes nothing.
  if (request.dryRun) return withoutRunning(options, select(rootDir, options, orders, request.maxJobs), true)

  const lock = acquireRunLock(lockDir(rootDir, options), `of the work orders in ${options.workOrdersDir}`)
  // One run id per workspace: processes that carry its marker and outlived a run that was killed
  // (their parent died with it) are ended before anything starts, so a job never runs twice at once.
  const runId = `work-orders-${sha256(rootDir).slice(0, 12)}`
  try {
    // Decided under the lock: another run may have just finished some of these.
    const sel = select(rootDir, options, orders, request.maxJobs)
    const { done, toRun, jobs, skippedForBudget, healthFirst, touched, atStart } = sel
    await killJobProcesses([], `${runId}/`, 2000)
    // An earlier run killed after a job's evidence but before last_run.json: catch up first.
    for (const o of done) {
      const evidence = readEvidence(rootDir, `${evidenceDir(options, o)}/evidence.json`)
      if (evidence) await recordEvidence(rootDir, dash(options), evidence)
    }
    if (toRun.length === 0 || sel.blocked) return withoutRunning(options, sel, false)
    const requests: JobRequest[] = []
    const heal = request.heal
    const retries = new Map(toRun.map((o) => [o.order.job_id, retriesFor(heal, heal ? readHealState(rootDir, heal, o.product.id) : undefined, o.order.intent)]))
    for (const o of toRun) {
      if (healthFirst.get(o.product.id) === o) {
        const health = o.product.health as NonNullable<typeof o.product.health>
        const input: HealthInput = { product_id: o.product.id, argv: commandArgv(health.command), cwd: o.product.root, env: o.product.env, timeout_ms: health.timeoutMs, health_file: healthFile(options, o.product.id) }
        requests.push({ id: `${o.product.id}.health`, intent: HEALTH_INTENT, input, labels: { product: o.product.id } })
      }
      const input: JobInput = {
        job_id: o.order.job_id,
        product_id: o.product.id,
        intent: o.order.intent,
        argv: o.argv,
        cwd: o.product.root,
        env: o.product.env,
        timeout_ms: o.order.budget.max_time_ms,
        evidence_dir: evidenceDir(options, o),
        work_order_sha256: o.sha256,
        inputs: o.order.inputs,
        heal_retries: retries.get(o.order.job_id) ?? 0,
        rearm: rearmCommand(o.product.id, o.order.intent),
      }
      requests.push({ id: o.order.job_id, intent: o.order.intent, input, labels: { product: o.product.id } })
    }
    const byId = new Map(toRun.map((o) => [o.order.job_id, o]))
    const productOf = new Map(requests.map((r) => [r.id, r.labels?.product as string]))
    /** Products with a job running now. */
    const running = new Set<string>()
    // last_run.json follows each job as it ends, so a kill mid-run loses nothing already done.
    let writes = Promise.resolve()
    const result = await kernel.runIntents({
      jobs: requests,
      runId,
      runDir: false,
      signal: request.signal,
      budget: {
        maxParallel: 1,
        maxJobs: requests.length,
        maxRunTimeMs: request.maxTimeMs ?? options.budget.maxRunTimeMs,
        // Each order's own budget is enforced in its job; this is the backstop.
        maxJobTimeMs: Math.max(...toRun.map((o) => o.order.budget.max_time_ms), 1000) + 30_000,
        // Only auto-heal retries (the job throws TransientError for them), after a fixed delay.
        retries: { perJob: Math.max(0, ...retries.values()), max: 1000, baseDelayMs: heal?.delayMs ?? 0, maxDelayMs: heal?.delayMs ?? 0, factor: 1, jitter: false },
      },
      stopConditions: [
        killSwitchCondition(rootDir, options, touched, atStart, running),
        failedWith('health_check_failed', (r) => `health check failed: ${r.reason ?? r.id}`, (r) => r.intent === HEALTH_INTENT),
        failedWith('test_failed', (r) => `test failed: ${r.id} (${r.reason ?? 'no reason'})`, (r) => r.failureKind === 'failed_test'),
      ],
      onEvent: (event) => {
        if (event.type === 'job_started' && event.job) {
          running.add(productOf.get(event.job) as string)
          request.onProgress?.(`running ${event.job}`)
        }
        if (event.type === 'job_finished' && event.job) running.delete(productOf.get(event.job) as string)
        if (event.type !== 'job_finished' || !event.result || !byId.has(event.result.id)) return
        const o = byId.get(event.result.id) as LoadedOrder
        const evidence = readEvidence(rootDir, `${evidenceDir(options, o)}/evidence.json`)
        if (evidence) writes = writes.then(() => recordEvidence(rootDir, dash(options), evidence))
      },
    })
    await writes
    const results = new Map(result.jobs.map((r) => [r.id, r]))
    if (heal) {
      // Healing stops (and says so in dash/heal/<product>.json) when a job used all its retries.
      for (const o of toRun) {
        const r = results.get(o.order.job_id)
        if (!r || r.status === 'skipped' || !heal.intents.includes(o.order.intent)) continue
        const ok = r.status === 'ok'
        const used = retries.get(o.order.job_id) ?? 0
        if (!ok && (used === 0 || r.failureKind === 'timeout')) continue
        const prev = readHealState(rootDir, heal, o.product.id)
        const at = new Date(kernel.clock.now()).toISOString()
        await writeHealState(rootDir, heal, nextHealState(prev, o.product.id, o.order.intent, { ok, attempts: r.attempts, retries: used, jobId: o.order.job_id, at, reason: ok ? null : (r.reason ?? null) }))
      }
    }
    for (const o of toRun) {
      const r = results.get(o.order.job_id)
      const rel = `${evidenceDir(options, o)}/evidence.json`
      let evidence = readEvidence(rootDir, rel)
      if (!r || r.status === 'skipped') {
        jobs.push(report(o, 'skipped', { reason: result.stopReason?.message ?? 'not started' }))
        continue
      }
      if (!evidence) {
        // The job was stopped (or crashed) before it could write its evidence: write it here.
        const finished = kernel.clock.now()
        evidence = {
          schema_version: 1,
          run_id: o.order.job_id,
          job_id: o.order.job_id,
          product_id: o.product.id,
          intent: o.order.intent,
          work_order_sha256: o.sha256,
          command: { argv: o.argv, cwd: o.product.root },
          exit_code: null,
          signal: null,
          exit_status: statusWithoutEvidence(r, result),
          reason: r.reason ?? result.stopReason?.message ?? null,
          attempt: Math.max(r.attempts, 1),
          started_at: new Date(finished - r.durationMs).toISOString(),
          finished_at: new Date(finished).toISOString(),
          duration_ms: r.durationMs,
          stdout: 'stdout.log',
          stderr: 'stderr.log',
          log_tail: [],
        }
        await writeJsonAtomic(join(rootDir, rel), evidence)
        await recordEvidence(rootDir, dash(options), evidence)
      }
      jobs.push(report(o, r.status === 'ok' ? 'ok' : r.status === 'stopped' ? 'stopped' : 'failed', { exit_status: evidence.exit_status, duration_ms: evidence.duration_ms, evidence: rel, reason: evidence.reason }))
    }
    const healthResults = [...healthFirst.keys()].map((product) => {
      const r = results.get(`${product}.health`)
      const status: 'healthy' | 'unhealthy' | 'skipped' = !r || r.status === 'skipped' ? 'skipped' : r.status === 'ok' ? 'healthy' : 'unhealthy'
      return { product_id: product, status, file: healthFile(options, product) }
    })
    // The budget cut (--max-jobs) was made here, not by the kernel: it is this run's stop reason
    // unless a stop condition came first.
    const stop = result.stopReason ? { kind: result.stopReason.kind, message: result.stopReason.message } : sel.budgetStop
    return { status: stop ? 'stopped' : result.status, stop_reason: stop, jobs: [...jobs, ...skippedForBudget], health_checks: healthResults, exit_code: stop ? 4 : runExitCode(result) }
  } finally {
    lock.release()
  }
}
