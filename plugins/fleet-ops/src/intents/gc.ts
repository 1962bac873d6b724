// The gc_runs intent: applies the retention rules to one product's runs folder in a worker, and
// leaves the planner's evidence for it. Its own evidence folder lies in that same runs folder and
// has no evidence.json while it runs, so it reads as in progress and is kept; it is also passed
// as running, for a retry that finds the failed evidence of an earlier attempt.

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { JobFailure, defineIntent, redactSecrets, writeJsonAtomic } from '@oraclekit/kernel/intent'
import { type GcOutcome, type GcPlan, applyGc, planGc } from '../gc/collect.js'
import { LOG_TAIL_LINES, type PlannerEvidence, type PlannerJobInput } from './contract.js'

export const GC_DEFAULT_KEEP = 10
export const GC_DEFAULT_RUNS_DIR = 'dash/runs'

export type GcJobInput = PlannerJobInput<{ keep?: number; runs_dir?: string }>
export type GcEvidence = PlannerEvidence


/** What stdout.log says: the counts and the runs deleted, then each run kept past the window, and why. */
export function summarize(plan: GcPlan, outcome: GcOutcome): string[] {
  const kept = plan.decisions.filter((d) => d.action === 'keep')
  const gone = new Set(outcome.deleted.map((path) => path.slice(path.lastIndexOf('/') + 1)))
  const deleted = plan.decisions.filter((d) => d.action === 'delete' && gone.has(d.run_id)).map((d) => d.run_id)
  const protectedRuns = kept.filter((d) => d.reason !== 'newest').map((d) => `kept ${d.run_id} (${d.reason})`)
  return [`kept ${kept.length}, deleted ${deleted.length}${deleted.length > 0 ? `: ${deleted.join(', ')}` : ''}`, ...protectedRuns]
}

export default defineIntent<GcJobInput, GcEvidence>(async (input, ctx) => {
  const dir = join(ctx.rootDir, input.evidence_dir)
  await mkdir(dir, { recursive: true })
  const startedAt = ctx.now()
  const started = performance.now()
  const keep = input.inputs?.keep ?? GC_DEFAULT_KEEP
  const runsDir = input.inputs?.runs_dir ?? GC_DEFAULT_RUNS_DIR
  let lines: string[]
  let stderr = ''
  let reason: string | null = null
  try {
    if (!Number.isInteger(keep) || keep < 1) throw new Error(`inputs.keep must be a whole number ≥ 1 (got ${keep})`)
    // The job's own folder, when it is one of this product's runs: never a candidate.
    const running = input.evidence_dir.split('/').filter(Boolean).at(-1) ?? input.job_id
    const plan = await planGc({ rootDir: ctx.rootDir, runsDir, productId: input.product_id, keep, running: [running, input.job_id] })
    const outcome = await applyGc(plan, { rootDir: ctx.rootDir })
    await writeJsonAtomic(join(dir, 'gc.json'), { schema_version: 1, product_id: plan.product_id, runs_dir: plan.runs_dir, keep, decisions: plan.decisions, deleted: outcome.deleted, symlinks: plan.symlinks })
    ctx.evidence(`${input.evidence_dir}/gc.json`)
    lines = summarize(plan, outcome)
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error)
    lines = []
    stderr = `gc_runs failed: ${reason}\n`
  }
  const stdout = redactSecrets(lines.map((line) => `${line}\n`).join(''))
  await Promise.all([writeFile(join(dir, 'stdout.log'), stdout), writeFile(join(dir, 'stderr.log'), redactSecrets(stderr))])
  const evidence: GcEvidence = {
    schema_version: 1,
    run_id: input.job_id,
    job_id: input.job_id,
    product_id: input.product_id,
    intent: input.intent,
    work_order_sha256: input.work_order_sha256,
    command: { argv: ['gc_runs'], cwd: runsDir },
    exit_code: reason === null ? 0 : 1,
    signal: null,
    exit_status: reason === null ? 'ok' : 'failed',
    reason,
    attempt: ctx.job.attempt,
    started_at: new Date(startedAt).toISOString(),
    finished_at: new Date(Math.max(ctx.now(), startedAt)).toISOString(),
    duration_ms: Math.round(performance.now() - started),
    stdout: 'stdout.log',
    stderr: 'stderr.log',
    log_tail: [...stdout.split('\n'), ...stderr.split('\n')].filter((line) => line !== '').slice(-LOG_TAIL_LINES),
  }
  // Written last: the mark that the job is done, and what turns its folder into a finished run.
  await writeJsonAtomic(join(dir, 'evidence.json'), evidence)
  ctx.evidence(`${input.evidence_dir}/evidence.json`)
  if (reason !== null) throw new JobFailure('failed', reason)
  return evidence
})
