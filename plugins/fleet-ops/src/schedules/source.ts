// The schedules as the planner's `--from-schedules` source: what is due now, with the inputs the
// fleet-ops intents need (keep N for gc_runs, the probes for drift_check) from this plugin's options.

import type { FleetOpsInput } from '../options.js'
import { dueEntries } from './due.js'

export interface DueCtx {
  rootDir: string
  now: number
  productIds: string[]
  dashDir: string
}

export interface DueJob {
  product_id: string
  intent: string
  reason: string
  source: string
  occurrence?: string
  inputs?: Record<string, unknown>
}

export async function dueJobs(ctx: DueCtx, options: FleetOpsInput): Promise<DueJob[]> {
  const entries = await dueEntries({ rootDir: ctx.rootDir, schedulesDir: options.schedulesDir ?? 'dash/schedules', dashDir: ctx.dashDir, productIds: ctx.productIds, now: ctx.now })
  return entries.map((entry) => {
    const inputs =
      entry.intent === 'gc_runs'
        ? { keep: options.gc?.keep ?? 10, runs_dir: options.runsDir ?? 'dash/runs' }
        : entry.intent === 'drift_check'
          ? { probes: options.drift?.[entry.product_id]?.probes ?? [], ignore: options.drift?.[entry.product_id]?.ignore ?? [], report_dir: options.driftDir ?? 'dash/drift' }
          : undefined
    return { product_id: entry.product_id, intent: entry.intent, reason: entry.reason, source: entry.source, occurrence: entry.occurrence, ...(inputs ? { inputs } : {}) }
  })
}
