// Which scheduled intents are due now: each product's schedule against the last run of each
// intent (dash/runs/<product_id>/last_run.json, written by `oracle run`).

import { readFileSync } from 'node:fs'
import { ExitCode, OracleError, Type, checkValue, compareCodeUnits, isOracleError, parseJsonText, resolveInside } from '@oraclekit/kernel'
import { describeCadence, isDue } from './cadence.js'
import { assertSchedules } from './load.js'

/** One intent of one product whose scheduled slot has passed with no run of it since. */
export interface DueEntry {
  product_id: string
  intent: string
  /** The slot it is due for, ISO-8601 UTC. */
  occurrence: string
  /** E.g. `scheduled weekly on monday at 07:00 UTC, due since 2026-11-16T07:00:00.000Z`. */
  reason: string
  /** The schedule file, workspace-relative. */
  source: string
}

export interface DueOptions {
  rootDir: string
  /** Workspace-relative, e.g. `dash/schedules`. */
  schedulesDir: string
  /** Workspace-relative Dash folder; last runs are read from `<dashDir>/runs/<product_id>/last_run.json`. */
  dashDir: string
  /** Declared products; undefined: not checked. */
  productIds: readonly string[] | undefined
  now: number
}

// Only the part of the planner's LastRun this reads (plugins do not import each other's code).
const LastRunIntents = Type.Object(
  {
    intents: Type.Record(Type.String(), Type.Object({ finished_at: Type.String({ format: 'date-time' }) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
)

function lastRunInvalid(file: string, detail: string, line?: number): OracleError {
  return new OracleError('ORACLE_PLAN_ARTIFACT_INVALID', `${file}: ${detail}`, {
    file,
    ...(line === undefined ? {} : { line }),
    exitCode: ExitCode.invalidInput,
    hint: 'The file is written by `oracle run`; restore it, or delete it to treat every intent of the product as never run.',
  })
}

/** When each intent of the product last finished, in ms; empty when the product never ran. */
function lastFinished(rootDir: string, file: string): Map<string, number> {
  let text: string
  try {
    text = readFileSync(resolveInside(rootDir, file), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw lastRunInvalid(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let value: unknown
  try {
    value = parseJsonText(text, file)
  } catch (error) {
    if (!isOracleError(error)) throw error
    throw lastRunInvalid(file, error.message.replace(`${file} is `, ''), error.line)
  }
  const checked = checkValue<{ intents: Record<string, { finished_at: string }> }>(LastRunIntents, value, { inPlace: true })
  const first = checked.problems[0]
  if (first) throw lastRunInvalid(file, `${first.path} ${first.message}`)
  return new Map(Object.entries(checked.value.intents).map(([intent, summary]) => [intent, Date.parse(summary.finished_at)]))
}

/**
 * The due entries of every schedule, sorted by product id, then intent (code units). An intent
 * scheduled with several cadences appears once, for its earliest slot not yet covered by a run.
 * Throws ORACLE_SCHEDULE_INVALID for bad schedule files and ORACLE_PLAN_ARTIFACT_INVALID for a
 * broken last_run.json.
 */
export async function dueEntries(options: DueOptions): Promise<DueEntry[]> {
  const schedules = await assertSchedules(options.rootDir, options.schedulesDir, options.productIds)
  const dash = options.dashDir.replace(/\/+$/, '')
  const due = new Map<string, DueEntry & { at: number }>()
  for (const schedule of schedules) {
    const finished = lastFinished(options.rootDir, `${dash}/runs/${schedule.product_id}/last_run.json`)
    for (const entry of schedule.entries) {
      const check = isDue(entry, schedule.timezone, options.now, finished.get(entry.intent))
      if (!check.due || check.occurrence === undefined) continue
      const key = `${schedule.product_id}\u0000${entry.intent}`
      const held = due.get(key)
      if (held && held.at <= check.occurrence) continue
      const occurrence = new Date(check.occurrence).toISOString()
      due.set(key, {
        product_id: schedule.product_id,
        intent: entry.intent,
        occurrence,
        reason: `scheduled ${describeCadence(entry, schedule.timezone)}, due since ${occurrence}`,
        source: schedule.file,
        at: check.occurrence,
      })
    }
  }
  return [...due.values()]
    .sort((a, b) => compareCodeUnits(a.product_id, b.product_id) || compareCodeUnits(a.intent, b.intent))
    .map(({ at: _at, ...entry }) => entry)
}
