// Cadences as tables of (entry, timezone, now, last run) → (due?, slot), after Renovate's
// schedule tests: weekends, month / quarter / year boundaries, hour slots, time zones either side
// of UTC and the two DST changes of Europe/Berlin.

import { describe, expect, it } from 'vitest'
import { describeCadence, isDue, nextOccurrence } from './cadence.js'
import type { ScheduleEntry } from './schema.js'

const t = (iso: string): number => Date.parse(iso)
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString())

const daily = (time?: string): ScheduleEntry => ({ intent: 'validate', cadence: 'daily', ...(time ? { time } : {}) })
const everyDay = (time?: string): ScheduleEntry => ({ intent: 'test', cadence: 'every_day', ...(time ? { time } : {}) })
const weekly = (day?: 'monday' | 'friday', time?: string): ScheduleEntry => ({ intent: 'test', cadence: 'weekly', ...(day ? { day } : {}), ...(time ? { time } : {}) })
const monthly: ScheduleEntry = { intent: 'regenerate_report', cadence: 'monthly' }
const quarterly: ScheduleEntry = { intent: 'regenerate_report', cadence: 'quarterly' }
const yearly: ScheduleEntry = { intent: 'regenerate_report', cadence: 'yearly' }
const everyHours = (hours: 1 | 6 | 12, time?: string): ScheduleEntry => ({ intent: 'gc_runs', cadence: 'every_n_hours', hours, ...(time ? { time } : {}) })

interface Row {
  label: string
  entry: ScheduleEntry
  tz: string
  now: string
  lastRun?: string
  due: boolean
  occurrence: string | undefined
}

