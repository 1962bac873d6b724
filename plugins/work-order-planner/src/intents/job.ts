// One work order's command, run in a worker thread: argv without a shell, in the product's root,
// under the order's time budget. Its stdout, stderr and evidence.json go to the job's evidence
// folder; evidence.json is written last, atomically: it is the mark that the job was done.

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { JobFailure, TransientError, defineIntent, redactSecrets, writeJsonAtomic } from '@oraclekit/kernel/intent'
import type { Evidence, ExitStatus } from '../schema/artifacts.js'

export interface JobInput {
  job_id: string
  product_id: string
  intent: string
  argv: string[]
  /** The product root, workspace-relative. */
  cwd: string
  env: Record<string, string>
  timeout_ms: number
  /** The evidence folder, workspace-relative: dash/runs/<product_id>/<job_id>. */
  evidence_dir: string
  work_order_sha256: string
  /** The work order's inputs, for intents that read more than a command. */
  inputs: Record<string, unknown>
  /** Auto-heal: how often a failed attempt may be retried (0: never). */
  heal_retries: number
  /** Auto-heal: what to run to re-arm healing once it stops. */
  rearm: string
}

export interface HealthInput {
  product_id: string
  argv: string[]
  cwd: string
  env: Record<string, string>
  timeout_ms: number
  /** Where the health artifact goes, workspace-relative: dash/health/<product_id>.json. */
  health_file: string
}

/** Lines of stdout and stderr kept in evidence.json and shown when a job fails. */
export const LOG_TAIL_LINES = 40

export function logTail(stdout: string, stderr: string, lines = LOG_TAIL_LINES): string[] {
  const all = [...stdout.split('\n'), ...stderr.split('\n')].map((line) => line.trimEnd()).filter((line) => line !== '')
  return all.slice(-lines)
}

/** The failed status of each intent; fleet-ops intents fail as plain `failed`. */
export function failedStatus(intent: string): ExitStatus {
  return intent === 'validate' ? 'failed_validate' : intent === 'test' ? 'failed_test' : intent === 'regenerate_report' ? 'failed_report' : 'failed'
}

export default defineIntent<JobInput, Evidence>(async (input, ctx) => {
  const dir = join(ctx.rootDir, input.evidence_dir)
  await mkdir(dir, { recursive: true })
  const startedAt = ctx.now()
  // Timestamps come from the run's clock (pinned in reproducible runs); the duration is measured.
  const started = performance.now()
  const [file, ...args] = input.argv
  const result = await ctx.exec(file as string, args, { cwd: join(ctx.rootDir, input.cwd), env: input.env, timeoutMs: input.timeout_ms })
  const finishedAt = Math.max(ctx.now(), startedAt)
  const stdout = redactSecrets(result.stdout)
  const stderr = redactSecrets(result.stderr)
  await Promise.all([writeFile(join(dir, 'stdout.log'), stdout), writeFile(join(dir, 'stderr.log'), stderr)])
  const failed: ExitStatus | undefined = result.timedOut ? 'timeout' : result.failed ? failedStatus(input.intent) : undefined
  const why = !failed ? null : result.timedOut ? `timed out after ${input.timeout_ms} ms` : result.exitCode === undefined ? `killed by ${result.signal ?? 'a signal'}` : `${input.argv.join(' ')} exited ${result.exitCode}`
  // Auto-heal: a failed command (not a timeout) is retried while retries are left; after the last
  // one, the job ends retry_exhausted and says how to re-arm healing.
  const attempt = ctx.job.attempt
  const healing = failed !== undefined && failed !== 'timeout' && input.heal_retries > 0
  const retryLeft = healing && attempt <= input.heal_retries
  const status: ExitStatus = !failed ? 'ok' : healing && !retryLeft ? 'retry_exhausted' : failed
  const reason = !why ? null : healing && !retryLeft ? `${why} (attempt ${attempt} of ${input.heal_retries + 1}); auto-heal stopped: re-arm with \`${input.rearm}\`` : why
  const evidence: Evidence = {
    schema_version: 1,
    run_id: input.job_id,
    job_id: input.job_id,
    product_id: input.product_id,
    intent: input.intent,
    work_order_sha256: input.work_order_sha256,
    command: { argv: input.argv, cwd: input.cwd },
    exit_code: result.exitCode ?? null,
    signal: result.signal ?? null,
    exit_status: status,
    reason,
    attempt: ctx.job.attempt,
    started_at: new Date(startedAt).toISOString(),
    finished_at: new Date(finishedAt).toISOString(),
    duration_ms: Math.round(performance.now() - started),
    stdout: 'stdout.log',
    stderr: 'stderr.log',
    log_tail: logTail(stdout, stderr),
  }
  if (retryLeft) {
    // not evidence.json: that one marks the job done, and it is not done yet
    await writeJsonAtomic(join(dir, 'attempts', `${attempt}.json`), evidence)
    throw new TransientError(`${why}; auto-heal retry ${attempt} of ${input.heal_retries}`)
  }
  await writeJsonAtomic(join(dir, 'evidence.json'), evidence)
  ctx.evidence(`${input.evidence_dir}/evidence.json`)
  // A failed command fails the job with its intent's failed status as the kind (also after
  // retries): stop conditions such as a failed test match it.
  if (failed) throw new JobFailure(failed, reason ?? failed)
  return evidence
})

/** A product's health check: exit 0 is healthy. Writes dash/health/<product_id>.json either way. */
export const health = defineIntent<HealthInput, { status: 'healthy' | 'unhealthy' }>(async (input, ctx) => {
  const result = await ctx.exec(input.argv[0] as string, input.argv.slice(1), { cwd: join(ctx.rootDir, input.cwd), env: input.env, timeoutMs: input.timeout_ms })
  const healthy = !result.failed
  const detail = healthy ? 'health check passed' : (logTail(redactSecrets(result.stdout), redactSecrets(result.stderr), 1)[0] ?? (result.timedOut ? 'health check timed out' : `health check exited ${result.exitCode}`))
  await writeJsonAtomic(join(ctx.rootDir, input.health_file), { status: healthy ? 'healthy' : 'unhealthy', checked_at: new Date(ctx.now()).toISOString(), detail, exit_code: result.exitCode ?? null })
  ctx.evidence(input.health_file)
  if (!healthy) throw new JobFailure('health_check_failed', `${input.product_id}: ${detail}`)
  return { status: 'healthy' }
})
