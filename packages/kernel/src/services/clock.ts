/** The time source of the kernel; tests and reproducible runs inject a fixed one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** ISO-8601 UTC timestamp of `now()`. */
  iso(): string
  /** True when time does not flow by itself (fixed or manual clocks); workers then get `now()` from it. */
  readonly pinned?: boolean
}

export const systemClock: Clock = {
  now: () => Date.now(),
  iso: () => new Date().toISOString(),
}

function toEpoch(at: string | number | Date): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at)
  if (!Number.isFinite(ms)) throw new TypeError(`Not a valid time: ${String(at)}`)
  return ms
}

/** A clock that always answers the same instant. */
export function fixedClock(at: string | number | Date): Clock {
  const ms = toEpoch(at)
  const iso = new Date(ms).toISOString()
  return { now: () => ms, iso: () => iso, pinned: true }
}

/** A clock moved by hand, for tests of schedules, backoff and timeouts. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  set(at: string | number | Date): void
}

export function manualClock(start: string | number | Date = 0): ManualClock {
  let ms = toEpoch(start)
  return {
    pinned: true,
    now: () => ms,
    iso: () => new Date(ms).toISOString(),
    advance: (delta) => {
      ms += delta
    },
    set: (at) => {
      ms = toEpoch(at)
    },
  }
}

/**
 * `ORACLE_NOW=<ISO time>` pins the clock of a whole CLI invocation, so that artifacts written by
 * e2e tests and reproducible runs carry the same timestamps.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const pinned = env.ORACLE_NOW
  return pinned ? fixedClock(pinned) : systemClock
}
