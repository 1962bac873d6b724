import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type Static, manualClock } from '@oraclekit/kernel'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InterventionRecord, OracleStats } from '../types.js'
import { type InterventionRecordSchema, type TrackedIntervention } from './schema.js'
import { InterventionTracker, type NewIntervention, computeStats } from './tracker.js'

// The schema and types.ts describe the same record (plus notDelivered): a drift fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const schemaMatchesContract: Same<Omit<Static<typeof InterventionRecordSchema>, 'notDelivered'>, InterventionRecord> = true

let ws: TempWorkspace
beforeEach(async () => {
  ws = await createTempWorkspace({ prefix: 'df-tracker-' })
})
afterEach(async () => {
  await ws.cleanup()
})

const base: NewIntervention = { taskId: 't1', worker: 'w1', classification: 'technical_error', type: 'guidance', contextSummary: 'ctx', action: 'guidance written', outcome: 'pending' }

function rec(partial: Partial<TrackedIntervention>): TrackedIntervention {
  return { id: 'int-1', timestamp: '2026-11-21T10:00:00.000Z', ...base, ...partial }
}

describe('InterventionTracker', () => {
  it('records with int-<n> ids and the clock’s timestamp, in a stable file', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z')
    const tracker = new InterventionTracker(ws.dir, { clock })
    expect(await tracker.record(base)).toBe('int-1')
    clock.advance(1000)
    expect(await tracker.record({ ...base, taskId: 't2' })).toBe('int-2')
    const file = JSON.parse(await ws.read('.devfactory/oracle/interventions.json'))
    expect(file.version).toBe(1)
    expect(file.lastId).toBe(2)
    expect(file.records.map((r: TrackedIntervention) => [r.id, r.taskId, r.timestamp])).toEqual([
      ['int-1', 't1', '2026-11-21T10:00:00.000Z'],
      ['int-2', 't2', '2026-11-21T10:00:01.000Z'],
    ])
    expect(schemaMatchesContract).toBe(true)
  })

  it('keeps only the newest maxHistory records, and never reuses an id', async () => {
    const tracker = new InterventionTracker(ws.dir, { maxHistory: 3, clock: manualClock(0) })
    for (let i = 1; i <= 5; i++) await tracker.record({ ...base, taskId: `t${i}` })
    expect((await tracker.list()).map((r) => r.id)).toEqual(['int-3', 'int-4', 'int-5'])
    expect(await tracker.record(base)).toBe('int-6')
  })

  it('updates an outcome; false for an unknown id', async () => {
    const tracker = new InterventionTracker(ws.dir, { clock: manualClock(0) })
    const id = await tracker.record(base)
    expect(await tracker.updateOutcome(id, 'resolved', 1234.4)).toBe(true)
    expect(await tracker.updateOutcome('int-99', 'failed')).toBe(false)
    expect(await tracker.getForTask('t1')).toMatchObject([{ id, outcome: 'resolved', resolutionTime: 1234 }])
  })

  it('returns history newest first and a task’s records oldest first', async () => {
    const tracker = new InterventionTracker(ws.dir, { clock: manualClock(0) })
    for (const taskId of ['a', 'b', 'a', 'c']) await tracker.record({ ...base, taskId })
    expect((await tracker.getHistory(2)).map((r) => r.id)).toEqual(['int-4', 'int-3'])
    expect((await tracker.getHistory()).map((r) => r.id)).toEqual(['int-4', 'int-3', 'int-2', 'int-1'])
    expect(await tracker.getHistory(0)).toEqual([])
    expect((await tracker.getForTask('a')).map((r) => r.id)).toEqual(['int-1', 'int-3'])
  })

  it('serialises concurrent writers (watch and intervene) through the lock', async () => {
    const one = new InterventionTracker(ws.dir)
    const two = new InterventionTracker(ws.dir)
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).record({ ...base, taskId: `t${i}` })))
    expect(new Set(ids).size).toBe(8)
    expect(await one.list()).toHaveLength(8)
  })

  it('reads a missing file as an empty history', async () => {
    const tracker = new InterventionTracker(ws.dir, { dir: 'custom' })
    expect(tracker.file).toBe('custom/oracle/interventions.json')
    expect(await tracker.list()).toEqual([])
    expect((await tracker.getStats()).totalInterventions).toBe(0)
  })

  it.each([
    ['broken JSON', '{\n  "version": 1,\n  "lastId": 2,\n  "records": [,]\n}\n', 4, /not valid JSON/],
    ['wrong outcome', `{\n  "version": 1,\n  "lastId": 1,\n  "records": [\n    ${JSON.stringify(rec({ outcome: 'done' as never }))}\n  ]\n}\n`, 5, /outcome/],
    ['duplicate id', `{\n  "version": 1,\n  "lastId": 1,\n  "records": [\n    ${JSON.stringify(rec({}))},\n    ${JSON.stringify(rec({}))}\n  ]\n}\n`, 6, /int-1 appears twice/],
    ['id above lastId', `{"version": 1,\n"lastId": 0,\n"records": [${JSON.stringify(rec({}))}]}`, 3, /above lastId 0/],
  ])('refuses a malformed file (%s) with file and line, and writes nothing', async (_name, text, line, message) => {
    const tracker = new InterventionTracker(ws.dir)
    await mkdir(dirname(tracker.path), { recursive: true })
    await writeFile(tracker.path, text)
    const error = await tracker.list().catch((e: unknown) => e as any)
    expect(error.code).toBe('ORACLE_DEVFACTORY_INTERVENTIONS_INVALID')
    expect(error.file).toBe('.devfactory/oracle/interventions.json')
    expect(error.line).toBe(line)
    expect(error.message).toMatch(message)
    await expect(tracker.record(base)).rejects.toMatchObject({ code: 'ORACLE_DEVFACTORY_INTERVENTIONS_INVALID' })
    expect(await readFile(tracker.path, 'utf8')).toBe(text)
  })
})

