// The whole intervention flow against real files, the real SDK and a loopback Messages API.
import { realpath } from 'node:fs/promises'
import { manualClock } from '@oraclekit/kernel'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isolateSdkEnvironment, recordingSleep } from '../_test/env.js'
import { writeFakeAgent } from '../_test/fake-agent.js'
import { type FakeAnthropic, ok, overloaded, rateLimited, slow, startFakeAnthropic } from '../_test/fake-anthropic.js'
import { AT, TASKS_MD, stuckState, stuckWorker, taskContext } from '../_test/fixtures.js'
import { type MemoryState, memoryState } from '../_test/memory-state.js'
import { createClaudeAsk } from '../guidance/client.js'
import { ORACLE_SYSTEM_PROMPT, buildGuidancePrompt } from '../prompts.js'
import { TakeoverManager } from '../takeover/takeover.js'
import { InterventionTracker } from '../tracker/tracker.js'
import { InterventionEngine, type InterventionEngineOptions } from './engine.js'

const KEY = 'sk-ant-test-0123456789abcdef'
const ANSWER = `### Root Cause
Postgres is not running, so every \`npm test\` fails with ECONNREFUSED.

### Solution
1. Start the database: \`docker compose up -d db\`.
2. Re-run \`npm test\`.

### Code (if applicable)
\`\`\`bash
docker compose up -d db
\`\`\`

### Escalate
false
`

let ws: TempWorkspace
let root: string
let fake: FakeAnthropic
let state: MemoryState
let tracker: InterventionTracker
const clock = manualClock(AT)

beforeEach(async () => {
  isolateSdkEnvironment()
  clock.set('2026-11-21T10:12:00Z')
  ws = await createTempWorkspace({ prefix: 'df-engine-', files: { '.devfactory/specs/auth/tasks.md': TASKS_MD } })
  root = await realpath(ws.dir)
  fake = await startFakeAnthropic()
  state = memoryState(stuckState())
  tracker = new InterventionTracker(root, { clock })
})
afterEach(async () => {
  await fake.close()
  await ws.cleanup()
  vi.unstubAllEnvs()
})

function engine(extra: Partial<InterventionEngineOptions> & { timeoutMs?: number; retries?: number } = {}) {
  const { sleep, delays } = recordingSleep()
  const ask = createClaudeAsk({ model: 'claude-opus-4-5-20251101', maxTokens: 4096, apiKey: KEY, baseURL: fake.baseURL, timeoutMs: extra.timeoutMs ?? 5_000, retries: extra.retries ?? 3, sleep })
  const instance = new InterventionEngine({ rootDir: root, state, tracker, ask, clock, ...extra })
  return { instance, delays }
}
const request = { stuck: stuckWorker(), task: taskContext(), summary: 'Mission: ship auth.' }

