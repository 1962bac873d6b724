// `oracle devfactory status | stats | history | intervene` through the real CLI on a copy of
// examples/devfactory at 10:20: what they print, what they write (status: nothing), exit codes.

import { join } from 'node:path'
import type { TempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HISTORY, STATE, configText, exampleWorkspace, killStarted, hashTree, oracle, readJson } from '../_test/cli.js'
import { writeFakeAgent } from '../_test/fake-agent.js'
import { type FakeAnthropic, ok, startFakeAnthropic } from '../_test/fake-anthropic.js'
import type { DevfactoryInput } from '../options.js'

const BE2 = '2026-01-05-user-auth/2.2'
const FE1 = '2026-01-05-user-auth/3.1'
const TASKS_MD = '.devfactory/specs/2026-01-05-user-auth/tasks.md'

let fake: FakeAnthropic
let ws: TempWorkspace & { root: string }
beforeEach(async () => {
  fake = await startFakeAnthropic()
  ws = await exampleWorkspace({ baseURL: fake.baseURL, requestTimeout: 5_000 })
})
afterEach(async () => {
  killStarted()
  await fake.close()
  await ws.cleanup()
})

const configure = (options: DevfactoryInput) => ws.write('oracle.config.mjs', configText({ baseURL: fake.baseURL, requestTimeout: 5_000, ...options }))

/** Two guidances (be-2, fe-1), then an escalation of fe-1's task. */
async function someHistory(): Promise<void> {
  fake.enqueue(ok('### Root Cause\nA.\n### Solution\n1. B.\n### Escalate\nfalse'), ok('### Root Cause\nC.\n### Solution\n1. D.\n### Escalate\nfalse'))
  expect((await oracle(ws.dir, ['devfactory', 'watch', '--once'])).code).toBe(0)
  expect((await oracle(ws.dir, ['devfactory', 'intervene', FE1, '--strategy', 'escalation'])).code).toBe(0)
}