// 2026-11-16 and 2026-11-23 are Mondays, 2026-11-20 a Friday, 2026-11-21/22 the weekend.
const rows: Row[] = [
  // daily = weekdays
  { label: 'daily, a Friday after the time', entry: daily('06:00'), tz: 'UTC', now: '2026-11-20T10:00:00.000Z', due: true, occurrence: '2026-11-20T06:00:00.000Z' },
  { label: 'daily, a Friday just before the time', entry: daily('06:00'), tz: 'UTC', now: '2026-11-20T05:59:59.999Z', due: true, occurrence: '2026-11-19T06:00:00.000Z' },
  { label: 'daily, at the time exactly', entry: daily('06:00'), tz: 'UTC', now: '2026-11-20T06:00:00.000Z', due: true, occurrence: '2026-11-20T06:00:00.000Z' },
  { label: 'daily, a Saturday: Friday is the last slot', entry: daily('06:00'), tz: 'UTC', now: '2026-11-21T10:00:00.000Z', due: true, occurrence: '2026-11-20T06:00:00.000Z' },
  { label: 'daily, Monday before the time: the weekend is skipped', entry: daily('06:00'), tz: 'UTC', now: '2026-11-23T05:00:00.000Z', due: true, occurrence: '2026-11-20T06:00:00.000Z' },
  { label: 'daily, a Sunday after a Friday run', entry: daily('06:00'), tz: 'UTC', now: '2026-11-22T12:00:00.000Z', lastRun: '2026-11-20T07:00:00.000Z', due: false, occurrence: '2026-11-20T06:00:00.000Z' },
  { label: 'daily, time left out is 00:00', entry: daily(), tz: 'UTC', now: '2026-11-20T00:00:00.000Z', due: true, occurrence: '2026-11-20T00:00:00.000Z' },
  // every_day = all seven
  { label: 'every_day, a Sunday', entry: everyDay('05:30'), tz: 'UTC', now: '2026-11-22T06:00:00.000Z', due: true, occurrence: '2026-11-22T05:30:00.000Z' },
  { label: 'every_day, a Sunday before the time: Saturday', entry: everyDay('05:30'), tz: 'UTC', now: '2026-11-22T05:29:00.000Z', due: true, occurrence: '2026-11-21T05:30:00.000Z' },
  // weekly
  { label: 'weekly, day left out is monday at 00:00', entry: weekly(), tz: 'UTC', now: '2026-11-21T10:00:00.000Z', due: true, occurrence: '2026-11-16T00:00:00.000Z' },
  { label: 'weekly friday, just before the slot: last week', entry: weekly('friday', '05:00'), tz: 'UTC', now: '2026-11-20T04:59:59.999Z', due: true, occurrence: '2026-11-13T05:00:00.000Z' },
  { label: 'weekly friday, at the slot', entry: weekly('friday', '05:00'), tz: 'UTC', now: '2026-11-20T05:00:00.000Z', due: true, occurrence: '2026-11-20T05:00:00.000Z' },
  { label: 'weekly monday, ran since', entry: weekly('monday', '07:00'), tz: 'UTC', now: '2026-11-21T10:00:00.000Z', lastRun: '2026-11-16T07:02:10.212Z', due: false, occurrence: '2026-11-16T07:00:00.000Z' },
  // monthly / quarterly / yearly
  { label: 'monthly, the 1st at midnight', entry: monthly, tz: 'UTC', now: '2026-12-01T00:00:00.000Z', due: true, occurrence: '2026-12-01T00:00:00.000Z' },
  { label: 'monthly, the last minute of the month', entry: monthly, tz: 'UTC', now: '2026-11-30T23:59:59.999Z', due: true, occurrence: '2026-11-01T00:00:00.000Z' },
  { label: 'monthly, across a year end', entry: monthly, tz: 'UTC', now: '2027-01-01T00:00:00.000Z', due: true, occurrence: '2027-01-01T00:00:00.000Z' },
  { label: 'quarterly, mid-November: 1 October', entry: quarterly, tz: 'UTC', now: '2026-11-21T10:00:00.000Z', due: true, occurrence: '2026-10-01T00:00:00.000Z' },
  { label: 'quarterly, just before 1 October: 1 July', entry: quarterly, tz: 'UTC', now: '2026-09-30T23:59:59.999Z', due: true, occurrence: '2026-07-01T00:00:00.000Z' },
  { label: 'quarterly, 1 January', entry: quarterly, tz: 'UTC', now: '2026-01-01T00:00:00.000Z', due: true, occurrence: '2026-01-01T00:00:00.000Z' },
  { label: 'quarterly, 1 November is not a quarter', entry: quarterly, tz: 'UTC', now: '2026-11-01T12:00:00.000Z', lastRun: '2026-10-01T01:00:00.000Z', due: false, occurrence: '2026-10-01T00:00:00.000Z' },
  { label: 'yearly, 1 January', entry: yearly, tz: 'UTC', now: '2026-01-01T00:00:00.000Z', due: true, occurrence: '2026-01-01T00:00:00.000Z' },
  { label: 'yearly, New Year\'s Eve: last year', entry: yearly, tz: 'UTC', now: '2025-12-31T23:59:59.999Z', due: true, occurrence: '2025-01-01T00:00:00.000Z' },
  { label: 'yearly, ran in January', entry: yearly, tz: 'UTC', now: '2026-11-21T10:00:00.000Z', lastRun: '2026-01-02T09:00:00.000Z', due: false, occurrence: '2026-01-01T00:00:00.000Z' },
  // every_n_hours
  { label: 'every 6 h, at a slot', entry: everyHours(6), tz: 'UTC', now: '2026-11-21T12:00:00.000Z', due: true, occurrence: '2026-11-21T12:00:00.000Z' },
  { label: 'every 6 h, just before a slot', entry: everyHours(6), tz: 'UTC', now: '2026-11-21T11:59:59.999Z', due: true, occurrence: '2026-11-21T06:00:00.000Z' },
  { label: 'every 6 h, ran after the 06:00 slot', entry: everyHours(6), tz: 'UTC', now: '2026-11-21T11:00:00.000Z', lastRun: '2026-11-21T06:30:00.000Z', due: false, occurrence: '2026-11-21T06:00:00.000Z' },
  { label: 'every 12 h from 01:30, before the first slot: yesterday 13:30', entry: everyHours(12, '01:30'), tz: 'UTC', now: '2026-11-21T01:00:00.000Z', due: true, occurrence: '2026-11-20T13:30:00.000Z' },
  // time zones
  { label: 'Asia/Tokyo daily: Monday 06:00 JST is Sunday in UTC', entry: daily('06:00'), tz: 'Asia/Tokyo', now: '2026-11-22T21:30:00.000Z', due: true, occurrence: '2026-11-22T21:00:00.000Z' },
  { label: 'Asia/Tokyo daily: Saturday morning JST is Friday in UTC', entry: daily('06:00'), tz: 'Asia/Tokyo', now: '2026-11-20T20:00:00.000Z', due: true, occurrence: '2026-11-19T21:00:00.000Z' },
  { label: 'America/New_York weekly friday 20:00 is Saturday in UTC', entry: weekly('friday', '20:00'), tz: 'America/New_York', now: '2026-11-21T02:00:00.000Z', due: true, occurrence: '2026-11-21T01:00:00.000Z' },
  { label: 'America/New_York monthly, before local midnight of the 1st', entry: monthly, tz: 'America/New_York', now: '2026-12-01T04:59:59.999Z', due: true, occurrence: '2026-11-01T04:00:00.000Z' },
  { label: 'America/New_York monthly, local midnight of the 1st', entry: monthly, tz: 'America/New_York', now: '2026-12-01T05:00:00.000Z', due: true, occurrence: '2026-12-01T05:00:00.000Z' },
  // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
  { label: 'Berlin spring forward: 02:30 does not exist, 03:00 CEST', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-03-29T01:00:00.000Z', due: true, occurrence: '2026-03-29T01:00:00.000Z' },
  { label: 'Berlin spring forward: just before, the day before (CET)', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-03-29T00:59:59.999Z', due: true, occurrence: '2026-03-28T01:30:00.000Z' },
  { label: 'Berlin the day after spring forward (CEST)', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-03-30T12:00:00.000Z', due: true, occurrence: '2026-03-30T00:30:00.000Z' },
  { label: 'Berlin fall back: 02:30 twice, the first (CEST)', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-10-25T00:30:00.000Z', due: true, occurrence: '2026-10-25T00:30:00.000Z' },
  { label: 'Berlin fall back: the second 02:30 is no new slot', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-10-25T01:45:00.000Z', lastRun: '2026-10-25T00:40:00.000Z', due: false, occurrence: '2026-10-25T00:30:00.000Z' },
  { label: 'Berlin fall back: just before, the day before', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-10-25T00:29:59.999Z', due: true, occurrence: '2026-10-24T00:30:00.000Z' },
  { label: 'Berlin every hour through the gap', entry: everyHours(1), tz: 'Europe/Berlin', now: '2026-03-29T01:30:00.000Z', due: true, occurrence: '2026-03-29T01:00:00.000Z' },
  // the last run against the slot
  { label: 'a run that finished exactly at the slot covers it', entry: weekly('monday', '07:00'), tz: 'UTC', now: '2026-11-16T09:00:00.000Z', lastRun: '2026-11-16T07:00:00.000Z', due: false, occurrence: '2026-11-16T07:00:00.000Z' },
  { label: 'a run that finished 1 ms before the slot does not', entry: weekly('monday', '07:00'), tz: 'UTC', now: '2026-11-16T09:00:00.000Z', lastRun: '2026-11-16T06:59:59.999Z', due: true, occurrence: '2026-11-16T07:00:00.000Z' },
]

describe('isDue', () => {
  it.each(rows)('$label', ({ entry, tz, now, lastRun, due, occurrence }) => {
    const result = isDue(entry, tz, t(now), lastRun === undefined ? undefined : t(lastRun))
    expect({ due: result.due, occurrence: iso(result.occurrence) }).toEqual({ due, occurrence })
  })

  it('throws a RangeError for an unknown time zone', () => {
    expect(() => isDue(daily(), 'Mars/Olympus_Mons', t('2026-11-21T00:00:00.000Z'))).toThrow(RangeError)
  })
})

describe('nextOccurrence', () => {
  it.each([
    { label: 'daily on a Saturday: Monday', entry: daily('06:00'), tz: 'UTC', now: '2026-11-21T10:00:00.000Z', next: '2026-11-23T06:00:00.000Z' },
    { label: 'at a slot: the one after', entry: everyHours(6), tz: 'UTC', now: '2026-11-21T12:00:00.000Z', next: '2026-11-21T18:00:00.000Z' },
    { label: 'quarterly in November: 1 January', entry: quarterly, tz: 'Europe/Berlin', now: '2026-11-21T10:00:00.000Z', next: '2026-12-31T23:00:00.000Z' },
    { label: 'Berlin spring forward gap', entry: everyDay('02:30'), tz: 'Europe/Berlin', now: '2026-03-28T12:00:00.000Z', next: '2026-03-29T01:00:00.000Z' },
  ])('$label', ({ entry, tz, now, next }) => {
    expect(iso(nextOccurrence(entry, tz, t(now)))).toBe(next)
  })
})

describe('describeCadence', () => {
  it.each([
    [daily('06:00'), 'Europe/Berlin', 'weekdays at 06:00 Europe/Berlin'],
    [everyDay('05:30'), 'UTC', 'every day at 05:30 UTC'],
    [weekly(undefined, '07:00'), 'UTC', 'weekly on monday at 07:00 UTC'],
    [weekly('friday'), 'UTC', 'weekly on friday at 00:00 UTC'],
    [monthly, 'UTC', 'monthly on the 1st at 00:00 UTC'],
    [quarterly, 'UTC', 'quarterly on 1 January, April, July and October at 00:00 UTC'],
    [yearly, 'Asia/Tokyo', 'yearly on 1 January at 00:00 Asia/Tokyo'],
    [everyHours(6), 'UTC', 'every 6 h from 00:00 UTC'],
  ])('%j in %s', (entry, tz, text) => {
    expect(describeCadence(entry, tz)).toBe(text)
  })
})