describe('guidance', () => {
  it('asks Claude, writes the guidance file, links it in the state and records it as pending', async () => {
    fake.enqueue(ok(ANSWER, { requestId: 'req_42', model: 'claude-opus-4-5-20251101' }))
    const result = await engine().instance.intervene(request)
    expect(result).toEqual({ type: 'guidance', success: true, guidancePath: '.devfactory/oracle/guidance-1.2-1.md', recordId: 'int-1', reason: 'first intervention on this task' })

    const [sent] = fake.requests
    expect(sent?.url).toBe('/v1/messages')
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(sent?.body).toEqual({ model: 'claude-opus-4-5-20251101', max_tokens: 4096, system: ORACLE_SYSTEM_PROMPT, messages: [{ role: 'user', content: buildGuidancePrompt('Mission: ship auth.', taskContext(), stuckWorker()) }] })
    expect(sent?.body.messages[0].content).toContain('- Duration: 12 minutes\n- Evidence:\n  - 3 identical failing `npm test` calls')

    expect(await ws.read('.devfactory/oracle/guidance-1.2-1.md')).toBe(`# Oracle guidance for task 1.2

- Task: \`1.2\` Add sessions table (spec auth, layer database)
- Worker: \`worker-1\`
- Classification: technical_error (confidence 0.80)
- Stuck for: 12 minutes (detected 2026-11-21T10:00:00.000Z)
- Evidence:
  - 3 identical failing \`npm test\` calls
  - last error: ECONNREFUSED 127.0.0.1:5432
- Model: claude-opus-4-5-20251101 (request req_42)
- Written: 2026-11-21T10:12:00.000Z

## Root Cause

Postgres is not running, so every \`npm test\` fails with ECONNREFUSED.

## Solution

1. Start the database: \`docker compose up -d db\`.
2. Re-run \`npm test\`.

## Code

\`\`\`bash
docker compose up -d db
\`\`\`

## Escalate

No.
`)
    expect(state.current.tasks['1.2']).toMatchObject({ status: 'in_progress', guidance: ['.devfactory/oracle/guidance-1.2-1.md'] })
    const file = JSON.parse(await ws.read('.devfactory/oracle/interventions.json'))
    expect(file.records).toEqual([
      {
        id: 'int-1',
        timestamp: '2026-11-21T10:12:00.000Z',
        taskId: '1.2',
        worker: 'worker-1',
        classification: 'technical_error',
        type: 'guidance',
        contextSummary: 'technical_error (confidence 0.80) for 12 min: 3 identical failing `npm test` calls; last error: ECONNREFUSED 127.0.0.1:5432',
        action: 'guidance written to .devfactory/oracle/guidance-1.2-1.md',
        outcome: 'pending',
      },
    ])
  })

  it('waits out a 429 (retry-after-ms) and then writes the guidance', async () => {
    fake.enqueue(rateLimited({ 'retry-after-ms': '1500' }), ok(ANSWER))
    const { instance, delays } = engine()
    expect((await instance.intervene(request)).success).toBe(true)
    expect(delays).toEqual([1500])
    expect(fake.requests).toHaveLength(2)
  })

  it('backs off after a 529 and then writes the guidance', async () => {
    fake.enqueue(overloaded(), overloaded(), ok(ANSWER))
    const { instance, delays } = engine()
    expect((await instance.intervene(request)).success).toBe(true)
    expect(delays).toEqual([1000, 2000])
  })

  it('records a failure after 3 timeouts and leaves the state alone', async () => {
    fake.enqueue(slow(3_000), slow(3_000), slow(3_000))
    const before = structuredClone(state.current)
    const { instance, delays } = engine({ timeoutMs: 100, retries: 2 })
    const result = await instance.intervene(request)
    expect(result).toMatchObject({ type: 'guidance', success: false, recordId: 'int-1' })
    expect(result.error).toBe('Claude API request failed (no response, 3 attempts): the request timed out')
    expect(delays).toEqual([1000, 2000])
    expect(state.current).toEqual(before)
    expect(ws.exists('.devfactory/oracle/guidance-1.2-1.md')).toBe(false)
    expect(await tracker.list()).toMatchObject([{ id: 'int-1', outcome: 'failed', notDelivered: result.error, action: `no guidance: ${result.error}` }])
    expect(JSON.stringify(await tracker.list())).not.toContain(KEY)
  })

  it('escalates when Claude says so, keeping the guidance for the person', async () => {
    fake.enqueue(ok('### Root Cause\nThe spec asks for two session stores.\n### Solution\n1. Decide which.\n### Escalate\ntrue - the spec contradicts itself'))
    const result = await engine().instance.intervene(request)
    expect(result).toMatchObject({ type: 'escalation', success: true, guidancePath: '.devfactory/oracle/guidance-1.2-1.md', notePath: '.devfactory/oracle/escalation-1.2-1.md' })
    expect(result.reason).toBe('Claude advises a person: the spec contradicts itself')
    expect(state.current.tasks['1.2']).toMatchObject({ status: 'needs_human', escalation: { reason: result.reason, at: '2026-11-21T10:12:00.000Z' }, guidance: [result.guidancePath] })
    expect(await ws.read('.devfactory/oracle/escalation-1.2-1.md')).toContain('- Guidance: .devfactory/oracle/guidance-1.2-1.md')
    expect(await tracker.list()).toMatchObject([{ type: 'escalation', outcome: 'escalated' }])
  })

  it('does not intervene again while the last guidance is fresh, unless forced', async () => {
    fake.enqueue(ok(ANSWER), ok(ANSWER))
    const { instance } = engine()
    await instance.intervene(request)
    clock.advance(60_000)
    const again = await instance.intervene(request)
    expect(again).toMatchObject({ skipped: true, success: false, recordId: 'int-1' })
    expect(fake.requests).toHaveLength(1)
    const forced = await instance.intervene({ ...request, force: true })
    expect(forced).toMatchObject({ success: true, guidancePath: '.devfactory/oracle/guidance-1.2-2.md' })
    expect((await tracker.list()).map((r) => [r.id, r.outcome])).toEqual([['int-1', 'failed'], ['int-2', 'pending']])
  })

  it('throws on a missing API key and records nothing', async () => {
    const ask = createClaudeAsk({ model: 'm', maxTokens: 10, apiKey: undefined, apiKeyEnv: 'ORACLE_KEY', timeoutMs: 1000 })
    const instance = new InterventionEngine({ rootDir: root, state, tracker, ask, clock })
    await expect(instance.intervene(request)).rejects.toMatchObject({ code: 'ORACLE_DEVFACTORY_NO_API_KEY' })
    expect(await tracker.list()).toEqual([])
  })
})

