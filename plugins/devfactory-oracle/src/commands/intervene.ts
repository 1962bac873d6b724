// `oracle devfactory intervene <task> [--strategy guidance|takeover|escalation]`: seed 3's
// manualIntervene. Forced: a pending guidance's grace period does not hold it back. Without
// --strategy the ladder decides, as in `watch`.

import { type CommandContext, type CommandResult, ExitCode, resolveInside } from '@oraclekit/kernel'
import { outcomeText, verdictText } from '../oracle/describe.js'
import { createOracleLog } from '../oracle/log.js'
import { createOracle } from '../oracle/oracle.js'
import type { DevfactoryOptions } from '../options.js'
import type { InterventionType } from '../types.js'

interface Flags {
  strategy?: InterventionType
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as DevfactoryOptions
  const taskId = String(ctx.args.task)
  const { rootDir, clock } = ctx.kernel
  const oracleLog = createOracleLog(resolveInside(rootDir, options.logFile), { level: options.logLevel, clock })
  try {
    const oracle = createOracle({ rootDir, options, clock, env: process.env, log: oracleLog.logger })
    oracleLog.logger.info({ task: taskId, strategy: ctx.options.strategy ?? 'decided' }, 'manual intervention')
    const { stuck, result } = await oracle.intervene(taskId, ctx.options.strategy)
    const entry = { stuck, result }
    const text = [`${taskId} (worker ${stuck.worker}): ${verdictText(stuck)}`, `${result.reason}`, `→ ${outcomeText(entry)}`].join('\n')
    oracleLog.logger[result.success ? 'info' : 'warn']({ task: taskId, type: result.type, success: result.success, recordId: result.recordId }, `manual intervention: ${outcomeText(entry)}`)
    // Skipped (a takeover already runs) or failed: nothing reached the task.
    return { exitCode: result.success ? ExitCode.ok : ExitCode.failed, data: { stuck, result }, text }
  } finally {
    oracleLog.close()
  }
}
