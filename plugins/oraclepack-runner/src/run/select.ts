// Which steps a session runs. Resume is the default: a step whose answer exists and matches its
// recorded hash is done. `--rerun` overrides: `all`, `failed`, or a list of step ids.

import { ExitCode, OracleError } from '@oraclekit/kernel'
import type { StepRecord } from './manifest.js'
import type { StepPlan } from './plan.js'

export type Rerun = { kind: 'resume' } | { kind: 'all' } | { kind: 'failed' } | { kind: 'steps'; ids: readonly string[] }

function invalid(value: string, detail: string): OracleError {
  return new OracleError('ORACLE_PACK_RERUN_INVALID', `--rerun ${value}: ${detail}`, {
    exitCode: ExitCode.usage,
    hint: 'Use --rerun all, --rerun failed, or a comma-separated list of step ids such as --rerun 01,03,07.',
  })
}

/** Parses `--rerun`; step ids must exist in the pack (`1` and `01` both mean step 01). */
export function parseRerun(value: string | undefined, stepIds: readonly string[]): Rerun {
  if (value === undefined) return { kind: 'resume' }
  const trimmed = value.trim()
  if (trimmed === 'all' || trimmed === 'failed') return { kind: trimmed }
  const parts = trimmed.split(',').map((part) => part.trim())
  if (parts.length === 0 || parts.some((part) => !/^\d{1,2}$/.test(part))) throw invalid(value, 'not all, failed, or a list of step numbers')
  const ids = [...new Set(parts.map((part) => part.padStart(2, '0')))]
  const unknown = ids.filter((id) => !stepIds.includes(id))
  if (unknown.length > 0) throw invalid(value, `the pack has no step ${unknown.join(', ')} (steps: ${stepIds[0]}..${stepIds.at(-1)})`)
  return { kind: 'steps', ids: ids.sort() }
}

export interface Selection {
  /** Step ids to answer this session, in pack order. */
  run: string[]
  /** Steps left out by the ROI filter. */
  skip: string[]
}

/** `over` keeps ROI >= threshold, `under` keeps ROI < threshold; 0 keeps everything (oraclepack's rule). */
export function passesRoi(roi: number, threshold: number, mode: 'over' | 'under'): boolean {
  if (threshold === 0) return true
  return mode === 'over' ? roi >= threshold : roi < threshold
}

export function selectSteps(
  plans: readonly StepPlan[],
  records: ReadonlyMap<string, StepRecord>,
  intact: ReadonlySet<string>,
  rerun: Rerun,
  roiThreshold: number,
  roiMode: 'over' | 'under',
): Selection {
  const run: string[] = []
  const skip: string[] = []
  for (const plan of plans) {
    if (!passesRoi(plan.roi, roiThreshold, roiMode)) {
      skip.push(plan.id)
      continue
    }
    const status = records.get(plan.id)?.status
    const wanted =
      rerun.kind === 'all' ? true : rerun.kind === 'failed' ? status === 'failed' : rerun.kind === 'steps' ? rerun.ids.includes(plan.id) : !intact.has(plan.id)
    if (wanted) run.push(plan.id)
  }
  return { run, skip }
}
