// When a schedule entry last fired and fires next, for "next scheduled work" and "due". The rules
// are the kernel's schedule contract (@oraclekit/kernel/contracts/schedule), the same functions
// fleet-ops plans with, so the dash and the planner never disagree about what is due.

import { type CadenceEntry as ContractEntry, isTimeZone, lastOccurrence, nextOccurrence } from '@oraclekit/kernel/contracts/schedule'

export { isTimeZone }

/** A schedule entry as the dash reads it (tolerantly: any cadence word, any extra keys). */
export interface CadenceEntry extends ContractEntry {
  intent: string
}

export interface Occurrences {
  /** The latest slot at or before now. */
  last: number | undefined
  /** The first slot after now. */
  next: number | undefined
}

/** The entry's slots around `now`; both undefined for an unknown cadence, a malformed time, or none within 400 days. */
export function occurrences(entry: CadenceEntry, timezone: string, now: number): Occurrences {
  try {
    return { last: lastOccurrence(entry, timezone, now), next: nextOccurrence(entry, timezone, now) }
  } catch {
    // a time that is not HH:MM: the panel shows the entry without slots
    return { last: undefined, next: undefined }
  }
}