describe('computeStats', () => {
  const zero = { technical_error: 0, missing_dependency: 0, environment_issue: 0, unclear_requirements: 0, infinite_loop: 0 }
  it.each<[string, TrackedIntervention[], OracleStats]>([
    ['no records', [], { totalInterventions: 0, successRate: 0, avgResolutionTime: 0, byClassification: zero, takeoverRate: 0 }],
    ['only pending: no success rate yet', [rec({}), rec({ id: 'int-2' })], { totalInterventions: 2, successRate: 0, avgResolutionTime: 0, byClassification: { ...zero, technical_error: 2 }, takeoverRate: 0 }],
    [
      'mixed outcomes',
      [
        rec({ outcome: 'resolved', resolutionTime: 1000 }),
        rec({ id: 'int-2', outcome: 'resolved', resolutionTime: 3000, classification: 'infinite_loop' }),
        rec({ id: 'int-3', outcome: 'failed', type: 'takeover', classification: 'environment_issue' }),
        rec({ id: 'int-4', outcome: 'escalated', type: 'escalation', classification: 'unclear_requirements' }),
        rec({ id: 'int-5', outcome: 'pending' }),
      ],
      { totalInterventions: 5, successRate: 0.5, avgResolutionTime: 2000, byClassification: { ...zero, technical_error: 2, infinite_loop: 1, environment_issue: 1, unclear_requirements: 1 }, takeoverRate: 0.2 },
    ],
    [
      'a resolved record without a time is not averaged',
      [rec({ outcome: 'resolved' }), rec({ id: 'int-2', outcome: 'resolved', resolutionTime: 500, type: 'takeover' })],
      { totalInterventions: 2, successRate: 1, avgResolutionTime: 500, byClassification: { ...zero, technical_error: 2 }, takeoverRate: 0.5 },
    ],
  ])('%s', (_name, records, expected) => {
    expect(computeStats(records)).toEqual(expected)
  })
})
