// Where `oracle plan --from-schedules` gets its jobs: a plugin (fleet-ops) offers a source at
// the `work-order-planner.sources` extension point that says which jobs are due now. The planner
// ranks, holds and caps them like its own candidates.

import type { DueJob } from './candidates.js'

export const SOURCES_POINT = 'work-order-planner.sources'

export interface DueContext {
  rootDir: string
  /** The plan's clock, in ms since the epoch (pinned with ORACLE_NOW in tests). */
  now: number
  /** The products the planner declares. */
  productIds: string[]
  dashDir: string
}

/** What a plugin offers at `work-order-planner.sources`. */
export interface WorkOrderSource {
  /** `schedules` for `--from-schedules`. */
  name: string
  due(ctx: DueContext): Promise<DueJob[]>
}
