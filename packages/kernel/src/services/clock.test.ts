import { describe, expect, it } from 'vitest'
import { clockFromEnv, fixedClock, manualClock, systemClock } from './clock.js'

const ISO = '2024-05-01T12:00:00.000Z'
const MS = Date.parse(ISO)

describe('fixedClock', () => {
  it.each([
    ['an ISO string', ISO],
    ['an ISO string with an offset', '2024-05-01T14:00:00+02:00'],
    ['epoch milliseconds', MS],
    ['a Date', new Date(MS)],
  ])('is pinned to %s', (_what, at) => {
    const clock = fixedClock(at)
    expect(clock.pinned).toBe(true)
    expect(clock.now()).toBe(MS)
    expect(clock.iso()).toBe(ISO)
  })

  it('answers the same instant however much real time passes', async () => {
    const clock = fixedClock(ISO)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect([clock.now(), clock.iso()]).toEqual([MS, ISO])
  })

  it.each([['not a date'], [''], [Number.NaN], [Number.POSITIVE_INFINITY], [new Date(Number.NaN)]])('refuses the invalid time %j', (at) => {
    expect(() => fixedClock(at)).toThrow(TypeError)
    expect(() => fixedClock(at)).toThrow(/Not a valid time/)
  })
})

describe('manualClock', () => {
  it('starts at the epoch by default and is pinned', () => {
    const clock = manualClock()
    expect(clock.pinned).toBe(true)
    expect(clock.now()).toBe(0)
    expect(clock.iso()).toBe('1970-01-01T00:00:00.000Z')
  })

  it('moves only when advanced or set', () => {
    const clock = manualClock(ISO)
    expect(clock.now()).toBe(MS)
    clock.advance(1_500)
    expect(clock.now()).toBe(MS + 1_500)
    expect(clock.iso()).toBe('2024-05-01T12:00:01.500Z')
    clock.advance(-500)
    expect(clock.iso()).toBe('2024-05-01T12:00:01.000Z')
    clock.set('2030-01-01T00:00:00Z')
    expect(clock.iso()).toBe('2030-01-01T00:00:00.000Z')
    clock.set(0)
    expect(clock.now()).toBe(0)
  })

  it('refuses an invalid start or set, keeping its time', () => {
    expect(() => manualClock('yesterday-ish')).toThrow(/Not a valid time/)
    const clock = manualClock(ISO)
    expect(() => clock.set('nope')).toThrow(TypeError)
    expect(clock.iso()).toBe(ISO)
  })
})

describe('systemClock', () => {
  it('follows real time and is not pinned', () => {
    const before = Date.now()
    const now = systemClock.now()
    const iso = Date.parse(systemClock.iso())
    const after = Date.now()
    expect(systemClock.pinned).toBeUndefined()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(after)
    expect(iso).toBeGreaterThanOrEqual(before)
    expect(iso).toBeLessThanOrEqual(after)
  })
})

describe('clockFromEnv', () => {
  it.each([
    ['no ORACLE_NOW', {}],
    ['an empty ORACLE_NOW', { ORACLE_NOW: '' }],
  ])('is the system clock with %s', (_what, env) => {
    expect(clockFromEnv(env)).toBe(systemClock)
  })

  it('is pinned to ORACLE_NOW', () => {
    const clock = clockFromEnv({ ORACLE_NOW: '2024-05-01T12:00:00Z' })
    expect(clock.pinned).toBe(true)
    expect(clock.iso()).toBe(ISO)
    expect(clock.now()).toBe(MS)
  })

  it('refuses an ORACLE_NOW that is not a time', () => {
    expect(() => clockFromEnv({ ORACLE_NOW: 'tomorrow' })).toThrow('Not a valid time: tomorrow')
  })
})
