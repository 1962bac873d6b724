// The detector's rules as a table over one worker at a fixed time, then the list: order,
// determinism, and no mutation of the state.

import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { DevfactoryOptions } from '../options.js'
import type { ActivityEntry, BeastState, TaskState, WorkerState } from '../types.js'
import { type DetectorConfig, detectStuck, formatDuration } from './detector.js'

const CONFIG: DetectorConfig = checkValue<DevfactoryOptions>(DevfactoryOptions, {}).value
const NOW = Date.parse('2026-11-20T10:20:00Z')
const t = (hhmmss: string) => `2026-11-20T${hhmmss}Z`
const MIN = 60_000

const action = (at: string, tool = 'bash', input: unknown = { cmd: `echo ${at}` }, result: { output?: string; error?: string } = { output: 'ok' }): ActivityEntry => ({ kind: 'action', at: t(at), tool, input, ...result })
const failing = (at: string): ActivityEntry => action(at, 'bash', { cmd: 'npm test' }, { error: "Error: Cannot find module 'bcrypt'" })

function worker(over: Partial<WorkerState> = {}): WorkerState {
  return { id: 'w1', status: 'working', task_id: 'T1', status_since: t('10:00:00'), last_heartbeat: t('10:19:00'), activity: [action('10:18:00')], ...over }
}

const verdict = (w: WorkerState, task: Partial<TaskState> = {}) => detectStuck({ version: 1, workers: { [w.id]: w }, tasks: { T1: { id: 'T1', status: 'in_progress', ...task } } }, NOW, CONFIG)[0]