describe('status', () => {
  it('shows each worker with its verdict, the context and the stats, and changes no file', async () => {
    const before = hashTree(ws.dir)
    const result = await oracle(ws.dir, ['devfactory', 'status', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(hashTree(ws.dir)).toEqual(before)
    const status = JSON.parse(result.stdout)
    expect(status.at).toBe('2026-11-20T10:20:00.000Z')
    expect(status.watch).toEqual({ running: false })
    expect(status.apiKeySet).toBe(true)
    expect(status.workers.map((w: any) => [w.id, w.status, w.taskId, w.heartbeatAge, w.verdict, w.stuck?.classification ?? null, w.stuck?.confidence ?? null])).toEqual([
      ['be-1', 'working', '2026-01-05-user-auth/2.3', 30_000, 'ok', null, null],
      ['be-2', 'working', BE2, 15_000, 'stuck', 'missing_dependency', 0.9],
      ['db-1', 'idle', null, 5_000, 'not watched', null, null],
      ['fe-1', 'working', FE1, 900_000, 'stuck', 'environment_issue', 0.5],
      ['qa-1', 'waiting', '2026-01-05-user-auth/3.2', 10_000, 'ok', null, null],
    ])
    expect(status.workers[1].stuck.evidence[0]).toMatch(/^loop: the same call bash/)
    expect(status.needsHuman).toEqual([])
    expect(status.context.summary).toMatch(/^## Mission\nLedgerly is bookkeeping for freelancers/)
    expect(status.context.summary.length).toBeLessThanOrEqual(2000)
    expect(status.stats).toMatchObject({ totalInterventions: 0, successRate: 0 })
  })

  it('prints a table, and lists the tasks waiting on a person', async () => {
    await someHistory()
    const result = await oracle(ws.dir, ['devfactory', 'status'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Watch: not running (no .devfactory/oracle/watch.json)\nAPI key (ANTHROPIC_API_KEY): set\n')
    expect(result.stdout).toContain(`  be-2  working  ${BE2}  heartbeat 15 s ago  STUCK missing_dependency (0.90), stuck 4 min\n`)
    expect(result.stdout).toContain('  db-1  idle  (no task)  heartbeat 5 s ago  not watched\n')
    // fe-1's task went to a person: the detector leaves it alone now.
    expect(result.stdout).toContain(`  fe-1  working  ${FE1}  heartbeat 15 min ago  ok\n`)
    expect(result.stdout).toContain(`Needs a person:\n  ${FE1} Build the login form: escalation requested (since 2026-11-20T10:20:00.000Z)\n`)
    expect(result.stdout).toContain('  interventions           3\n')
  })

  it('reports a broken state file with its line (exit 3)', async () => {
    await ws.write(STATE, '{ "version": 1, "workers": [] }\n')
    const result = await oracle(ws.dir, ['devfactory', 'status'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('ORACLE_DEVFACTORY_STATE_INVALID')
    expect(result.stderr).toContain('.devfactory/beast/state.json:1')
  })
})

describe('stats and history', () => {
  it('count by classification and list newest first, filtered by task', async () => {
    await someHistory()
    const stats = await oracle(ws.dir, ['devfactory', 'stats', '--json'])
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toEqual({
      totalInterventions: 3,
      // int-2 failed (superseded by the escalation), int-3 escalated, int-1 pending: none resolved.
      successRate: 0,
      avgResolutionTime: 0,
      byClassification: { technical_error: 0, missing_dependency: 1, environment_issue: 2, unclear_requirements: 0, infinite_loop: 0 },
      takeoverRate: 0,
    })
    const table = await oracle(ws.dir, ['devfactory', 'stats'])
    expect(table.stdout).toBe(
      [
        'Interventions (the kept history):',
        '  interventions           3',
        '  success rate            0.0 % (resolved ÷ decided)',
        '  avg resolution          —',
        '  takeover rate           0.0 %',
        '    technical_error       0',
        '    missing_dependency    1',
        '    environment_issue     2',
        '    unclear_requirements  0',
        '    infinite_loop         0',
        '',
      ].join('\n'),
    )

    const history = JSON.parse((await oracle(ws.dir, ['devfactory', 'history', '--json'])).stdout)
    expect(history.map((r: any) => [r.id, r.taskId, r.type, r.outcome])).toEqual([
      ['int-3', FE1, 'escalation', 'escalated'],
      ['int-2', FE1, 'guidance', 'failed'],
      ['int-1', BE2, 'guidance', 'pending'],
    ])
    const one = await oracle(ws.dir, ['devfactory', 'history', '--task', FE1, '--limit', '1'])
    expect(one.code).toBe(0)
    expect(one.stdout).toMatch(new RegExp(`^1 of 2 intervention\\(s\\) on ${FE1}, newest first:\nint-3  2026-11-20T10:20:00.000Z  ${FE1}  fe-1  escalation escalated  environment_issue\n    escalated to a person: escalation requested; note \\.devfactory/oracle/escalation-2026-01-05-user-auth_3\\.1-1\\.md\n$`))
    expect((await oracle(ws.dir, ['devfactory', 'history', '--task', 'nope'])).stdout).toBe('no interventions on nope in .devfactory/oracle/interventions.json\n')
    const bad = await oracle(ws.dir, ['devfactory', 'history', '--limit', '0'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--limit must be a whole number, at least 1 (got 0)')
  })

  it('report a broken history with its line (exit 3)', async () => {
    await ws.write(HISTORY, '{"version": 1, "lastId": 0,\n "records": [}\n')
    for (const command of ['stats', 'history']) {
      const result = await oracle(ws.dir, ['devfactory', command])
      expect(result.code, command).toBe(3)
      expect(result.stderr).toContain('ORACLE_DEVFACTORY_INTERVENTIONS_INVALID')
      expect(result.stderr).toContain('.devfactory/oracle/interventions.json:2')
    }
  })
})

describe('intervene', () => {
  it('takes a task over with the agent: the box ticked, the task complete, the worker free (exit 0)', async () => {
    const agent = await writeFakeAgent(ws.root)
    await configure({ takeoverCommand: agent('ok') })
    const result = await oracle(ws.dir, ['devfactory', 'intervene', BE2, '--strategy', 'takeover'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(
      [
        `${BE2} (worker be-2): missing_dependency (0.90), stuck 4 min`,
        'takeover requested',
        '→ taken over and completed; log .devfactory/oracle/takeover-2026-01-05-user-auth_2.2-1.log (int-1)',
        '',
      ].join('\n'),
    )
    const seen = JSON.parse(await ws.read('agent-seen.json'))
    expect(seen.rest).toEqual([join(ws.root, '.devfactory/oracle/takeover-2026-01-05-user-auth_2.2-1.md'), BE2, ws.root])
    expect(seen.stdin).toContain(`## Task to Complete\n- ID: ${BE2}\n- Title: Hash and check passwords with bcrypt`)
    expect(seen.stdin).toContain('Worker be-2: working since 2026-11-20T10:06:00Z; last error: Error: Cannot find module')
    expect(await ws.read(TASKS_MD)).toContain('  - [x] 2.2 Hash and check passwords with bcrypt (depends on 1.2)\n')
    const state = await readJson(ws, STATE)
    expect(state.tasks[BE2]).toMatchObject({ status: 'complete', status_since: '2026-11-20T10:20:00.000Z' })
    expect(state.workers['be-2'].status).toBe('idle')
    expect((await readJson(ws, HISTORY)).records).toMatchObject([{ id: 'int-1', type: 'takeover', outcome: 'resolved', taskId: BE2 }])
    expect(fake.requests).toHaveLength(0)
    // A complete task has nothing left to do.
    const again = await oracle(ws.dir, ['devfactory', 'intervene', BE2])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('ORACLE_DEVFACTORY_TASK_SETTLED')
  })

  it('a failing agent: the task back to stuck, exit 1; the ladder then goes to a person', async () => {
    const agent = await writeFakeAgent(ws.root)
    await configure({ takeoverCommand: agent('fail') })
    const result = await oracle(ws.dir, ['devfactory', 'intervene', BE2, '--strategy', 'takeover', '--json'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).result).toMatchObject({ type: 'takeover', success: false, error: expect.stringContaining('the agent exited with code 3') })
    expect((await readJson(ws, STATE)).tasks[BE2].status).toBe('stuck')
    const next = await oracle(ws.dir, ['devfactory', 'intervene', BE2])
    expect(next.code).toBe(0)
    expect(next.stdout).toContain('a takeover of this task failed\n→ escalated to a person')
  })

  it('without --strategy the ladder decides; guidance is forced past a pending one', async () => {
    fake.enqueue(ok('### Root Cause\nA.\n### Solution\n1. B.\n### Escalate\nfalse'), ok('### Root Cause\nA again.\n### Solution\n1. C.\n### Escalate\nfalse'))
    expect((await oracle(ws.dir, ['devfactory', 'intervene', BE2])).stdout).toContain('first intervention on this task\n→ guidance .devfactory/oracle/guidance-2026-01-05-user-auth_2.2-1.md (int-1)')
    const second = await oracle(ws.dir, ['devfactory', 'intervene', BE2])
    expect(second.stdout).toContain('the first guidance did not help; trying again with what changed\n→ guidance .devfactory/oracle/guidance-2026-01-05-user-auth_2.2-2.md (int-2)')
    expect((await readJson(ws, HISTORY)).records.map((r: any) => r.outcome)).toEqual(['failed', 'pending'])
  })

  it('a task the detector finds fine can still be escalated by hand', async () => {
    const result = await oracle(ws.dir, ['devfactory', 'intervene', '2026-01-05-user-auth/2.3', '--strategy', 'escalation', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const out = JSON.parse(result.stdout)
    expect(out.stuck.evidence.slice(0, 2)).toEqual(['manual: requested with `oracle devfactory intervene`', 'the detector does not find it stuck; in_progress for 8 min'])
    expect(out.result).toMatchObject({ type: 'escalation', success: true, notePath: '.devfactory/oracle/escalation-2026-01-05-user-auth_2.3-1.md' })
    expect((await readJson(ws, STATE)).tasks['2026-01-05-user-auth/2.3'].status).toBe('needs_human')
  })

  it.each([
    ['an unknown task', ['2026-01-05-user-auth/2.9'], 'ORACLE_DEVFACTORY_TASK_NOT_FOUND', 'Did you mean 2026-01-05-user-auth/2.2'],
    ['a takeover without an agent', [BE2, '--strategy', 'takeover'], 'ORACLE_DEVFACTORY_NO_AGENT', 'takeoverCommand'],
    ['guidance without an API key', [BE2, '--strategy', 'guidance'], 'ORACLE_DEVFACTORY_NO_API_KEY', 'Export ANTHROPIC_API_KEY'],
    ['an unknown strategy', [BE2, '--strategy', 'pray'], 'ORACLE_USAGE', 'guidance'],
  ])('refuses %s (exit 2), changing nothing', async (_name, args, code, hint) => {
    const before = hashTree(join(ws.dir, '.devfactory/beast'))
    const result = await oracle(ws.dir, ['devfactory', 'intervene', ...args, '--json'], { ANTHROPIC_API_KEY: undefined })
    expect(result.code).toBe(2)
    const { error } = JSON.parse(result.stdout)
    expect(error.code).toBe(code)
    expect(`${error.message} ${error.hint}`).toContain(hint)
    expect(hashTree(join(ws.dir, '.devfactory/beast'))).toEqual(before)
    expect(ws.exists(HISTORY)).toBe(false)
  })
})
