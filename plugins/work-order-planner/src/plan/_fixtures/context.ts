// Planning contexts built by hand for the candidate tests: products, Dash and PM facts, and a
// pinned clock.

import type { ProductConfig } from '../../options.js'
import type { ExitStatus, Health, KillSwitch, LastRun, WorkOrder } from '../../schema/artifacts.js'
import type { Dossier, PendingRequirement, ProofStatus, RoadmapLane } from '../../types.js'
import { type Candidate, type PlanContext, candidatesFor } from '../candidates.js'

export const NOW = Date.parse('2026-03-10T12:00:00.000Z')
export const HOUR = 3_600_000
export const ago = (hours: number) => new Date(NOW - hours * HOUR).toISOString()
/** The stale-report reason names the report's time (not its age, which changes by the hour). */
export const stale = (hours: number, max: number) => `report older than ${max} h (last ${ago(hours)})`

export type Runs = Record<string, { exit_status: ExitStatus; finished_at: string }>

/** Every intent ran ok, the report last: no raise at all. */
export const RECENT: Runs = {
  validate: { exit_status: 'ok', finished_at: ago(3) },
  test: { exit_status: 'ok', finished_at: ago(2) },
  regenerate_report: { exit_status: 'ok', finished_at: ago(1) },
}

export interface Facts {
  kill?: Record<string, KillSwitch>
  health?: Record<string, Health>
  runs?: Record<string, Runs>
  pending?: PendingRequirement[]
  dossiers?: Dossier[]
  roadmap?: Partial<Record<string, RoadmapLane>>
}

export function product(id: string, overrides: Partial<ProductConfig> = {}): ProductConfig {
  return {
    id,
    root: `products/${id}`,
    commands: { validate: 'node scripts/validate.mjs', test: ['node', '--test', 'test/'], regenerate_report: 'node scripts/report.mjs --out report' },
    caps: {},
    priority: 0,
    env: { CI: '1' },
    ...overrides,
  }
}

export function lastRun(productId: string, runs: Runs, dashDir: string): LastRun & { source: string } {
  const intents = Object.fromEntries(Object.entries(runs).map(([intent, run]) => [intent, { run_id: `${productId}.${intent}.0000abcd`, ...run }]))
  const [intent, latest] = Object.entries(intents).sort(([, a], [, b]) => Date.parse(b.finished_at) - Date.parse(a.finished_at))[0]!
  return {
    schema_version: 1,
    product_id: productId,
    run_id: latest.run_id,
    job_id: latest.run_id,
    intent,
    exit_status: latest.exit_status,
    exit_code: latest.exit_status === 'ok' ? 0 : 1,
    started_at: latest.finished_at,
    finished_at: latest.finished_at,
    duration_ms: 0,
    evidence: `${dashDir}/runs/${productId}/${latest.run_id}/evidence.json`,
    intents,
    source: `${dashDir}/runs/${productId}/last_run.json`,
  }
}

export function context(products: ProductConfig[], facts: Facts = {}, extra: Partial<PlanContext> = {}): PlanContext {
  const dashDir = extra.dashDir ?? 'dash'
  return {
    products,
    dash: {
      killSwitches: new Map(Object.entries(facts.kill ?? {}).map(([id, value]) => [id, { ...value, source: `${dashDir}/kill_switch/${id}.json` }])),
      health: new Map(Object.entries(facts.health ?? {}).map(([id, value]) => [id, { ...value, source: `${dashDir}/health/${id}.json` }])),
      lastRuns: new Map(Object.entries(facts.runs ?? {}).map(([id, runs]) => [id, lastRun(id, runs, dashDir)])),
    },
    pm: {
      dossiers: facts.dossiers ?? [],
      pending: facts.pending ?? [],
      roadmap: Object.entries(facts.roadmap ?? {}).map(([id, lane], i) => ({ product_id: id, lane: lane as RoadmapLane, text: `- ${id}`, source: `docs/pm/ROADMAP.md:${i + 7}` })),
    },
    now: NOW,
    reportMaxAgeHours: 24,
    perProduct: 2,
    jobTimeMs: 600_000,
    dashDir,
    ...extra,
  }
}

export function pending(count: number, productId = 'alpha', source = 'docs/pm/specs/alpha.md'): PendingRequirement[] {
  return Array.from({ length: count }, (_, i) => ({
    product_id: productId,
    requirement: `FR-00${i + 1}`,
    component: `src/f${i + 1}.ts`,
    test: `test/f${i + 1}.test.ts`,
    dossier_id: null,
    source: `${source}:${12 + i}`,
  }))
}

export function dossier(id: string, status: string, proofs: ProofStatus[], productId = 'alpha'): Dossier {
  return {
    dossier_id: id,
    product_id: productId,
    status,
    title: `Dossier ${id}`,
    owner: 'nexus',
    created_at: '2026-01-01',
    hypothesis: { problem: null, claim: null, falsification: null },
    acceptance_proofs: proofs.map((s, i) => ({ text: `proof ${i + 1}`, status: s, evidence: [] })),
    evidence_links: [],
    source: `docs/pm/dossiers/${id}.md:1`,
  }
}

export function only(ctx: PlanContext, productId: string, intent: string): WorkOrder {
  const found = candidatesFor(ctx).candidates.filter((c) => c.order.product_id === productId && c.order.intent === intent)
  if (found.length !== 1) throw new Error(`expected one ${productId}.${intent} candidate, got ${found.length}`)
  return found[0]!.order
}

export const intentsOf = (candidates: readonly Candidate[]) => candidates.map((c) => `${c.order.product_id}.${c.order.intent}`)
