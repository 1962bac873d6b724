// gc_runs' retention rules, after Jenkins' LogRotator: never delete a run marked keep or release,
// the last successful run, or one still in progress. Protected runs are skipped, not counted: the
// `keep` newest runs are the newest unprotected ones, so `keep` 10 keeps 10 plain runs besides the
// protected ones. (Jenkins itself keeps the first numToKeep builds by position, protected or not.)
// Pure: the same runs give the same decisions, in the same order.

/** What gc knows about one run folder. */
export interface RunInfo {
  run_id: string
  /** From evidence.json; null when there is none yet (in progress, or killed before it was written). */
  finished_at: string | null
  started_at: string | null
  exit_status: string | null
  /** A `KEEP` marker file, or `"keep": true` in evidence.json: kept forever (Jenkins' keepLog). */
  keep: boolean
  /** A `RELEASE` marker file, or `"release": true` in evidence.json. */
  release: boolean
}

export const GC_REASONS = ['newest', 'marked_keep', 'release', 'last_successful', 'in_progress', 'over_limit'] as const
export type GcReason = (typeof GC_REASONS)[number]

/** What gc does with one run, and why. */
export interface Decision {
  run_id: string
  action: 'keep' | 'delete'
  reason: GcReason
}

/** Milliseconds of the run's sort key; a missing or unreadable time sorts as the oldest. */
function instant(run: RunInfo): number {
  const ms = Date.parse(run.finished_at ?? run.started_at ?? '')
  return Number.isNaN(ms) ? -Infinity : ms
}

/** Newest first: by time, then by run id in descending code-unit order. */
export function compareNewestFirst(a: RunInfo, b: RunInfo): number {
  const ta = instant(a)
  const tb = instant(b)
  if (ta !== tb) return ta > tb ? -1 : 1
  return a.run_id > b.run_id ? -1 : a.run_id < b.run_id ? 1 : 0
}

/** Why a run is kept whatever its age, or undefined when nothing protects it. */
function protection(run: RunInfo, lastSuccessful: RunInfo | undefined): GcReason | undefined {
  if (run.keep) return 'marked_keep'
  if (run.release) return 'release'
  if (run === lastSuccessful) return 'last_successful'
  if (run.finished_at === null) return 'in_progress'
  return undefined
}

/** One decision per run, newest first. `keep`: how many unprotected runs to keep, the newest. */
export function decideRetention(runs: readonly RunInfo[], keep: number): Decision[] {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`keep must be a whole number ≥ 0 (got ${keep})`)
  const ordered = [...runs].sort(compareNewestFirst)
  const lastSuccessful = ordered.find((run) => run.exit_status === 'ok' && run.finished_at !== null)
  let counted = 0
  return ordered.map((run): Decision => {
    const reason = protection(run, lastSuccessful)
    if (reason) return { run_id: run.run_id, action: 'keep', reason }
    if (counted++ < keep) return { run_id: run.run_id, action: 'keep', reason: 'newest' }
    return { run_id: run.run_id, action: 'delete', reason: 'over_limit' }
  })
}
