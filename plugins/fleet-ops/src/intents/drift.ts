// The drift_check intent, run in a worker thread: probe the product read-only, then write the
// report into the job's evidence folder and the latest copy into dash/drift/ (never inside the
// product root). evidence.json is written last: it is the mark that the job was done.

import { join } from 'node:path'
import { JobFailure, defineIntent, writeFileAtomic, writeJsonAtomic } from '@oraclekit/kernel/intent'
import type { DriftProbe } from '../options.js'
import { checkDrift, driftExitCode, resolveWithin } from '../drift/probe.js'
import { driftReason, renderDriftJson, renderDriftMarkdown } from '../drift/report.js'
import { LOG_TAIL_LINES, type PlannerEvidence, type PlannerJobInput } from './contract.js'

export type DriftJobInput = PlannerJobInput<{ probes: DriftProbe[]; ignore?: string[]; report_dir?: string }>
export type DriftEvidence = PlannerEvidence

export const DEFAULT_REPORT_DIR = 'dash/drift'
const PRODUCT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/

export default defineIntent<DriftJobInput, DriftEvidence>(async (input, ctx) => {
  const reportDir = input.inputs.report_dir ?? DEFAULT_REPORT_DIR
  const evidenceDir = resolveWithin(ctx.rootDir, input.evidence_dir)
  const latestDir = resolveWithin(ctx.rootDir, reportDir)
  if (evidenceDir === undefined) throw new JobFailure('error', `evidence_dir ${input.evidence_dir} is outside the workspace`)
  if (latestDir === undefined) throw new JobFailure('error', `report_dir ${reportDir} is outside the workspace`)
  // The id names a file in report_dir: the planner's product id pattern keeps it a plain name.
  if (!PRODUCT_ID.test(input.product_id)) throw new JobFailure('error', `product id ${JSON.stringify(input.product_id)} is not a plain name`)
  const startedAt = ctx.now()
  const started = performance.now()
  const report = await checkDrift({
    rootDir: ctx.rootDir,
    productRoot: input.cwd,
    spec: { probes: input.inputs.probes ?? [], ignore: input.inputs.ignore ?? [] },
    exec: (file, args, { cwd }) => ctx.exec(file, args, { cwd, env: input.env, timeoutMs: input.timeout_ms }),
    // ctx.exec adds the job's env to the worker's own: the env probes see the same.
    env: { ...process.env, ...input.env },
  })
  const finishedAt = Math.max(ctx.now(), startedAt)
  const checkedAt = new Date(startedAt).toISOString()
  const exitCode = driftExitCode(report)
  const reason = driftReason(report)
  const json = renderDriftJson(input.product_id, report, checkedAt)
  // Probe output is redacted in the items already; env items never hold a value.
  const markdown = renderDriftMarkdown(input.product_id, report, checkedAt)
  const files: Array<[string, string, string]> = [
    [join(evidenceDir, 'drift.json'), `${input.evidence_dir}/drift.json`, json],
    [join(evidenceDir, 'drift.md'), `${input.evidence_dir}/drift.md`, markdown],
    [join(latestDir, `${input.product_id}.json`), `${reportDir}/${input.product_id}.json`, json],
    [join(latestDir, `${input.product_id}.md`), `${reportDir}/${input.product_id}.md`, markdown],
    [join(evidenceDir, 'stdout.log'), `${input.evidence_dir}/stdout.log`, markdown],
    [join(evidenceDir, 'stderr.log'), `${input.evidence_dir}/stderr.log`, ''],
  ]
  for (const [path, rel, text] of files) {
    await writeFileAtomic(path, text)
    ctx.evidence(rel)
  }
  const evidence: DriftEvidence = {
    schema_version: 1,
    run_id: input.job_id,
    job_id: input.job_id,
    product_id: input.product_id,
    intent: input.intent,
    work_order_sha256: input.work_order_sha256,
    command: { argv: ['drift_check'], cwd: input.cwd },
    exit_code: exitCode,
    signal: null,
    exit_status: exitCode === 0 ? 'ok' : 'failed',
    reason,
    attempt: ctx.job.attempt,
    started_at: new Date(startedAt).toISOString(),
    finished_at: new Date(finishedAt).toISOString(),
    duration_ms: Math.round(performance.now() - started),
    stdout: 'stdout.log',
    stderr: 'stderr.log',
    log_tail: markdown.split('\n').filter((line) => line.trim() !== '').slice(-LOG_TAIL_LINES),
  }
  await writeJsonAtomic(join(evidenceDir, 'evidence.json'), evidence)
  ctx.evidence(`${input.evidence_dir}/evidence.json`)
  // Drift (2) and error (1) both fail the job as `failed`, after every file is written.
  if (reason !== null) throw new JobFailure('failed', reason)
  return evidence
})
