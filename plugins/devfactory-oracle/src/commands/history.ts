// `oracle devfactory history [--limit N] [--task ID]`: the latest interventions, newest first.

import { type CommandContext, type CommandResult, ExitCode, errorUsage } from '@oraclekit/kernel'
import type { DevfactoryOptions } from '../options.js'
import type { TrackedIntervention } from '../tracker/schema.js'
import { InterventionTracker } from '../tracker/tracker.js'

interface Flags {
  limit?: number
  task?: string
}

export const DEFAULT_LIMIT = 10

export function historyLine(r: TrackedIntervention): string {
  const time = r.resolutionTime === undefined ? '' : ` in ${Math.round(r.resolutionTime / 1000)} s`
  return `${r.id}  ${r.timestamp}  ${r.taskId}  ${r.worker}  ${r.type} ${r.outcome}${time}  ${r.classification}${r.notDelivered ? '  (not delivered)' : ''}\n    ${r.action}`
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as DevfactoryOptions
  const limit = ctx.options.limit ?? DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1) throw errorUsage(`--limit must be a whole number, at least 1 (got ${limit})`)
  const tracker = new InterventionTracker(ctx.kernel.rootDir, { dir: options.dir, maxHistory: options.maxInterventionHistory, clock: ctx.kernel.clock })
  const task = ctx.options.task
  const records = (await tracker.list()).filter((r) => task === undefined || r.taskId === task)
  const newest = records.slice(-limit).reverse()
  const scope = task === undefined ? '' : ` on ${task}`
  const text = newest.length === 0 ? `no interventions${scope} in ${tracker.file}` : [`${newest.length} of ${records.length} intervention(s)${scope}, newest first:`, ...newest.map(historyLine)].join('\n')
  return { exitCode: ExitCode.ok, data: newest, text }
}
