// `oracle orchestrate approve <gate>`: records who approved a gate, and when, in the latest run's
// event log; `oracle orchestrate resume` then goes on.

import { userInfo } from 'node:os'
import { type CommandContext, type CommandResult, ExitCode, errorUsage } from '@oraclekit/kernel'
import { recordApproval } from '../engine/approvals.js'
import { latestRun, openEventLog } from '../engine/events.js'
import type { OrchestratorOptions } from '../options.js'
import { loadValidPlan } from './run.js'

export async function run(ctx: CommandContext<{ by?: string; file?: string }>): Promise<CommandResult> {
  const gate = String(ctx.args.gate)
  const options = ctx.pluginOptions as OrchestratorOptions
  const plan = await loadValidPlan(ctx.kernel.rootDir, ctx.options.file ?? options.file)
  const gates = new Set(plan.tasks.flatMap((t) => t.approvals))
  if (!gates.has(gate)) throw errorUsage(`the plan has no gate ${gate}`, gates.size > 0 ? `Its gates: ${[...gates].join(', ')}.` : 'The plan has no gates.')
  const by = ctx.options.by ?? process.env.USER ?? userInfo().username
  const at = new Date(ctx.kernel.clock.now()).toISOString()
  // for this plan (a later run, --ci included, finds it), and in the latest run's log
  recordApproval(ctx.kernel.rootDir, { gate, by, at, plan_hash: plan.hash })
  const runId = latestRun(ctx.kernel.rootDir)
  if (runId) {
    const log = openEventLog(ctx.kernel.rootDir, runId)
    log.append({ type: 'approved', gate, by }, at)
    log.close()
  }
  const next = runId ? `go on with: oracle orchestrate resume` : 'it counts for the next run of this plan'
  return { exitCode: ExitCode.ok, data: { run_id: runId ?? null, gate, by, at }, text: `approved ${gate} (by ${by}, ${at}); ${next}` }
}
