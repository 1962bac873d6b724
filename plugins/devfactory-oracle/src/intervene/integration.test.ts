// The engine on the real state store (src/state/store.ts): what it writes must read back through
// the store's schema check, on disk, under its lock.
import { realpath } from 'node:fs/promises'
import { manualClock } from '@oraclekit/kernel'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isolateSdkEnvironment } from '../_test/env.js'
import { writeFakeAgent } from '../_test/fake-agent.js'
import { type FakeAnthropic, ok, startFakeAnthropic } from '../_test/fake-anthropic.js'
import { TASKS_MD, stuckState, stuckWorker, taskContext } from '../_test/fixtures.js'
import { createContextLoader } from '../context/loader.js'
import { createClaudeAsk } from '../guidance/client.js'
import { createStateStore } from '../state/store.js'
import { TakeoverManager } from '../takeover/takeover.js'
import { InterventionTracker } from '../tracker/tracker.js'
import { InterventionEngine } from './engine.js'
import { resolvePending } from './resolve.js'

let ws: TempWorkspace
let root: string
let fake: FakeAnthropic

beforeEach(async () => {
  isolateSdkEnvironment()
  ws = await createTempWorkspace({
    prefix: 'df-integration-',
    files: { '.devfactory/beast/state.json': JSON.stringify({ version: 1, ...stuckState() }), '.devfactory/specs/auth/tasks.md': TASKS_MD },
  })
  root = await realpath(ws.dir)
  fake = await startFakeAnthropic()
})
afterEach(async () => {
  await fake.close()
  await ws.cleanup()
  vi.unstubAllEnvs()
})

describe('engine + real state store', () => {
  it('guidance, then a takeover, then resolvePending: every write reads back as a valid state', async () => {
    const clock = manualClock('2026-11-21T10:12:00Z')
    const store = createStateStore(root)
    const tracker = new InterventionTracker(root, { clock })
    const agent = await writeFakeAgent(root)
    const takeover = new TakeoverManager({ rootDir: root, state: store, command: agent('ok'), timeoutMs: 10_000, clock })
    const ask = createClaudeAsk({ model: 'claude-opus-4-5-20251101', maxTokens: 512, apiKey: 'test-key', baseURL: fake.baseURL, timeoutMs: 5_000, sleep: async () => undefined })
    const engine = new InterventionEngine({ rootDir: root, state: store, tracker, ask, takeover, clock })
    fake.enqueue(ok('### Root Cause\nA.\n### Solution\n1. B\n### Escalate\nfalse'))

    const request = { stuck: stuckWorker(), task: taskContext(), summary: 'S' }
    const guidance = await engine.intervene(request)
    expect(guidance.guidancePath).toBe('.devfactory/oracle/guidance-1.2-1.md')
    expect((await store.read()).tasks['1.2']?.guidance).toEqual(['.devfactory/oracle/guidance-1.2-1.md'])

    // The worker picks the guidance up, then gets stuck again: the guidance failed.
    await store.update((s) => {
      const worker = s.workers['worker-1']
      if (worker) Object.assign(worker, { status: 'stuck', status_since: '2026-11-21T10:15:00.000Z' })
    })
    clock.set('2026-11-21T10:16:00Z')
    expect(await resolvePending(await store.read(), tracker, clock.now())).toMatchObject([{ id: 'int-1', outcome: 'failed', reason: 'stuck again after the guidance' }])

    const result = await engine.intervene({ ...request, strategy: 'takeover' })
    expect(result).toMatchObject({ type: 'takeover', success: true })
    const state = await store.read()
    expect(state.tasks['1.2']).toMatchObject({ status: 'complete', status_since: '2026-11-21T10:16:00.000Z' })
    expect(state.workers['worker-1']).toMatchObject({ status: 'idle' })
    expect(await ws.read('.devfactory/specs/auth/tasks.md')).toBe(TASKS_MD.replace('- [ ] 1.2', '- [x] 1.2'))
    expect((await tracker.getStats()).takeoverRate).toBe(0.5)
  })

  it('with the real context loader: its summary and task context reach the prompt, its line reaches the checkbox', async () => {
    await ws.write('.devfactory/product/mission.md', '# Mission\n\nShip a login that never loses a session.\n')
    await ws.write('.devfactory/specs/auth/srd.md', '# Auth SRD\n\n## Sessions\n\nSessions expire after 30 days.\n')
    await ws.write('.devfactory/specs/auth/tasks.md', `# Tasks\n\nIntro line added by a person.\n\n${TASKS_MD.replace('# Tasks\n\n', '')}`)
    const loader = createContextLoader(root)
    await loader.load()
    const task = loader.getTaskContext('1.2')
    expect(task).toMatchObject({ id: '1.2', specName: 'auth', tasksFile: '.devfactory/specs/auth/tasks.md', line: 6 })
    if (!task) return
    const summary = loader.getSummary(1000, { taskId: '1.2' })
    const clock = manualClock('2026-11-21T10:12:00Z')
    const store = createStateStore(root)
    const agent = await writeFakeAgent(root)
    const takeover = new TakeoverManager({ rootDir: root, state: store, command: agent('ok'), timeoutMs: 10_000, clock })
    const ask = createClaudeAsk({ model: 'claude-opus-4-5-20251101', maxTokens: 512, apiKey: 'test-key', baseURL: fake.baseURL, timeoutMs: 5_000 })
    const engine = new InterventionEngine({ rootDir: root, state: store, tracker: new InterventionTracker(root, { clock }), ask, takeover, clock })
    fake.enqueue(ok('### Root Cause\nA.'))
    await engine.intervene({ stuck: stuckWorker(), task, summary })
    const prompt: string = fake.requests[0]?.body.messages[0].content
    expect(prompt).toContain(`## Project Context\n${summary}\n`)
    expect(prompt).toContain('Ship a login that never loses a session.')
    expect(prompt).toContain('- Spec: auth')
    expect((await engine.intervene({ stuck: stuckWorker(), task, summary, strategy: 'takeover' })).takeover?.checkbox).toBe('ticked')
    expect((await ws.read('.devfactory/specs/auth/tasks.md')).split('\n')[5]).toBe('- [x] 1.2 Add sessions table')
  })

  it('an escalation reads back as a valid state', async () => {
    const store = createStateStore(root)
    const engine = new InterventionEngine({ rootDir: root, state: store, tracker: new InterventionTracker(root), ask: async () => Promise.reject(new Error('not called')), clock: manualClock('2026-11-21T10:12:00Z') })
    await engine.intervene({ stuck: stuckWorker({ classification: 'unclear_requirements' }), task: taskContext(), summary: 'S' })
    expect((await store.read()).tasks['1.2']).toMatchObject({ status: 'needs_human', escalation: { at: '2026-11-21T10:12:00.000Z' } })
  })
})
