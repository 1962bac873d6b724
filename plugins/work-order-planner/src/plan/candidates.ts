// From facts to candidate jobs. Every (product, safe intent with a command) is a candidate; what
// the artifacts say raises its priority, and each raise is a reason naming the file it came from.
// A kill-switched product gets nothing, an unhealthy one only `validate`.

import { sha256, stableLine } from '@oraclekit/kernel'
import type { ProductConfig } from '../options.js'
import { BUILTIN_INTENTS, type ExitStatus, type WorkOrder } from '../schema/artifacts.js'
import type { DashFacts, Dossier, PendingRequirement, PmFacts, RoadmapEntry, RoadmapLane, SourceRef } from '../types.js'
import { commandArgv } from './command.js'

/** Points, by signal: the planner's whole policy in one table (docs/plugins/planner.md shows it). */
export const POINTS = {
  base: { validate: 10, test: 8, drift_check: 6, regenerate_report: 4, gc_runs: 2 } as Record<string, number>,
  neverRan: { validate: 30, test: 25, drift_check: 20, regenerate_report: 20, gc_runs: 0 } as Record<string, number>,
  lastFailed: 50,
  unhealthyValidate: 40,
  pendingRequirement: 4,
  pendingProof: 4,
  failingProof: 10,
  /** Cap of each of the three PM raises above. */
  pmCap: 20,
  reportStale: 15,
  reportBehind: 10,
  roadmap: { now: 20, next: 10, later: 0 } as Record<RoadmapLane, number>,
} as const

/** Dossier statuses whose pending proofs are work to do now. */
const ACTIVE_DOSSIER = new Set(['approved', 'in_progress', 'in-progress', 'active', 'accepted'])
// A job that did not finish (stopped by a switch, a budget or a failed health check) counts too.
const FAILED: ReadonlySet<ExitStatus> = new Set(['failed_validate', 'failed_test', 'failed_report', 'failed', 'timeout', 'retry_exhausted', 'error', 'stopped', 'stopped_kill_switch', 'stopped_health'])

/**
 * A candidate job. Its work order (with the job id, a hash of the whole order) is built on first
 * use: of ten thousand candidates a plan keeps a handful, and only those pay for it.
 */
export interface Candidate {
  product_id: string
  intent: string
  priority: number
  /** The product's cap on work orders in one plan. */
  cap: number
  readonly order: WorkOrder
}

export interface Held {
  product_id: string
  /** Intents the product would have had a work order for. */
  intents: string[]
  reason: string
  source: SourceRef
}

export interface CandidateSet {
  candidates: Candidate[]
  held: Held[]
}

interface Raise {
  points: number
  /** Built only for the orders a plan keeps: most candidates never need their words. */
  reason: () => string
  source: SourceRef
}

