// `oracle devfactory watch` through the real CLI on a copy of examples/devfactory at 10:20, with
// the real Anthropic SDK talking to a loopback server: one check (--once), the long-running loop
// and its signals, a state file broken and fixed while it runs, a missing key, a failing API.

import { setTimeout as delay } from 'node:timers/promises'
import { isAlive } from '@oraclekit/kernel'
import type { TempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { API_KEY, HISTORY, LOG, STATE, exampleWorkspace, killStarted, logLines, oracle, readJson, start } from '../_test/cli.js'
import { type FakeAnthropic, ok, startFakeAnthropic } from '../_test/fake-anthropic.js'
import { ORACLE_SYSTEM_PROMPT } from '../prompts.js'

const ANSWER = `### Root Cause
bcrypt is not installed, so every test run fails to load src/auth/password.ts.

### Solution
1. Run \`npm install bcrypt\`.
2. Re-run \`npx vitest run src/auth\`.

### Escalate
false
`
const BE2 = '2026-01-05-user-auth/2.2'
const FE1 = '2026-01-05-user-auth/3.1'
const GUIDANCE_BE2 = '.devfactory/oracle/guidance-2026-01-05-user-auth_2.2-1.md'
const GUIDANCE_FE1 = '.devfactory/oracle/guidance-2026-01-05-user-auth_3.1-1.md'

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

/** Waits until `check` holds (polling), or fails with what it last saw. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < end) {
    last = await check()
    if (last) return last
    await delay(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('watch --once', () => {
  it('writes guidance for the looping worker and the silent one, links it in the state, records both as pending', async () => {
    fake.enqueue(ok(ANSWER, { requestId: 'req_be2' }), ok(ANSWER.replace('bcrypt is not installed', 'The browser process died'), { requestId: 'req_fe1' }))
    const result = await oracle(ws.dir, ['devfactory', 'watch', '--once'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(
      [
        'check at 2026-11-20T10:20:00.000Z: 5 worker(s), 2 stuck',
        `be-2 on ${BE2}: missing_dependency (0.90), stuck 4 min → guidance ${GUIDANCE_BE2} (int-1)`,
        `fe-1 on ${FE1}: environment_issue (0.50), stuck 15 min → guidance ${GUIDANCE_FE1} (int-2)`,
        '',
      ].join('\n'),
    )

    // What Claude was asked: the seed's system prompt, the stuck task with its SRD and the evidence.
    expect(fake.requests).toHaveLength(2)
    const [first] = fake.requests
    expect(JSON.stringify(first?.headers)).toContain(API_KEY)
    expect(first?.body).toMatchObject({ model: 'claude-opus-4-5-20251101', max_tokens: 4096, system: ORACLE_SYSTEM_PROMPT })
    const prompt: string = first?.body.messages[0].content
    expect(prompt).toContain(`- ID: ${BE2}\n- Title: Hash and check passwords with bcrypt\n- Layer: backend\n- Spec: 2026-01-05-user-auth`)
    expect(prompt).toContain('## Task Requirements\n## Login endpoint\n\n`POST /api/login` takes')
    expect(prompt).toContain("## Recent issues\n- Error: Cannot find module 'bcrypt' Require stack: - src/auth/password.ts")
    expect(prompt).toContain('- Classification: missing_dependency')

    const guidance = await ws.read(GUIDANCE_BE2)
    expect(guidance).toContain(`# Oracle guidance for task ${BE2}`)
    expect(guidance).toContain('1. Run `npm install bcrypt`.')
    expect(guidance).toContain('- Model: claude-test (request req_be2)\n- Written: 2026-11-20T10:20:00.000Z')

    const state = await readJson(ws, STATE)
    expect(state.tasks[BE2]).toMatchObject({ status: 'in_progress', guidance: [GUIDANCE_BE2] })
    expect(state.tasks[FE1]).toMatchObject({ guidance: [GUIDANCE_FE1] })
    expect(state.workers['be-2'].status).toBe('working')

    const history = await readJson(ws, HISTORY)
    expect(history).toMatchObject({ version: 1, lastId: 2 })
    expect(history.records).toEqual([
      expect.objectContaining({ id: 'int-1', taskId: BE2, worker: 'be-2', classification: 'missing_dependency', type: 'guidance', outcome: 'pending', timestamp: '2026-11-20T10:20:00.000Z', action: `guidance written to ${GUIDANCE_BE2}` }),
      expect.objectContaining({ id: 'int-2', taskId: FE1, worker: 'fe-1', classification: 'environment_issue', type: 'guidance', outcome: 'pending' }),
    ])

    // The log: JSON lines from awakening to resting, the key nowhere in it.
    const log = await logLines(ws)
    expect(log[0]).toMatchObject({ level: 'info', msg: 'Oracle awakening', time: '2026-11-20T10:20:00.000Z', apiKeySet: true, once: true })
    expect(log.at(-1)).toMatchObject({ level: 'info', msg: 'Oracle resting', checks: 1, interventions: 2, failed: 0 })
    expect(log.map((l) => l.msg)).toContain(`be-2 on ${BE2}: missing_dependency (0.90), stuck 4 min → guidance ${GUIDANCE_BE2} (int-1)`)
    expect(await ws.read(LOG)).not.toContain(API_KEY)
    // --once is not a running watch: no heartbeat file.
    expect(ws.exists('.devfactory/oracle/watch.json')).toBe(false)

    // A second check at the same time: both guidances are still within their grace period.
    const again = await oracle(ws.dir, ['devfactory', 'watch', '--once', '--json'])
    expect(again.code, again.stderr).toBe(0)
    const report = JSON.parse(again.stdout)
    expect(report.interventions.map((i: any) => [i.worker, i.result.skipped, i.result.recordId])).toEqual([
      ['be-2', true, 'int-1'],
      ['fe-1', true, 'int-2'],
    ])
    expect(fake.requests).toHaveLength(2)
  })

  it('escalates at once when Claude says so: the task goes to a person and is left alone after', async () => {
    fake.enqueue(ok('### Root Cause\nbcrypt needs a native build the CI image lacks.\n### Solution\n1. Decide between bcrypt and bcryptjs.\n### Escalate\ntrue - a dependency decision'), ok(ANSWER))
    const result = await oracle(ws.dir, ['devfactory', 'watch', '--once', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const state = await readJson(ws, STATE)
    expect(state.tasks[BE2]).toMatchObject({ status: 'needs_human', escalation: { reason: 'Claude advises a person: a dependency decision', at: '2026-11-20T10:20:00.000Z' } })
    expect(ws.exists('.devfactory/oracle/escalation-2026-01-05-user-auth_2.2-1.md')).toBe(true)
    const next = JSON.parse((await oracle(ws.dir, ['devfactory', 'watch', '--once', '--json'])).stdout)
    expect(next.interventions.map((i: any) => i.worker)).toEqual(['fe-1'])
  })

  it('without an API key: detection runs, guidance is skipped and nothing recorded, exit 2', async () => {
    const result = await oracle(ws.dir, ['devfactory', 'watch', '--once'], { ANTHROPIC_API_KEY: undefined })
    expect(result.code).toBe(2)
    expect(result.stdout).toContain(`be-2 on ${BE2}: missing_dependency (0.90), stuck 4 min → guidance skipped: no API key`)
    expect(result.stdout).toContain('guidance was due but ANTHROPIC_API_KEY is not set (exit 2)')
    expect(fake.requests).toHaveLength(0)
    expect(ws.exists(HISTORY)).toBe(false)
    const warnings = (await logLines(ws)).filter((l) => l.code === 'ORACLE_DEVFACTORY_NO_API_KEY')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ level: 'warn', apiKeyEnv: 'ANTHROPIC_API_KEY' })
  })

  it('when the API keeps failing: the guidance is recorded as not delivered, the state untouched, exit 1', async () => {
    const before = await ws.read(STATE)
    // An empty script: the fake answers 500 with x-should-retry: false.
    const result = await oracle(ws.dir, ['devfactory', 'watch', '--once', '--json'])
    expect(result.code, result.stderr).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ failed: 2, apiKeyMissing: false })
    expect(await ws.read(STATE)).toBe(before)
    const records = (await readJson(ws, HISTORY)).records
    expect(records.map((r: any) => [r.taskId, r.outcome, r.notDelivered])).toEqual([
      [BE2, 'failed', 'Claude API request failed (HTTP 500, 1 attempt): api_error: Internal server error'],
      [FE1, 'failed', 'Claude API request failed (HTTP 500, 1 attempt): api_error: Internal server error'],
    ])
  })

  it('a broken state file: exit 3 with the file and line, nothing written but the log', async () => {
    await ws.write(STATE, '{\n  "version": 1,\n  "workers": {,\n}\n')
    const result = await oracle(ws.dir, ['devfactory', 'watch', '--once'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('ORACLE_DEVFACTORY_STATE_INVALID')
    expect(result.stderr).toContain('.devfactory/beast/state.json:3')
    expect(ws.exists(HISTORY)).toBe(false)
    expect((await logLines(ws)).find((l) => l.level === 'error')).toMatchObject({ code: 'ORACLE_DEVFACTORY_STATE_INVALID', file: STATE, line: 3 })
  })

  it('refuses a bad --interval (exit 2)', async () => {
    const result = await oracle(ws.dir, ['devfactory', 'watch', '--once', '--interval', '0'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--interval must be a whole number of milliseconds, at least 1 (got 0)')
  })
})

describe('watch, long-running', () => {
  it('keeps watching through a broken state file, recovers when it is fixed, and rests on SIGTERM (exit 0)', async () => {
    fake.enqueue(ok(ANSWER), ok(ANSWER))
    const watch = start(ws.dir, ['devfactory', 'watch', '--interval', '200'])
    const running = await until('the first check', async () => {
      const file = await readJson(ws, '.devfactory/oracle/watch.json').catch(() => undefined)
      return file?.checks >= 1 ? file : undefined
    })
    expect(running).toMatchObject({ pid: watch.child.pid, state: 'running', checkInterval: 200, lastCheckAt: '2026-11-20T10:20:00.000Z' })
    expect(watch.stderr()).toContain('Oracle awakening: watching .devfactory/beast/state.json every 200 ms; log .devfactory/oracle/oracle.log')
    expect(watch.stderr()).toContain(`be-2 on ${BE2}: missing_dependency (0.90), stuck 4 min → guidance ${GUIDANCE_BE2} (int-1)`)

    // status sees it running; a second watch is refused.
    const status = JSON.parse((await oracle(ws.dir, ['devfactory', 'status', '--json'])).stdout)
    expect(status.watch).toMatchObject({ running: true, pid: watch.child.pid })
    const second = await oracle(ws.dir, ['devfactory', 'watch', '--once'])
    expect(second.code).toBe(2)
    expect(second.stderr).toContain('ORACLE_DEVFACTORY_WATCH_RUNNING')

    // Broken on line 3: reported with the code and the line, and the watch goes on.
    const good = await ws.read(STATE)
    await ws.write(STATE, good.replace('"tasks": {', '"tasks": {,'))
    const line = good.split('\n').findIndex((l) => l.includes('"tasks": {')) + 1
    await until('the error in the log', async () => (await logLines(ws)).find((l) => l.code === 'ORACLE_DEVFACTORY_STATE_INVALID'))
    const error = (await logLines(ws)).find((l) => l.code === 'ORACLE_DEVFACTORY_STATE_INVALID')
    expect(error).toMatchObject({ level: 'error', file: STATE, line })
    expect(error?.msg).toMatch(new RegExp(`^\\.devfactory/beast/state\\.json:${line}: not valid JSON`))
    await until('the error on stderr', () => watch.stderr().includes(`.devfactory/beast/state.json:${line}: not valid JSON`))
    await delay(500)
    expect(isAlive(watch.child.pid as number)).toBe(true)
    // Said once on stderr however many checks meet it.
    expect(watch.stderr().split('(ORACLE_DEVFACTORY_STATE_INVALID); still watching').length - 1).toBe(1)
    expect((await readJson(ws, '.devfactory/oracle/watch.json')).lastError).toMatchObject({ code: 'ORACLE_DEVFACTORY_STATE_INVALID' })

    await ws.write(STATE, good)
    await until('the recovery', () => watch.stderr().includes('state readable again'))
    await until('a clean heartbeat', async () => ((await readJson(ws, '.devfactory/oracle/watch.json').catch(() => ({ lastError: 1 }))).lastError === undefined ? true : undefined))

    watch.child.kill('SIGTERM')
    const result = await watch.done
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('Oracle resting after')
    expect(result.stdout).toMatch(/^Oracle resting after \d+ check\(s\): 2 intervention\(s\), 0 failed; log \.devfactory\/oracle\/oracle\.log\n$/)
    const log = await logLines(ws)
    expect(log.at(-1)).toMatchObject({ msg: 'Oracle resting', interventions: 2, failed: 0 })
    expect((await readJson(ws, '.devfactory/oracle/watch.json'))).toMatchObject({ state: 'stopped', stoppedAt: '2026-11-20T10:20:00.000Z' })
    // Two guidances only: the pending ones held every later check back.
    expect(fake.requests).toHaveLength(2)
    const after = JSON.parse((await oracle(ws.dir, ['devfactory', 'status', '--json'])).stdout)
    expect(after.watch).toMatchObject({ running: false, stoppedAt: '2026-11-20T10:20:00.000Z' })
  })

  it('stops at once on a second signal', async () => {
    // A slow API: the first check hangs in its request, so only the second signal can end it.
    fake.enqueue({ kind: 'slow', ms: 20_000 })
    const watch = start(ws.dir, ['devfactory', 'watch', '--interval', '200'])
    await until('the request', () => fake.requests.length > 0)
    watch.child.kill('SIGINT')
    await delay(200)
    expect(isAlive(watch.child.pid as number)).toBe(true)
    watch.child.kill('SIGINT')
    const result = await watch.done
    expect(result.code).toBe(130)
    expect(result.stderr).toContain('SIGINT again: exiting now')
  })
})
