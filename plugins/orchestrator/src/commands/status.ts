// `oracle orchestrate status` and `oracle orchestrate report`: views of the latest run, derived
// from its event log.

import { join } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, errorUsage, writeFileAtomic } from '@oraclekit/kernel'
import { RUNS_DIR, eventLogPath, latestRun, readEvents } from '../engine/events.js'
import { reduce } from '../engine/state.js'
import { renderTasksMd, summaryLine } from '../engine/tasks-md.js'
import { gitDiffStat } from '../exec/git.js'
import type { OrchestratorOptions } from '../options.js'
import { renderJUnit } from '../report/junit.js'
import { renderReport } from '../report/report.js'
import { loadValidPlan } from './run.js'

async function latest(ctx: CommandContext<{ file?: string }>) {
  const options = ctx.pluginOptions as OrchestratorOptions
  const plan = await loadValidPlan(ctx.kernel.rootDir, ctx.options.file ?? options.file, { write: false })
  const runId = latestRun(ctx.kernel.rootDir)
  if (!runId) throw errorUsage('no run yet: .codex/runs is empty', 'Start one: oracle orchestrate run.')
  const events = readEvents(eventLogPath(ctx.kernel.rootDir, runId))
  return { options, plan, runId, events, state: reduce(events, plan) }
}

export async function status(ctx: CommandContext<{ file?: string }>): Promise<CommandResult> {
  const { plan, runId, state } = await latest(ctx)
  return { exitCode: ExitCode.ok, data: { run_id: runId, state }, text: `run ${runId}: ${summaryLine(plan, state)}\n\n${renderTasksMd(plan, state)}` }
}

export async function report(ctx: CommandContext<{ file?: string; out?: string; junit?: string }>): Promise<CommandResult> {
  const { options, plan, runId, events, state } = await latest(ctx)
  const out = ctx.options.out ?? 'REPORT.md'
  const text = renderReport({ plan, state, events, diffStat: await gitDiffStat(ctx.kernel.rootDir), artifacts: [`${RUNS_DIR}/${runId}.jsonl`, options.tasksMd] })
  await writeFileAtomic(join(ctx.kernel.rootDir, out), text)
  if (ctx.options.junit) await writeFileAtomic(join(ctx.kernel.rootDir, ctx.options.junit), renderJUnit(plan, state))
  return { exitCode: ExitCode.ok, data: { run_id: runId, out, junit: ctx.options.junit ?? null }, text: `report of run ${runId}: ${out}${ctx.options.junit ? `, JUnit: ${ctx.options.junit}` : ''}` }
}