export interface PlanContext {
  products: readonly ProductConfig[]
  dash: DashFacts
  pm: PmFacts
  /** The plan's clock, in ms since the epoch (report staleness is measured from it). */
  now: number
  reportMaxAgeHours: number
  perProduct: number
  jobTimeMs: number
  dashDir: string
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** What the PM artifacts say about one product, gathered once per plan. */
interface ProductPm {
  pending: PendingRequirement[]
  /** Dossiers whose pending proofs are work to do now. */
  active: Dossier[]
  roadmap: RoadmapEntry | undefined
}

function groupPm(pm: PmFacts): Map<string, ProductPm> {
  const by = new Map<string, ProductPm>()
  const of = (id: string): ProductPm => {
    let entry = by.get(id)
    if (!entry) by.set(id, (entry = { pending: [], active: [], roadmap: undefined }))
    return entry
  }
  for (const row of pm.pending) of(row.product_id).pending.push(row)
  for (const dossier of pm.dossiers) if (ACTIVE_DOSSIER.has(dossier.status)) of(dossier.product_id).active.push(dossier)
  for (const entry of pm.roadmap) of(entry.product_id).roadmap = entry
  return by
}

const NO_PM: ProductPm = { pending: [], active: [], roadmap: undefined }

/** The raises of one (product, intent). */
function raisesFor(product: ProductConfig, intent: string, ctx: PlanContext, pm: ProductPm): Raise[] {
  const roadmapLane = pm.roadmap
  const raises: Raise[] = []
  const last = ctx.dash.lastRuns.get(product.id)
  const lastSource = last?.source ?? `${ctx.dashDir}/runs/${product.id}/last_run.json`
  const mine = last?.intents[intent]
  if (!mine) raises.push({ points: POINTS.neverRan[intent] ?? 0, reason: () => `no ${intent} run on record`, source: lastSource })
  else if (FAILED.has(mine.exit_status)) raises.push({ points: POINTS.lastFailed, reason: () => `last ${intent} ended ${mine.exit_status} (${mine.finished_at})`, source: lastSource })
  const health = ctx.dash.health.get(product.id)
  if (intent === 'validate' && health?.status === 'unhealthy') {
    raises.push({ points: POINTS.unhealthyValidate, reason: () => `unhealthy${health.detail ? `: ${health.detail}` : ''}`, source: health.source })
  }
  if (intent === 'test') {
    const pending = pm.pending
    if (pending.length > 0) {
      raises.push({ points: Math.min(POINTS.pmCap, pending.length * POINTS.pendingRequirement), reason: () => `${plural(pending.length, 'pending requirement')} (${pending.map((r) => r.requirement).join(', ')})`, source: pending[0]!.source })
    }
    const active = pm.active
    const pendingProofs = active.flatMap((d) => d.acceptance_proofs.filter((p) => p.status === 'pending').map(() => d))
    if (pendingProofs.length > 0) {
      raises.push({ points: Math.min(POINTS.pmCap, pendingProofs.length * POINTS.pendingProof), reason: () => `${plural(pendingProofs.length, 'pending acceptance proof')} in ${[...new Set(pendingProofs.map((d) => d.dossier_id))].join(', ')}`, source: pendingProofs[0]!.source })
    }
    const failing = active.flatMap((d) => d.acceptance_proofs.filter((p) => p.status === 'fail').map(() => d))
    if (failing.length > 0) {
      raises.push({ points: Math.min(POINTS.pmCap, failing.length * POINTS.failingProof), reason: () => `${plural(failing.length, 'failing acceptance proof')} in ${[...new Set(failing.map((d) => d.dossier_id))].join(', ')}`, source: failing[0]!.source })
    }
  }
  if (intent === 'regenerate_report' && mine) {
    const reportAt = Date.parse(mine.finished_at)
    // The reason names the report's time, not its age: the job id must not change by the hour.
    if ((ctx.now - reportAt) / 3_600_000 > ctx.reportMaxAgeHours) raises.push({ points: POINTS.reportStale, reason: () => `report older than ${ctx.reportMaxAgeHours} h (last ${mine.finished_at})`, source: lastSource })
    const newer = Object.entries(last?.intents ?? {}).filter(([name, run]) => name !== intent && Date.parse(run.finished_at) > reportAt)
    if (newer.length > 0) raises.push({ points: POINTS.reportBehind, reason: () => `${newer.map(([name]) => name).sort().join(', ')} ran since the last report`, source: lastSource })
  }
  if (roadmapLane && POINTS.roadmap[roadmapLane.lane] > 0) raises.push({ points: POINTS.roadmap[roadmapLane.lane], reason: () => `on the roadmap: ${roadmapLane.lane}`, source: roadmapLane.source })
  return raises
}

function stopConditions(product: ProductConfig, intent: string): WorkOrder['stop_conditions'] {
  const out: WorkOrder['stop_conditions'] = ['kill_switch']
  if (product.health && intent !== 'validate') out.push('health_check_failed')
  out.push('test_failed', 'budget_exhausted', 'run_timeout')
  return out
}

/** The job id: product, intent and a hash of everything the order says, so same facts → same id. */
export function jobId(order: Omit<WorkOrder, 'job_id' | 'evidence_expectations'>): string {
  return `${order.product_id}.${order.intent}.${sha256(stableLine(order)).slice(0, 8)}`
}

export function evidenceFiles(dashDir: string, productId: string, runId: string): string[] {
  const dir = `${dashDir}/runs/${productId}/${runId}`
  return [`${dir}/evidence.json`, `${dir}/stdout.log`, `${dir}/stderr.log`, `${dashDir}/runs/${productId}/last_run.json`]
}

function buildOrder(product: ProductConfig, intent: string, priority: number, raises: readonly Raise[], ctx: PlanContext, due?: DueJob): WorkOrder {
  const command = product.commands[intent as keyof ProductConfig['commands']]
  // most important reason first; ties in the order the rules are written
  const ranked = raises.map((r, k) => ({ ...r, k })).sort((a, b) => b.points - a.points || a.k - b.k)
  const body: Omit<WorkOrder, 'job_id' | 'evidence_expectations'> = {
    schema_version: 1,
    product_id: product.id,
    intent,
    inputs: {
      ...(due?.inputs ?? {}),
      ...(command ? { command: commandArgv(command) } : {}),
      cwd: product.root,
      ...(due?.occurrence ? { scheduled: due.occurrence } : {}),
      // part of the job id: once this intent has run again, the next plan's order is a new job
      previous_run: ctx.dash.lastRuns.get(product.id)?.intents[intent]?.run_id ?? null,
      reasons: ranked.length > 0 ? ranked.map((r) => r.reason()) : [`routine ${intent}`],
      sources: [...new Set(ranked.map((r) => r.source))],
    },
    budget: { max_time_ms: ctx.jobTimeMs, max_attempts: 1 },
    stop_conditions: stopConditions(product, intent),
    priority,
  }
  const id = jobId(body)
  return { ...body, job_id: id, evidence_expectations: evidenceFiles(ctx.dashDir, product.id, id) }
}

/** A job a source (fleet-ops' schedules) says is due now; the planner ranks and caps it. */
export interface DueJob {
  product_id: string
  intent: string
  /** Why it is due, e.g. "scheduled weekly on monday at 07:00 UTC, due since …". */
  reason: string
  source: SourceRef
  /** The instant it was due from: part of the job id, so each occurrence is its own job. */
  occurrence?: string
  /** Inputs the intent needs (keep N, drift probes …), merged into the order's inputs. */
  inputs?: Record<string, unknown>
}

/** Points a due job gets on top of the planner's own signals. */
export const SCHEDULED_POINTS = 15

/**
 * The candidates: every (product, intent it has a command for), or with `due` (plan
 * --from-schedules) exactly the due jobs, which may name intents other plugins run. The held
 * rules hold for both: a kill switch gives none, an unhealthy product only validate.
 */
export function candidatesFor(ctx: PlanContext, due?: readonly DueJob[], safe: Readonly<Record<string, number>> = {}): CandidateSet {
  const candidates: Candidate[] = []
  const held: Held[] = []
  const pmBy = groupPm(ctx.pm)
  const dueBy = new Map<string, DueJob[]>()
  for (const job of due ?? []) dueBy.set(job.product_id, [...(dueBy.get(job.product_id) ?? []), job])
  for (const product of ctx.products) {
    const pm = pmBy.get(product.id) ?? NO_PM
    const mine = dueBy.get(product.id) ?? []
    if (due && mine.length === 0) continue
    // a due built-in intent needs a command; another plugin's intent must be a safe one
    const runnable = (intent: string) => ((BUILTIN_INTENTS as readonly string[]).includes(intent) ? product.commands[intent as (typeof BUILTIN_INTENTS)[number]] !== undefined : intent in safe)
    const unrunnable = due ? mine.filter((job) => !runnable(job.intent)) : []
    if (unrunnable.length > 0) {
      held.push({ product_id: product.id, intents: unrunnable.map((j) => j.intent), reason: 'due, but the product has no command for it, or it is not a safe intent', source: unrunnable[0]!.source })
    }
    const intents: string[] = due ? mine.filter((job) => runnable(job.intent)).map((job) => job.intent) : BUILTIN_INTENTS.filter((intent) => product.commands[intent] !== undefined)
    const kill = ctx.dash.killSwitches.get(product.id)
    if (kill?.enabled) {
      held.push({ product_id: product.id, intents: [...intents], reason: `kill switch on${kill.reason ? `: ${kill.reason}` : ''}`, source: kill.source })
      continue
    }
    const health = ctx.dash.health.get(product.id)
    const unhealthy = health?.status === 'unhealthy'
    if (unhealthy && intents.some((i) => i !== 'validate')) {
      held.push({ product_id: product.id, intents: intents.filter((i) => i !== 'validate'), reason: `unhealthy${health.detail ? `: ${health.detail}` : ''}; only validate runs`, source: health.source })
    }
    const cap = product.caps.maxWorkOrders ?? ctx.perProduct
    for (const intent of unhealthy ? intents.filter((i) => i === 'validate') : intents) {
      const job = mine.find((j) => j.intent === intent)
      const raises = raisesFor(product, intent, ctx, pm)
      if (job) raises.unshift({ points: SCHEDULED_POINTS, reason: () => job.reason, source: job.source })
      const priority = (POINTS.base[intent] ?? 0) + product.priority + raises.reduce((sum, r) => sum + r.points, 0)
      let order: WorkOrder | undefined
      candidates.push({
        product_id: product.id,
        intent,
        priority,
        cap,
        get order() {
          order ??= buildOrder(product, intent, priority, raises, ctx, job)
          return order
        },
      })
    }
  }
  return { candidates, held }
}
