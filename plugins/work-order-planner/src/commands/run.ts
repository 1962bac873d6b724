import { type CommandContext, type CommandResult, errorUsage } from '@oraclekit/kernel'
import type { PlannerOptions } from '../options.js'
import { type RunOutcome, runOrders } from '../run/execute.js'
import { healPolicy } from '../run/heal.js'
import { safeIntents } from '../safe-intents.js'

interface Flags {
  dryRun?: boolean
  job?: string
  maxJobs?: number
  maxTime?: number
}

const MARK: Record<string, string> = { ok: 'ok     ', failed: 'FAILED ', stopped: 'STOPPED', skipped: 'skipped', done_earlier: 'done   ', would_run: 'would run' }

export function formatRun(outcome: RunOutcome): string {
  const lines: string[] = []
  if (outcome.status === 'dry_run') lines.push('dry run: nothing is executed or written')
  for (const check of outcome.health_checks) lines.push(`  health ${check.product_id}: ${check.status} [${check.file}]`)
  for (const job of outcome.jobs) {
    const took = job.duration_ms === null ? '' : ` ${job.duration_ms} ms`
    const detail = job.status === 'would_run' ? `$ ${job.argv.join(' ')}  (in ${job.cwd})` : job.evidence ? job.evidence : (job.reason ?? '')
    lines.push(`  ${MARK[job.status] ?? job.status} ${job.job_id}${job.exit_status && job.exit_status !== 'ok' ? ` ${job.exit_status}` : ''}${took}  ${detail}`)
  }
  if (outcome.status === 'nothing_to_do') lines.push(outcome.jobs.length > 0 ? 'nothing to do: every work order was done by an earlier run; plan again' : 'nothing to do: no work orders; run `oracle plan` first')
  if (outcome.stop_reason) lines.push(`stopped (${outcome.stop_reason.kind}): ${outcome.stop_reason.message}`)
  const count = (s: string) => outcome.jobs.filter((j) => j.status === s).length
  if (outcome.status !== 'dry_run' && outcome.status !== 'nothing_to_do') lines.push(`run ${outcome.status}: ${count('ok')} ok, ${count('failed')} failed, ${count('stopped')} stopped, ${count('skipped')} skipped, ${count('done_earlier')} done earlier`)
  return lines.join('\n')
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as PlannerOptions
  const { dryRun = false, job, maxJobs, maxTime } = ctx.options
  if (maxJobs !== undefined && !(Number.isInteger(maxJobs) && maxJobs >= 0)) throw errorUsage(`--max-jobs must be a whole number ≥ 0 (got ${maxJobs})`)
  if (maxTime !== undefined && !(Number.isInteger(maxTime) && maxTime >= 1)) throw errorUsage(`--max-time must be a number of milliseconds ≥ 1 (got ${maxTime})`)
  const outcome = await runOrders({
    rootDir: ctx.kernel.rootDir,
    options,
    kernel: ctx.kernel,
    safe: safeIntents(ctx.kernel),
    dryRun,
    ...(healPolicy(ctx.kernel) ? { heal: healPolicy(ctx.kernel) as NonNullable<ReturnType<typeof healPolicy>> } : {}),
    signal: ctx.signal,
    onProgress: (line) => ctx.ui.status(line),
    ...(job ? { jobId: job } : {}),
    ...(maxJobs !== undefined ? { maxJobs } : {}),
    ...(maxTime !== undefined ? { maxTimeMs: maxTime } : {}),
  })
  return { exitCode: outcome.exit_code, data: outcome, text: formatRun(outcome) }
}
