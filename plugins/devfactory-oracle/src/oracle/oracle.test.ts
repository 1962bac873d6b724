// One check of the monitor loop in-process (the CLI tests in commands/ drive the same through the
// binary): what it reports for an empty workspace, pending guidance settled by the state, a task
// no tasks.md knows, and an intervention that throws while the others go on.

import { cp, realpath } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { checkValue, manualClock } from '@oraclekit/kernel'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClaudeAsk } from '../guidance/client.js'
import { DevfactoryOptions } from '../options.js'
import type { DevfactoryLog } from '../types.js'
import { createOracle } from './oracle.js'

const EXAMPLE = fileURLToPath(new URL('../../../../examples/devfactory/.devfactory', import.meta.url))
const BE2 = '2026-01-05-user-auth/2.2'
const FE1 = '2026-01-05-user-auth/3.1'
const options = checkValue<DevfactoryOptions>(DevfactoryOptions, {}).value

let ws: TempWorkspace
let root: string
let lines: Array<{ level: string; fields: Record<string, unknown>; message: string }>
const log: DevfactoryLog = Object.fromEntries((['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message })])) as unknown as DevfactoryLog
const clock = manualClock('2026-11-20T10:20:00Z')
const answer: ClaudeAsk = async () => ({ text: '### Root Cause\nA.\n### Solution\n1. B.\n### Escalate\nfalse', model: 'claude-test', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, attempts: 1 })

beforeEach(async () => {
  ws = await createTempWorkspace({ prefix: 'devfactory-oracle-' })
  root = await realpath(ws.dir)
  lines = []
  clock.set('2026-11-20T10:20:00Z')
})
afterEach(() => ws.cleanup())

const oracleIn = (ask: ClaudeAsk = answer, env: NodeJS.ProcessEnv = { ANTHROPIC_API_KEY: 'k' }) => createOracle({ rootDir: root, options, clock, env, log, ask })

describe('check', () => {
  it('on a workspace without .devfactory: nothing to do, the missing documents logged once', async () => {
    const oracle = oracleIn()
    const report = await oracle.check()
    expect(report).toMatchObject({ at: '2026-11-20T10:20:00.000Z', workers: 0, stuck: [], interventions: [], failed: 0, contextChanged: true })
    expect(report.error).toBeUndefined()
    expect((await oracle.check()).contextChanged).toBe(false)
    expect(lines.filter((l) => l.message.startsWith('project context:'))).toHaveLength(1)
  })

  it('settles a pending guidance once the state shows the task complete', async () => {
    await cp(EXAMPLE, ws.path('.devfactory'), { recursive: true })
    const oracle = oracleIn()
    expect((await oracle.check()).interventions.map((i) => i.result?.type)).toEqual(['guidance', 'guidance'])
    await oracle.store.update((state) => {
      Object.assign(state.tasks[BE2] as object, { status: 'complete', status_since: '2026-11-20T10:25:00Z' })
      Object.assign(state.workers['be-2'] as object, { status: 'idle', status_since: '2026-11-20T10:25:00Z' })
    })
    clock.set('2026-11-20T10:26:00Z')
    const report = await oracle.check()
    // fe-1 did nothing with its guidance for 6 minutes (the grace is 5): that one failed.
    expect(report.resolved).toEqual([
      { id: 'int-1', taskId: BE2, outcome: 'resolved', reason: 'the task is complete', resolutionTime: 300_000 },
      { id: 'int-2', taskId: FE1, outcome: 'failed', reason: 'no progress within 5 min of the guidance' },
    ])
    // be-1 has now been quiet for over 5 minutes too.
    expect(report.interventions.map((i) => [i.stuck.worker, i.result?.reason])).toEqual([
      ['be-1', 'first intervention on this task'],
      ['fe-1', 'the first guidance did not help; trying again with what changed'],
    ])
    expect(await oracle.tracker.getStats()).toMatchObject({ successRate: 0.5, avgResolutionTime: 300_000 })
  })

  it('helps a worker whose task no tasks.md knows, from the state alone', async () => {
    await ws.write('.devfactory/beast/state.json', JSON.stringify({ version: 1, workers: { w: { id: 'w', status: 'stuck', task_id: 'ad-hoc', status_since: '2026-11-20T10:00:00Z', activity: [] } }, tasks: { 'ad-hoc': { id: 'ad-hoc', title: 'Fix the build', status: 'in_progress' } } }))
    const prompts: string[] = []
    const oracle = oracleIn(async (request) => (prompts.push(request.prompt), answer(request)))
    const report = await oracle.check()
    expect(report.interventions[0]?.result).toMatchObject({ type: 'guidance', success: true, guidancePath: '.devfactory/oracle/guidance-ad-hoc-1.md' })
    expect(prompts[0]).toContain("- ID: ad-hoc\n- Title: Fix the build\n- Layer: backend\n- Spec: (none)\n\n## Task Requirements\n(task ad-hoc is not in any spec's tasks.md; only the state file knows it)")
  })

  it('an intervention that throws is counted and logged; the next worker is still helped', async () => {
    await cp(EXAMPLE, ws.path('.devfactory'), { recursive: true })
    let calls = 0
    const oracle = oracleIn(async (request) => {
      calls += 1
      if (calls === 1) throw new TypeError('boom')
      return answer(request)
    })
    const report = await oracle.check()
    expect(report.failed).toBe(1)
    expect(report.interventions.map((i) => [i.stuck.worker, i.error?.code ?? i.result?.type])).toEqual([
      ['be-2', 'ORACLE_INTERNAL'],
      ['fe-1', 'guidance'],
    ])
    expect(lines.find((l) => l.level === 'error')).toMatchObject({ message: `intervention on ${BE2} failed: TypeError: boom` })
  })

  it('reports an unreadable history as the check error, and runs again once it is fixed', async () => {
    await cp(EXAMPLE, ws.path('.devfactory'), { recursive: true })
    await ws.write('.devfactory/oracle/interventions.json', '{"version": 1}')
    const oracle = oracleIn()
    const report = await oracle.check()
    expect(report.error).toMatchObject({ code: 'ORACLE_DEVFACTORY_INTERVENTIONS_INVALID', exitCode: 3 })
    expect(report.interventions).toEqual([])
    await ws.write('.devfactory/oracle/interventions.json', '{"version": 1, "lastId": 0, "records": []}')
    expect((await oracle.check()).interventions.map((i) => i.stuck.taskId)).toEqual([BE2, FE1])
  })

  it('without an API key: each guidance due is marked, escalations still happen', async () => {
    await cp(EXAMPLE, ws.path('.devfactory'), { recursive: true })
    await cp(`${EXAMPLE}/beast/state.json`, ws.path('.devfactory/beast/state.json'))
    const oracle = createOracle({ rootDir: root, options, clock, env: {}, log })
    expect(oracle.apiKeySet).toBe(false)
    await oracle.store.update((state) => {
      // fe-1 keeps asking which provider to use: unclear requirements go to a person, no API needed.
      const fe1 = state.workers['fe-1']
      fe1?.activity.push({ kind: 'message', at: '2026-11-20T10:19:00Z', text: 'The spec does not say which OAuth provider; the requirement is unclear.' })
    })
    const report = await oracle.check()
    expect(report.apiKeyMissing).toBe(true)
    expect(report.interventions.map((i) => [i.stuck.worker, i.noApiKey ?? false, i.result?.type])).toEqual([
      ['be-2', true, undefined],
      ['fe-1', false, 'escalation'],
    ])
  })
})

describe('intervene', () => {
  it('knows a task by its tasks.md id too, when no state entry has it', async () => {
    await cp(EXAMPLE, ws.path('.devfactory'), { recursive: true })
    const oracle = oracleIn()
    const { stuck, result } = await oracle.intervene('2026-01-12-dashboard/1.1', 'escalation')
    expect(stuck).toMatchObject({ worker: '(none)', taskId: '2026-01-12-dashboard/1.1', stuckDuration: 0 })
    expect(result).toMatchObject({ type: 'escalation', success: true })
    expect((await oracle.store.read()).tasks['2026-01-12-dashboard/1.1']).toMatchObject({ status: 'needs_human', spec: '2026-01-12-dashboard' })
  })
})
