import { existsSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { type CommandContext, type CommandResult, errorUsage } from '@oraclekit/kernel'
import type { OraclepackOptions } from '../options.js'
import { type RunPackSummary, runPack } from '../run/run-pack.js'

interface RunFlags {
  maxParallel?: number
  rerun?: string
  noCache?: boolean
  minCompletion?: number
  nonInteractive?: boolean
  jsonLog?: boolean
  roiThreshold?: number
  roiMode?: 'over' | 'under'
  oracleBin?: string
  oracleNode?: string
}

function checkNumber(name: string, value: number | undefined, min: number, max: number, integer: boolean): void {
  if (value === undefined) return
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw errorUsage(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${value})`)
  }
}

/** `--oracle-node`: a path, or a bare name such as `node24` looked up on PATH. */
function nodeBinary(value: string, cwd: string): string {
  if (value.includes('/') || value.includes('\\')) return resolve(cwd, value)
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, value))) return join(dir, value)
  }
  throw errorUsage(`--oracle-node ${value}: not found on PATH`, 'Give the path of a Node >= 24 binary.')
}

export function formatSummary(summary: RunPackSummary): string {
  const { counts } = summary
  const lines = [
    `pack ${summary.pack_id}: ${summary.status} — ${counts.ok}/${counts.steps} ok${counts.cached ? ` (${counts.cached} from cache)` : ''}, ${counts.failed} failed, ${counts.pending} pending${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
    `run dir: ${summary.run_dir}`,
    `engine: ${summary.engine.description}; ${counts.engine_calls} engine call${counts.engine_calls === 1 ? '' : 's'}`,
  ]
  if (summary.stop_reason) lines.push(`stopped: ${summary.stop_reason}`)
  for (const step of summary.steps) {
    const how = step.cached ? 'cache' : `${step.attempts} attempt${step.attempts === 1 ? '' : 's'}`
    const detail = step.status === 'ok' ? step.output_path : (step.last_error ?? '')
    lines.push(`  ${step.step_id}  ${step.status.padEnd(7)} ${how.padEnd(10)} ${detail}`)
  }
  if (summary.completion < summary.min_completion) lines.push(`completion ${summary.completion} is below --min-completion ${summary.min_completion}`)
  return lines.join('\n')
}

export async function run(ctx: CommandContext<RunFlags>): Promise<CommandResult> {
  const o = ctx.options
  checkNumber('max-parallel', o.maxParallel, 1, 64, true)
  checkNumber('min-completion', o.minCompletion, 0, 1, false)
  checkNumber('roi-threshold', o.roiThreshold, 0, Number.MAX_SAFE_INTEGER, false)
  const jsonLog = o.jsonLog === true
  const ui = o.nonInteractive ? { ...ctx.ui, interactive: false, status: () => undefined } : ctx.ui
  const { exitCode, summary } = await runPack(
    {
      pack: String(ctx.args.pack),
      cwd: ctx.global.cwd,
      cache: o.noCache !== true,
      ci: ctx.global.ci,
      jsonLog,
      ...(o.maxParallel !== undefined ? { maxParallel: o.maxParallel } : {}),
      ...(o.rerun !== undefined ? { rerun: o.rerun } : {}),
      ...(o.minCompletion !== undefined ? { minCompletion: o.minCompletion } : {}),
      ...(o.roiThreshold !== undefined ? { roiThreshold: o.roiThreshold } : {}),
      ...(o.roiMode !== undefined ? { roiMode: o.roiMode } : {}),
      // Paths on the command line are relative to where oracle was started, like the pack's.
      engine: { ...(o.oracleBin ? { command: resolve(ctx.global.cwd, o.oracleBin) } : {}), ...(o.oracleNode ? { node: nodeBinary(o.oracleNode, ctx.global.cwd) } : {}) },
    },
    { kernel: ctx.kernel, options: ctx.pluginOptions as OraclepackOptions, logger: ctx.logger, ui, signal: ctx.signal },
  )
  // With --json-log, stdout is the event stream alone; run_finished carries the summary.
  return jsonLog ? { exitCode } : { exitCode, data: summary, text: formatSummary(summary) }
}
