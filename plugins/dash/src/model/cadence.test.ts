import { describe, expect, it } from 'vitest'
import { isTimeZone, occurrences } from './cadence.js'
import { layoutDag } from './dag-layout.js'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())
const around = (entry: Parameters<typeof occurrences>[0], tz: string, now: string) => {
  const o = occurrences(entry, tz, at(now))
  return [iso(o.last), iso(o.next)]
}

describe('schedule occurrences (fleet-ops cadences)', () => {
  it('daily is weekdays; every_day all seven days', () => {
    // 2026-11-22 is a Sunday.
    expect(around({ intent: 'v', cadence: 'daily', time: '06:00' }, 'UTC', '2026-11-22T12:00:00Z')).toEqual(['2026-11-20T06:00:00.000Z', '2026-11-23T06:00:00.000Z'])
    expect(around({ intent: 'v', cadence: 'every_day', time: '06:00' }, 'UTC', '2026-11-22T12:00:00Z')).toEqual(['2026-11-22T06:00:00.000Z', '2026-11-23T06:00:00.000Z'])
  })

  it('weekly, monthly, quarterly, yearly and every N hours, in the file’s timezone', () => {
    expect(around({ intent: 't', cadence: 'weekly', day: 'friday', time: '05:00' }, 'Europe/Berlin', '2026-11-22T12:00:00Z')).toEqual(['2026-11-20T04:00:00.000Z', '2026-11-27T04:00:00.000Z'])
    expect(around({ intent: 'r', cadence: 'monthly' }, 'Europe/Berlin', '2026-11-22T12:00:00Z')).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'])
    expect(around({ intent: 'r', cadence: 'quarterly' }, 'UTC', '2026-11-22T12:00:00Z')).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'])
    expect(around({ intent: 'r', cadence: 'yearly', time: '01:00' }, 'UTC', '2026-11-22T12:00:00Z')).toEqual(['2026-01-01T01:00:00.000Z', '2027-01-01T01:00:00.000Z'])
    expect(around({ intent: 'g', cadence: 'every_n_hours', hours: 6 }, 'UTC', '2026-11-22T13:00:00Z')).toEqual(['2026-11-22T12:00:00.000Z', '2026-11-22T18:00:00.000Z'])
  })

  it('a time skipped by daylight saving fires at the first instant after the gap', () => {
    // 2026-03-29 in Berlin: 02:00 jumps to 03:00 (01:00Z).
    expect(around({ intent: 'v', cadence: 'every_day', time: '02:30' }, 'Europe/Berlin', '2026-03-29T00:30:00Z')[1]).toBe('2026-03-29T01:00:00.000Z')
  })

  it('an unknown cadence has no occurrences; an unknown zone is not a zone', () => {
    expect(occurrences({ intent: 'v', cadence: 'hourly' }, 'UTC', at('2026-11-22T12:00:00Z'))).toEqual({ last: undefined, next: undefined })
    expect(isTimeZone('Mars/Olympus')).toBe(false)
    expect(isTimeZone('Europe/Berlin')).toBe(true)
  })
})

describe('DAG layout', () => {
  it('puts each task one layer right of its deepest dependency, ordered by its dependencies', () => {
    const { at: placed, width, height } = layoutDag([
      { id: 'A', dependencies: [] },
      { id: 'B', dependencies: ['A'] },
      { id: 'C', dependencies: ['A'] },
      { id: 'D', dependencies: ['B', 'C'] },
      { id: 'E', dependencies: ['A', 'D'] },
    ])
    expect([...placed].map(([id, p]) => [id, p.layer])).toEqual([
      ['A', 0],
      ['B', 1],
      ['C', 1],
      ['D', 2],
      ['E', 3],
    ])
    expect(placed.get('B')!.y).toBeLessThan(placed.get('C')!.y)
    expect(width).toBeGreaterThan(placed.get('E')!.x)
    expect(height).toBeGreaterThan(placed.get('C')!.y)
  })

  it('survives a cycle and unknown ids, and gives the same layout every time', () => {
    const tasks = [
      { id: 'X', dependencies: ['Z', 'missing'] },
      { id: 'Y', dependencies: ['X'] },
      { id: 'Z', dependencies: ['Y'] },
    ]
    const first = layoutDag(tasks)
    expect(first.at.size).toBe(3)
    expect(JSON.stringify([...layoutDag(tasks).at])).toBe(JSON.stringify([...first.at]))
  })
})
