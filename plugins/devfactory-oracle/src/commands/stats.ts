// `oracle devfactory stats`: seed 3's OracleStats over the kept intervention history.

import { type CommandContext, type CommandResult, ExitCode } from '@oraclekit/kernel'
import { formatDuration } from '../detect/detector.js'
import type { DevfactoryOptions } from '../options.js'
import { InterventionTracker } from '../tracker/tracker.js'
import { type OracleStats, STUCK_CLASSIFICATIONS } from '../types.js'

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`

/** The stats as a two-column table. */
export function statsLines(stats: OracleStats): string[] {
  const rows: Array<[string, string]> = [
    ['interventions', String(stats.totalInterventions)],
    ['success rate', `${percent(stats.successRate)} (resolved ÷ decided)`],
    ['avg resolution', stats.avgResolutionTime === 0 ? '—' : formatDuration(stats.avgResolutionTime)],
    ['takeover rate', percent(stats.takeoverRate)],
    ...STUCK_CLASSIFICATIONS.map((c): [string, string] => [`  ${c}`, String(stats.byClassification[c])]),
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  return ['Interventions (the kept history):', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)]
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const options = ctx.pluginOptions as DevfactoryOptions
  const tracker = new InterventionTracker(ctx.kernel.rootDir, { dir: options.dir, maxHistory: options.maxInterventionHistory, clock: ctx.kernel.clock })
  const stats = await tracker.getStats()
  return { exitCode: ExitCode.ok, data: stats, text: statsLines(stats).join('\n') }
}