describe('escalation', () => {
  it('hands unclear requirements to a person without asking Claude', async () => {
    const stuck = stuckWorker({ classification: 'unclear_requirements', evidence: ['asked "which OAuth provider?" 3 times'] })
    const result = await engine().instance.intervene({ ...request, stuck })
    expect(result).toEqual({ type: 'escalation', success: true, recordId: 'int-1', notePath: '.devfactory/oracle/escalation-1.2-1.md', reason: 'the requirements are unclear, and only a person can settle them' })
    expect(fake.requests).toHaveLength(0)
    expect(state.current.tasks['1.2']).toMatchObject({ status: 'needs_human', status_since: '2026-11-21T10:12:00.000Z', escalation: { reason: result.reason, at: '2026-11-21T10:12:00.000Z' } })
    const note = await ws.read('.devfactory/oracle/escalation-1.2-1.md')
    expect(note).toContain('# Escalation: task 1.2 needs a person\n\nReason: the requirements are unclear, and only a person can settle them\n')
    expect(note).toContain('  - asked "which OAuth provider?" 3 times')
    expect(note).toContain('set its status in .devfactory/beast/state.json back to `pending`')
    expect(await tracker.list()).toMatchObject([{ type: 'escalation', outcome: 'escalated', classification: 'unclear_requirements', action: `escalated to a person: ${result.reason}; note ${result.notePath}` }])
  })
})

describe('the ladder: guidance, guidance, takeover', () => {
  it('takes over after two failed guidances, and the task ends complete', async () => {
    const agent = await writeFakeAgent(root)
    const takeover = new TakeoverManager({ rootDir: root, state, command: agent('ok'), timeoutMs: 10_000, clock })
    fake.enqueue(ok(ANSWER), ok(ANSWER))
    const { instance } = engine({ takeover })
    expect((await instance.intervene(request)).type).toBe('guidance')
    clock.advance(6 * 60_000)
    expect((await instance.intervene(request)).type).toBe('guidance')
    clock.advance(6 * 60_000)
    const third = await instance.intervene(request)
    expect(third).toMatchObject({ type: 'takeover', success: true, recordId: 'int-3', reason: '2 interventions on this task failed' })
    expect(third.takeover).toMatchObject({ checkbox: 'ticked', promptPath: '.devfactory/oracle/takeover-1.2-1.md' })
    expect((await tracker.list()).map((r) => [r.type, r.outcome])).toEqual([['guidance', 'failed'], ['guidance', 'failed'], ['takeover', 'resolved']])
    expect(state.current.tasks['1.2']?.status).toBe('complete')
    expect(await ws.read('.devfactory/specs/auth/tasks.md')).toContain('- [x] 1.2 Add sessions table')
  })

  it('escalates after a failed takeover', async () => {
    const agent = await writeFakeAgent(root)
    const takeover = new TakeoverManager({ rootDir: root, state, command: agent('fail'), timeoutMs: 10_000, clock })
    const { instance } = engine({ takeover, maxInterventionsPerTask: 5 })
    const failedTakeover = await instance.intervene({ ...request, strategy: 'takeover' })
    expect(failedTakeover).toMatchObject({ type: 'takeover', success: false, error: expect.stringContaining('code 3') })
    expect(state.current.tasks['1.2']?.status).toBe('stuck')
    const next = await instance.intervene(request)
    expect(next).toMatchObject({ type: 'escalation', reason: 'a takeover of this task failed' })
  })

  it('escalates when a takeover is due but no agent is configured', async () => {
    const { instance } = engine()
    const previous = [1, 2].map((n) => ({ id: `int-${n}`, timestamp: AT, taskId: '1.2', worker: 'worker-1', classification: 'technical_error' as const, type: 'guidance' as const, contextSummary: '', action: '', outcome: 'failed' as const }))
    const result = await instance.intervene({ ...request, previousInterventions: previous })
    expect(result).toMatchObject({ type: 'escalation', reason: '2 interventions on this task failed; a takeover is due but no takeoverCommand is configured' })
    await expect(instance.intervene({ ...request, strategy: 'takeover' })).rejects.toMatchObject({ code: 'ORACLE_DEVFACTORY_NO_AGENT' })
  })
})
