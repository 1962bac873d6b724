// Schedule cadences: when an entry of a fleet schedule (`dash/schedules/<product>.json`) fires.
// The contract between fleet-ops, which plans due work from schedules, and the dash, which shows
// the next scheduled work: both call these, so they can never disagree. Pure functions of the
// entry, its timezone and an injected `now` (ms since the epoch). Days and times are local to the
// timezone, read through Intl; a local wall time becomes an instant by trying the offsets around
// it, which handles DST changes (a time skipped by DST fires at the first instant after the gap).

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export const DEFAULT_TIME = '00:00'
export const DEFAULT_DAY: Weekday = 'monday'
export const DEFAULT_TIMEZONE = 'UTC'

/** What the cadence functions read of a schedule entry (fleet-ops' schema types it fully). */
export interface CadenceEntry {
  /** daily (weekdays), every_day, weekly, monthly, quarterly, yearly or every_n_hours; any other word never fires. */
  cadence: string
  /** HH:MM local time; 00:00 when left out. */
  time?: string | undefined
  /** The weekday of a weekly entry; monday when left out. */
  day?: string | undefined
  /** The period of every_n_hours. */
  hours?: number | undefined
}

const MINUTE = 60_000
const DAY = 86_400_000
/** How far lastOccurrence / nextOccurrence look: a yearly entry is at most 366 days away. */
const MAX_DAYS = 400
const QUARTER_MONTHS = new Set([0, 3, 6, 9])

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Throws a RangeError for a time zone Intl does not know. */
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timezone, format)
  }
  return format
}

/** True when `timezone` is an IANA name (or alias) this Node knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone)
    return true
  } catch {
    return false
  }
}

/** The local wall time of instant `t` as if it were UTC, to the second. */
function wallAt(t: number, timezone: string): number {
  const parts: Record<string, number> = {}
  for (const part of formatter(timezone).formatToParts(t)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts
  return Date.UTC(year, month - 1, day, hour, minute, second)
}

/** Local minus UTC at instant `t`, in ms. */
function offsetAt(t: number, timezone: string): number {
  const whole = Math.floor(t / 1000) * 1000
  return wallAt(whole, timezone) - whole
}

/**
 * The instant of local wall time `wall` (a local time written as UTC ms). Of a time that occurs
 * twice (fall back), the first; of one that does not occur (spring forward), the first instant
 * after the gap.
 */
export function wallToInstant(wall: number, timezone: string): number {
  // At most one offset change within a day either side: the offsets before and after it.
  const before = offsetAt(wall - DAY, timezone)
  const after = offsetAt(wall + DAY, timezone)
  const valid = [wall - before, wall - after].filter((t) => offsetAt(t, timezone) === wall - t)
  if (valid.length > 0) return Math.min(...valid)
  // A gap: find the transition, the first instant that is already on the later offset.
  let lo = Math.min(wall - before, wall - after)
  let hi = Math.max(wall - before, wall - after)
  const early = offsetAt(lo, timezone)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (offsetAt(mid, timezone) === early) lo = mid
    else hi = mid
  }
  return hi
}

function minutesOf(time: string | undefined): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time ?? DEFAULT_TIME)
  if (!match) throw new RangeError(`Not a time of day (HH:MM): ${JSON.stringify(time)}`)
  return Number(match[1]) * 60 + Number(match[2])
}

/** The entry's slots on local day `day` (days since the epoch), as minutes after midnight, ascending. */
function slotsOn(entry: CadenceEntry, day: number): number[] {
  const date = new Date(day * DAY)
  const weekday = date.getUTCDay()
  const first = date.getUTCDate() === 1
  const at = minutesOf(entry.time)
  switch (entry.cadence) {
    case 'daily':
      return weekday >= 1 && weekday <= 5 ? [at] : []
    case 'every_day':
      return [at]
    case 'weekly':
      return WEEKDAYS[weekday] === (entry.day ?? DEFAULT_DAY) ? [at] : []
    case 'monthly':
      return first ? [at] : []
    case 'quarterly':
      return first && QUARTER_MONTHS.has(date.getUTCMonth()) ? [at] : []
    case 'yearly':
      return first && date.getUTCMonth() === 0 ? [at] : []
    case 'every_n_hours': {
      const slots: number[] = []
      const step = (entry.hours ?? 0) * 60
      if (step > 0) for (let minutes = at; minutes < 24 * 60; minutes += step) slots.push(minutes)
      return slots
    }
    default:
      return []
  }
}

function localDay(t: number, timezone: string): number {
  return Math.floor(wallAt(t, timezone) / DAY)
}

/** The most recent scheduled instant at or before `now`; undefined when none in the last 400 local days. */
export function lastOccurrence(entry: CadenceEntry, timezone: string, now: number): number | undefined {
  const today = localDay(now, timezone)
  for (let day = today; day >= today - MAX_DAYS; day--) {
    const slots = slotsOn(entry, day)
    for (let i = slots.length - 1; i >= 0; i--) {
      const t = wallToInstant(day * DAY + (slots[i] as number) * MINUTE, timezone)
      if (t <= now) return t
    }
  }
  return undefined
}

/** The first scheduled instant after `now`; undefined when none in the next 400 local days. */
export function nextOccurrence(entry: CadenceEntry, timezone: string, now: number): number | undefined {
  const today = localDay(now, timezone)
  for (let day = today; day <= today + MAX_DAYS; day++) {
    for (const minutes of slotsOn(entry, day)) {
      const t = wallToInstant(day * DAY + minutes * MINUTE, timezone)
      if (t > now) return t
    }
  }
  return undefined
}

/** Whether the entry's intent should run now: it had a slot, and no run of it finished since. */
export interface DueCheck {
  due: boolean
  /** The slot it is due for (or, when not due, the latest slot, already covered by a run). */
  occurrence: number | undefined
}

/** Due when a slot at or before `now` exists and no run of the intent finished at or after it. */
export function isDue(entry: CadenceEntry, timezone: string, now: number, lastRunFinishedAt?: number): DueCheck {
  const occurrence = lastOccurrence(entry, timezone, now)
  const due = occurrence !== undefined && (lastRunFinishedAt === undefined || lastRunFinishedAt < occurrence)
  return { due, occurrence }
}

/** The entry in words, e.g. `weekly on monday at 07:00 UTC`, `every 6 h from 00:00 UTC`. */
export function describeCadence(entry: CadenceEntry, timezone: string): string {
  const at = `${entry.time ?? DEFAULT_TIME} ${timezone}`
  switch (entry.cadence) {
    case 'daily':
      return `weekdays at ${at}`
    case 'every_day':
      return `every day at ${at}`
    case 'weekly':
      return `weekly on ${entry.day ?? DEFAULT_DAY} at ${at}`
    case 'monthly':
      return `monthly on the 1st at ${at}`
    case 'quarterly':
      return `quarterly on 1 January, April, July and October at ${at}`
    case 'yearly':
      return `yearly on 1 January at ${at}`
    case 'every_n_hours':
      return `every ${entry.hours} h from ${at}`
    default:
      return `${entry.cadence} (an unknown cadence: never due)`
  }
}
