import { type CommandContext, type CommandResult, ExitCode, errorUsage } from '@oraclekit/kernel'
import { type ActionizeSummary, actionize } from '../actionize.js'
import type { ActionizerOptions } from '../options.js'
import { latestRun } from '../read-run.js'

interface Flags {
  runDir: string
  minYield?: number
}

export function formatSummary(summary: ActionizeSummary): string {
  const { counts } = summary
  return [
    `pack ${summary.pack_id}: ${summary.tasks} tasks from ${summary.answered}/${summary.steps} answers — ${counts.actionable} actionable, ${counts.blocked} blocked, ${counts.conflict} conflict, ${counts.noop} noop; yield ${summary.yield}`,
    `written to ${summary.output_dir}/: ${summary.artifacts.join(', ')}`,
  ].join('\n')
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const { runDir, minYield } = ctx.options
  if (!runDir) throw errorUsage('--run-dir is required', 'Give the run directory: --run-dir .oraclepack/runs/<pack_id> (`oracle pack status` lists them), or --run-dir latest.')
  if (minYield !== undefined && !(minYield >= 0 && minYield <= 1)) throw errorUsage(`--min-yield must be a number from 0 to 1 (got ${minYield})`)
  const options = ctx.pluginOptions as ActionizerOptions
  const dir = runDir === 'latest' ? await latestRun(ctx.kernel.rootDir, options.runsDir) : runDir
  const { summary } = await actionize(dir, ctx.global.cwd, ctx.kernel.rootDir, options.project)
  const below = minYield !== undefined && summary.yield < minYield
  const text = below ? `${formatSummary(summary)}\naction yield ${summary.yield} is below --min-yield ${minYield}` : formatSummary(summary)
  return { exitCode: below ? ExitCode.failed : ExitCode.ok, data: { ...summary, min_yield: minYield ?? null }, text }
}
