import { describe, expect, it } from 'vitest'
import { describeCadence, isDue, lastOccurrence, nextOccurrence } from './schedule.js'

// The full table of cadences is tested where the rules are used (fleet-ops' schedules and the
// dash's fleet view); these are the contract's own edges.
const now = Date.parse('2026-11-22T12:00:00Z') // a Sunday

describe('the schedule contract', () => {
  it.each([
    ['daily', { cadence: 'daily', time: '06:00' }, '2026-11-20T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
    ['every 6 hours', { cadence: 'every_n_hours', hours: 6 }, '2026-11-22T12:00:00.000Z', '2026-11-22T18:00:00.000Z'],
    ['an unknown cadence never fires', { cadence: 'fortnightly' }, undefined, undefined],
    ['every_n_hours without hours never fires', { cadence: 'every_n_hours' }, undefined, undefined],
  ])('%s', (_name, entry, last, next) => {
    const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString())
    expect([iso(lastOccurrence(entry, 'UTC', now)), iso(nextOccurrence(entry, 'UTC', now))]).toEqual([last, next])
  })

  it('is due until a run finishes after the latest slot', () => {
    const entry = { cadence: 'every_day', time: '06:00' }
    expect(isDue(entry, 'UTC', now).due).toBe(true)
    expect(isDue(entry, 'UTC', now, Date.parse('2026-11-22T05:00:00Z')).due).toBe(true)
    expect(isDue(entry, 'UTC', now, Date.parse('2026-11-22T06:30:00Z')).due).toBe(false)
  })

  it('says an entry in words', () => {
    expect(describeCadence({ cadence: 'weekly' }, 'Europe/Berlin')).toBe('weekly on monday at 00:00 Europe/Berlin')
    expect(describeCadence({ cadence: 'fortnightly' }, 'UTC')).toBe('fortnightly (an unknown cadence: never due)')
  })
})
