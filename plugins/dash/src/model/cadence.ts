// When a schedule entry last fired and fires next, for "next scheduled work" and "due". The rules
// are fleet-ops' (docs/plugins/fleet-ops.md, "Schedules"): Dependabot's cadence words, a local
// time in the file's IANA timezone, a time skipped by DST fires at the first instant after the
// gap. Plugins never import each other, so the dash keeps this small reader of the same contract.

export interface CadenceEntry {
  intent: string
  cadence: string
  time?: string
  day?: string
  hours?: number
}

const MINUTE = 60_000
const DAY = 86_400_000
const SEARCH_DAYS = 400
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const formatters = new Map<string, Intl.DateTimeFormat>()

/** Throws a RangeError for a zone Intl does not know. */
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formatters.set(timezone, format)
  }
  return format
}

/** Local wall time of instant t, written as UTC ms. */
function wallAt(t: number, timezone: string): number {
  const p: Record<string, number> = {}
  for (const part of formatter(timezone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
}

const offsetAt = (t: number, timezone: string): number => wallAt(Math.floor(t / 1000) * 1000, timezone) - Math.floor(t / 1000) * 1000

function wallToInstant(wall: number, timezone: string): number {
  const before = offsetAt(wall - DAY, timezone)
  const after = offsetAt(wall + DAY, timezone)
  if (before === after) return wall - before
  const valid = [wall - before, wall - after].filter((t) => offsetAt(t, timezone) === wall - t)
  if (valid.length > 0) return Math.min(...valid)
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

function slotsOn(entry: CadenceEntry, day: number): number[] {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(entry.time ?? '00:00')
  if (!match) return []
  const at = Number(match[1]) * 60 + Number(match[2])
  const date = new Date(day * DAY)
  const weekday = date.getUTCDay()
  const first = date.getUTCDate() === 1
  switch (entry.cadence) {
    case 'daily':
      return weekday >= 1 && weekday <= 5 ? [at] : []
    case 'every_day':
      return [at]
    case 'weekly':
      return WEEKDAYS[weekday] === (entry.day ?? 'monday') ? [at] : []
    case 'monthly':
      return first ? [at] : []
    case 'quarterly':
      return first && date.getUTCMonth() % 3 === 0 ? [at] : []
    case 'yearly':
      return first && date.getUTCMonth() === 0 ? [at] : []
    case 'every_n_hours': {
      const step = (entry.hours ?? 0) * 60
      if (!(step > 0)) return []
      const slots: number[] = []
      for (let m = at; m < 24 * 60; m += step) slots.push(m)
      return slots
    }
    default:
      return []
  }
}

export interface Occurrences {
  /** The latest slot at or before now. */
  last: number | undefined
  /** The first slot after now. */
  next: number | undefined
}

/** The entry's slots around `now`; both undefined for an unknown cadence (or none within 400 days). */
export function occurrences(entry: CadenceEntry, timezone: string, now: number): Occurrences {
  const today = Math.floor(wallAt(now, timezone) / DAY)
  let last: number | undefined
  let next: number | undefined
  for (let day = today; day >= today - SEARCH_DAYS && last === undefined; day--) {
    const slots = slotsOn(entry, day)
    for (let i = slots.length - 1; i >= 0 && last === undefined; i--) {
      const t = wallToInstant(day * DAY + (slots[i] as number) * MINUTE, timezone)
      if (t <= now) last = t
    }
  }
  for (let day = today; day <= today + SEARCH_DAYS && next === undefined; day++) {
    for (const minutes of slotsOn(entry, day)) {
      const t = wallToInstant(day * DAY + minutes * MINUTE, timezone)
      if (t > now) {
        next = t
        break
      }
    }
  }
  return { last, next }
}

/** True when Intl knows the zone. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone)
    return true
  } catch {
    return false
  }
}