describe('one worker', () => {
  it.each<{ name: string; worker: WorkerState; task?: Partial<TaskState>; stuck: boolean; duration?: number; reason?: RegExp }>([
    { name: 'healthy: fresh heartbeat, recent activity', worker: worker(), stuck: false },
    { name: 'no heartbeat for 15 min', worker: worker({ last_heartbeat: t('10:05:00'), activity: [action('10:17:00')] }), stuck: true, duration: 3 * MIN, reason: /^no heartbeat for 15 min \(threshold 10 min\)$/ },
    { name: 'heartbeat exactly 10 min old', worker: worker({ last_heartbeat: t('10:10:00') }), stuck: false },
    { name: 'never a heartbeat, recent activity', worker: worker({ last_heartbeat: undefined }), stuck: false },
    { name: 'never a heartbeat, silent for 20 min', worker: worker({ last_heartbeat: undefined, activity: [] }), stuck: true, duration: 20 * MIN, reason: /^working with no progress for 20 min/ },
    { name: 'implicit: working, nothing new for 10 min', worker: worker({ activity: [action('10:10:00')] }), stuck: true, duration: 10 * MIN, reason: /^working with no progress for 10 min \(threshold 5 min\)$/ },
    { name: 'implicit: exactly 5 min is not past it', worker: worker({ activity: [action('10:15:00')] }), stuck: false },
    { name: 'implicit: a recent status change is progress', worker: worker({ status_since: t('10:17:00'), activity: [action('10:01:00')] }), stuck: false },
    { name: 'waiting with no process, 18 min', worker: worker({ status: 'waiting', status_since: t('10:02:00'), activity: [] }), stuck: true, duration: 18 * MIN, reason: /^waiting with no progress for 18 min/ },
    {
      name: 'waiting on a long process with a fresh heartbeat',
      worker: worker({ status: 'waiting', status_since: t('10:02:00'), waiting_on: { command: 'npm run e2e', since: t('10:02:00') }, last_heartbeat: t('10:19:50'), activity: [] }),
      stuck: false,
    },
    {
      name: 'waiting on a process, polling it the same way every time, heartbeat fresh',
      worker: worker({ status: 'waiting', waiting_on: { command: 'npm run e2e', since: t('10:02:00') }, activity: ['10:16', '10:17', '10:18', '10:19'].map((m) => action(`${m}:00`, 'bash', { cmd: 'tail e2e.log' }, { output: 'running…' })) }),
      stuck: false,
    },
    {
      name: 'waiting on a process with a stale heartbeat',
      worker: worker({ status: 'waiting', status_since: t('10:02:00'), waiting_on: { command: 'npm run e2e', since: t('10:02:00') }, last_heartbeat: t('10:09:00'), activity: [] }),
      stuck: true,
      duration: 18 * MIN,
      reason: /^no heartbeat for 11 min/,
    },
    { name: 'looping: the same call failing 3×', worker: worker({ activity: [action('10:15:00'), failing('10:16:00'), failing('10:17:00'), failing('10:18:00')] }), stuck: true, duration: 4 * MIN, reason: /^loop: the same call bash/ },
    { name: 'reports itself stuck', worker: worker({ status: 'stuck' }), stuck: true, duration: 2 * MIN, reason: /^the worker reports itself stuck$/ },
    { name: 'idle is not looked at', worker: worker({ status: 'idle', last_heartbeat: t('09:00:00'), activity: [] }), stuck: false },
    { name: 'offline is not looked at', worker: worker({ status: 'offline', last_heartbeat: t('09:00:00'), activity: [] }), stuck: false },
    { name: 'oracle_takeover is not looked at', worker: worker({ status: 'oracle_takeover', last_heartbeat: t('09:00:00'), activity: [] }), stuck: false },
    { name: 'no task is not looked at', worker: worker({ task_id: undefined, last_heartbeat: t('09:00:00') }), stuck: false },
    { name: 'a complete task is not looked at', worker: worker({ last_heartbeat: t('09:00:00') }), task: { status: 'complete' }, stuck: false },
    { name: 'a task with a person is not looked at', worker: worker({ last_heartbeat: t('09:00:00') }), task: { status: 'needs_human' }, stuck: false },
    { name: 'a task marked stuck is looked at', worker: worker({ last_heartbeat: t('09:00:00') }), task: { status: 'stuck' }, stuck: true, duration: 2 * MIN, reason: /^no heartbeat for 1 h 20 min/ },
    { name: 'a task missing from tasks is looked at', worker: worker({ task_id: 'T9', last_heartbeat: t('09:00:00') }), stuck: true, duration: 2 * MIN },
  ])('$name → stuck: $stuck', ({ worker: w, task, stuck, duration, reason }) => {
    const found = verdict(w, task)
    expect(found !== undefined).toBe(stuck)
    if (!found) return
    expect(found.stuckDuration).toBe(duration)
    expect(found.detectedAt).toBe('2026-11-20T10:20:00.000Z')
    if (reason) expect(found.evidence[0]).toMatch(reason)
  })

  it('gives the whole verdict of a looping worker: classification, confidence, evidence', () => {
    expect(verdict(worker({ activity: [failing('10:16:00'), failing('10:17:00'), failing('10:18:00')], last_error: "Error: Cannot find module 'bcrypt'" }))).toEqual({
      worker: 'w1',
      taskId: 'T1',
      classification: 'missing_dependency',
      confidence: 0.9,
      evidence: [
        `loop: the same call bash {"cmd":"npm test"} failed 3 times in a row, last with: Error: Cannot find module 'bcrypt'`,
        `missing_dependency: error matched "Cannot find module" in: Error: Cannot find module 'bcrypt'`,
      ],
      detectedAt: '2026-11-20T10:20:00.000Z',
      stuckDuration: 4 * MIN,
    })
  })

  it('classifies a worker that only lost its heartbeat as an environment issue', () => {
    expect(verdict(worker({ last_heartbeat: t('10:05:00') }))).toMatchObject({ classification: 'environment_issue', confidence: 0.5 })
  })

  it('follows the thresholds it is given', () => {
    const w = worker({ activity: [action('10:17:00')] })
    expect(detectStuck({ version: 1, workers: { w1: w }, tasks: {} }, NOW, { ...CONFIG, implicitStuckThreshold: 2 * MIN })).toHaveLength(1)
    expect(detectStuck({ version: 1, workers: { w1: w }, tasks: {} }, NOW, CONFIG)).toHaveLength(0)
  })
})

describe('the list', () => {
  const stale = (id: string): WorkerState => worker({ id, last_heartbeat: t('09:00:00') })
  const state: BeastState = {
    version: 1,
    workers: Object.fromEntries(['b', 'a10', 'B', 'a', 'a2', 'ok'].map((id) => [id, id === 'ok' ? worker({ id }) : stale(id)])),
    tasks: {},
  }

  it('is in worker-id code-unit order, healthy workers left out', () => {
    expect(detectStuck(state, NOW, CONFIG).map((s) => s.worker)).toEqual(['B', 'a', 'a10', 'a2', 'b'])
  })

  it('is the same for the same state and time, and leaves the state as it was', () => {
    const before = JSON.stringify(state)
    expect(detectStuck(state, NOW, CONFIG)).toEqual(detectStuck(structuredClone(state), NOW, CONFIG))
    expect(JSON.stringify(state)).toBe(before)
  })

  it('is empty for the empty state', () => {
    expect(detectStuck({ version: 1, workers: {}, tasks: {} }, NOW, CONFIG)).toEqual([])
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [15 * MIN, '15 min'],
    [60 * MIN, '1 h'],
    [125 * MIN, '2 h 5 min'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
