// Inputs of the Science Lane tests, built by hand: dossiers as the planner reads them (one
// modelled on seed 5's fleet-ops dossier), products' last runs and heal states as Dash holds them.

import { compareCodeUnits, stableStringify } from '@oraclekit/kernel'
import type { AcceptanceProofLike, DossierLike, HealStateLike, LastRunLike } from '../schema.js'

export const FLEET_OPS = 'codemonkeys-fleet-ops'
export const CLI = 'codemonkeys-cli'
/** Declared, but it never ran. */
export const DASH = 'codemonkeys-dash'
export const PRODUCTS = [FLEET_OPS, CLI, DASH]

export type Runs = Record<string, { run_id: string; exit_status: string; finished_at: string }>

export const runId = (product: string, intent: string, hash: string) => `${product}.${intent}.${hash}`

/** A last_run.json as the planner writes it: the latest job is the last one to finish. */
export function lastRun(productId: string, intents: Runs): LastRunLike & { schema_version: 1; job_id: string; exit_code: number | null; started_at: string; duration_ms: number } {
  const [intent, latest] = Object.entries(intents).sort(([, a], [, b]) => compareCodeUnits(b.finished_at, a.finished_at))[0]!
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
    duration_ms: 1200,
    evidence: `dash/runs/${productId}/${latest.run_id}/evidence.json`,
    intents,
  }
}

export const FLEET_OPS_RUNS: Runs = {
  validate: { run_id: runId(FLEET_OPS, 'validate', '1a2b3c4d'), exit_status: 'ok', finished_at: '2026-03-10T08:00:00.000Z' },
  gc_runs: { run_id: runId(FLEET_OPS, 'gc_runs', '5e6f7a8b'), exit_status: 'failed', finished_at: '2026-03-10T09:00:00.000Z' },
  drift_check: { run_id: runId(FLEET_OPS, 'drift_check', '9c0d1e2f'), exit_status: 'ok', finished_at: '2026-03-10T10:00:00.000Z' },
}

export const CLI_RUNS: Runs = {
  validate: { run_id: runId(CLI, 'validate', 'aa11bb22'), exit_status: 'ok', finished_at: '2026-03-09T08:00:00.000Z' },
  test: { run_id: runId(CLI, 'test', 'cc33dd44'), exit_status: 'failed_test', finished_at: '2026-03-09T09:30:00.000Z' },
}

/** The heal state of the CLI: test retried once and stopped; validate armed. */
export const CLI_HEAL: HealStateLike = {
  schema_version: 1,
  product_id: CLI,
  intents: {
    test: { state: 'stopped', attempts: 1, stopped_at: '2026-03-09T09:31:00.000Z', job_id: runId(CLI, 'test', 'cc33dd44'), reason: 'retry_exhausted: npm test exited 1' },
    validate: { state: 'armed', attempts: 0, stopped_at: null, job_id: null, reason: null },
  },
}

const proof = (text: string, status: AcceptanceProofLike['status'], evidence: string[] = []): AcceptanceProofLike => ({ text, status, evidence })

/** Seed 5's dossier, its proofs given statuses and evidence: proof 3 links to a failed gc_runs run. */
export const SEED5: DossierLike = {
  dossier_id: 'DOS-20251222-fleet-ops-schedules-and-science-lane',
  product_id: FLEET_OPS,
  status: 'approved',
  title: 'Design Dossier: Fleet Ops + Dash Science Lane (Sprint 7)',
  owner: 'nexus',
  created_at: '2025-12-22',
  hypothesis: {
    problem: 'The factory lacks scheduled operations, retention policies, drift detection, and Science Lane visibility in Dash.',
    claim: 'Adding schedules, GC, drift checks, auto-heal, and Dash Science Lane enables repeatable fleet-wide operations.',
    falsification: 'If scheduled work orders cannot be generated or executed, or if Dash cannot display Science Lane status.',
  },
  acceptance_proofs: [
    proof('Proof 1: schedule schema validates example schedules', 'pass', ['tests/dash/test_schedule_schema.py']),
    proof('Proof 2: oracle plan --from-schedules --budget 5 produces bounded work orders', 'pending'),
    proof('Proof 3: gc_runs deletes old runs, respects keep=N', 'pending', [`dash/runs/${FLEET_OPS}/${runId(FLEET_OPS, 'gc_runs', '5e6f7a8b')}/evidence.json`]),
    proof('Proof 4: drift_check produces report artifact', 'pending'),
    proof('Proof 5: Dash shows Science Lane with status', 'pending'),
  ],
  evidence_links: [],
  source: 'docs/pm/dossiers/DOS-20251222-fleet-ops-schedules-and-science-lane.md:1',
}

/** A CLI dossier: one proof backed by its validate run, one naming the (failed) test intent. */
export const CLI_GATE: DossierLike = {
  dossier_id: 'DOS-20251201-cli-release-gate',
  product_id: CLI,
  status: 'in_progress',
  title: 'CLI release gate',
  owner: 'cli-team',
  created_at: '2025-12-01',
  hypothesis: { problem: 'Releases ship without a gate.', claim: 'A validate and test gate stops broken releases.', falsification: null },
  acceptance_proofs: [
    proof('validate passes on main', 'pass', [`./dash/runs/${CLI}/${runId(CLI, 'validate', 'aa11bb22')}/evidence.json`]),
    proof('The unit test suite is green', 'pending', ['docs/pm/specs/cli-gate.md']),
  ],
  evidence_links: ['docs/pm/specs/cli-gate.md'],
  source: 'docs/pm/dossiers/DOS-20251201-cli-release-gate.md:1',
}

export const DOSSIERS = [SEED5, CLI_GATE]

/** The Dash files of the fixture fleet, by workspace-relative path. */
export function dashFiles(): Record<string, string> {
  return {
    [`dash/runs/${FLEET_OPS}/last_run.json`]: stableStringify(lastRun(FLEET_OPS, FLEET_OPS_RUNS)),
    [`dash/runs/${CLI}/last_run.json`]: stableStringify(lastRun(CLI, CLI_RUNS)),
    [`dash/heal/${CLI}.json`]: stableStringify(CLI_HEAL),
  }
}
