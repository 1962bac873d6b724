import { realpath } from 'node:fs/promises'
import { manualClock } from '@oraclekit/kernel'
import { createTempWorkspace } from '@oraclekit/kernel/testing'
import { describe, expect, it } from 'vitest'
import type { TrackedIntervention } from '../tracker/schema.js'
import { InterventionTracker } from '../tracker/tracker.js'
import type { BeastState, TaskStatus, WorkerStatus } from '../types.js'
import { judgePending, resolvePending } from './resolve.js'

const T0 = '2026-11-21T10:00:00.000Z'
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()
const record: TrackedIntervention = { id: 'int-1', timestamp: T0, taskId: '1.2', worker: 'w1', classification: 'technical_error', type: 'guidance', contextSummary: '', action: '', outcome: 'pending' }

function state(task?: [TaskStatus, number], worker?: [WorkerStatus, number]): BeastState {
  return {
    version: 1,
    workers: worker ? { w1: { id: 'w1', status: worker[0], status_since: at(worker[1]), activity: [] } } : {},
    tasks: task ? { '1.2': { id: '1.2', status: task[0], status_since: at(task[1]) } } : {},
  }
}

describe('judgePending', () => {
  it.each<[string, BeastState, number, string | undefined, number | undefined]>([
    ['task completed 7 min later → resolved', state(['complete', 7], ['idle', 7]), 9, 'resolved', 7 * 60_000],
    ['worker stuck again after the guidance → failed', state(['in_progress', -5], ['stuck', 3]), 4, 'failed', undefined],
    ['task stuck again after the guidance → failed', state(['stuck', 2]), 3, 'failed', undefined],
    ['still stuck since before, within the grace → pending', state(['in_progress', -5], ['stuck', -12]), 4, undefined, undefined],
    ['still stuck since before, grace over → failed', state(['in_progress', -5], ['stuck', -12]), 5, 'failed', undefined],
    ['worker went back to work → pending, however long', state(['in_progress', -5], ['working', 1]), 60, undefined, undefined],
    ['handed to a person → failed', state(['needs_human', 2]), 3, 'failed', undefined],
    ['task and worker gone, grace over → failed', state(), 6, 'failed', undefined],
  ])('%s', (_name, s, nowMinutes, outcome, resolutionTime) => {
    const change = judgePending(record, s, Date.parse(at(nowMinutes)))
    expect(change?.outcome).toBe(outcome)
    expect(change?.resolutionTime).toBe(resolutionTime)
  })

  it.each<[string, Partial<TrackedIntervention>]>([
    ['a takeover', { type: 'takeover' }],
    ['an already failed guidance', { outcome: 'failed' }],
    ['an undelivered guidance', { notDelivered: 'timeout' }],
  ])('leaves %s alone', (_name, partial) => {
    expect(judgePending({ ...record, ...partial }, state(['complete', 1]), Date.parse(at(60)))).toBeUndefined()
  })
})

describe('resolvePending', () => {
  it('writes the outcomes to the tracker', async () => {
    const ws = await createTempWorkspace({ prefix: 'df-resolve-' })
    try {
      const tracker = new InterventionTracker(await realpath(ws.dir), { clock: manualClock(T0) })
      await tracker.record({ ...record, taskId: '1.2' })
      await tracker.record({ ...record, taskId: '7.7' })
      const changes = await resolvePending(state(['complete', 3]), tracker, Date.parse(at(4)), { graceMs: 30 * 60_000 })
      expect(changes).toEqual([{ id: 'int-1', taskId: '1.2', outcome: 'resolved', resolutionTime: 180_000, reason: 'the task is complete' }])
      expect((await tracker.list()).map((r) => [r.id, r.outcome, r.resolutionTime])).toEqual([
        ['int-1', 'resolved', 180_000],
        ['int-2', 'pending', undefined],
      ])
    } finally {
      await ws.cleanup()
    }
  })
})
