import { realpath } from 'node:fs/promises'
import { isAlive, manualClock } from '@oraclekit/kernel'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFakeAgent } from '../_test/fake-agent.js'
import { AT, TASKS_MD, stuckState, taskContext } from '../_test/fixtures.js'
import { type MemoryState, memoryState } from '../_test/memory-state.js'
import { buildTakeoverPrompt } from '../prompts.js'
import { TakeoverManager, type TakeoverManagerOptions } from './takeover.js'

let ws: TempWorkspace
let root: string
let agent: Awaited<ReturnType<typeof writeFakeAgent>>
let state: MemoryState

beforeEach(async () => {
  ws = await createTempWorkspace({ prefix: 'df-takeover-', files: { '.devfactory/specs/auth/tasks.md': TASKS_MD } })
  root = await realpath(ws.dir)
  agent = await writeFakeAgent(root)
  state = memoryState(stuckState())
})
afterEach(async () => {
  await ws.cleanup()
})

function manager(extra: Partial<TakeoverManagerOptions> = {}): TakeoverManager {
  return new TakeoverManager({ rootDir: root, state, command: agent('ok'), timeoutMs: 10_000, killGraceMs: 200, clock: manualClock('2026-11-21T11:00:00Z'), ...extra })
}
const request = { task: taskContext(), summary: 'PROJECT SUMMARY', reason: '2 failed guidance attempts', worker: 'worker-1' }

describe('TakeoverManager', () => {
  it('runs the agent, ticks the checkbox and completes the task', async () => {
    const result = await manager().takeover(request)
    expect(result).toMatchObject({ success: true, taskId: '1.2', exitCode: 0, timedOut: false, checkbox: 'ticked', promptPath: '.devfactory/oracle/takeover-1.2-1.md', logPath: '.devfactory/oracle/takeover-1.2-1.log' })
    expect(result.error).toBeUndefined()
    // Placeholders replaced, cwd = root, the prompt both in the file and on stdin.
    const seen = JSON.parse(await ws.read('agent-seen.json'))
    const prompt = buildTakeoverPrompt('PROJECT SUMMARY', taskContext())
    expect(seen.rest).toEqual([`${root}/.devfactory/oracle/takeover-1.2-1.md`, '1.2', root])
    expect(await realpath(seen.cwd)).toBe(root)
    expect(seen.stdin).toBe(prompt)
    expect(seen.promptFile).toBe(`${prompt}\n`)
    expect(await ws.read('.devfactory/specs/auth/tasks.md')).toBe(TASKS_MD.replace('- [ ] 1.2', '- [x] 1.2'))
    const log = await ws.read('.devfactory/oracle/takeover-1.2-1.log')
    expect(log).toContain('implemented the task')
    expect(log).toContain('[oracle] exit code 0')
    expect(state.current.tasks['1.2']).toMatchObject({ status: 'complete', status_since: '2026-11-21T11:00:00.000Z' })
    expect(state.current.workers['worker-1']).toMatchObject({ status: 'idle' })
    expect(state.current.workers['worker-1']?.task_id).toBeUndefined()
  })

  it('puts the task back to stuck when the agent fails, and numbers the next files', async () => {
    const takeovers = manager({ command: agent('fail') })
    const first = await takeovers.takeover(request)
    expect(first).toMatchObject({ success: false, exitCode: 3, timedOut: false })
    expect(first.error).toBe('the agent exited with code 3; see .devfactory/oracle/takeover-1.2-1.log')
    expect(first.checkbox).toBeUndefined()
    expect(await ws.read('.devfactory/oracle/takeover-1.2-1.log')).toContain('boom: cannot compile')
    expect(await ws.read('.devfactory/specs/auth/tasks.md')).toBe(TASKS_MD)
    expect(state.current.tasks['1.2']?.status).toBe('stuck')
    expect(state.current.workers['worker-1']?.status).toBe('stuck')
    const second = await takeovers.takeover(request)
    expect(second.promptPath).toBe('.devfactory/oracle/takeover-1.2-2.md')
  })

  it('stops the whole process tree at the timeout', async () => {
    const result = await manager({ command: agent('hang'), timeoutMs: 1_500 }).takeover(request)
    expect(result).toMatchObject({ success: false, timedOut: true })
    expect(result.error).toMatch(/^the agent did not finish within 1.5 s and was stopped/)
    const pids = JSON.parse(await ws.read('agent-pids.json'))
    expect(isAlive(pids.agent)).toBe(false)
    expect(isAlive(pids.grandchild)).toBe(false)
    expect(state.current.tasks['1.2']?.status).toBe('stuck')
    expect(await ws.read('.devfactory/oracle/takeover-1.2-1.log')).toContain('(timeout)')
  })

  it('reports an agent that cannot start as a failed takeover', async () => {
    const result = await manager({ command: ['/nonexistent/agent-binary', '{prompt_file}'] }).takeover(request)
    expect(result.success).toBe(false)
    expect(result.error).toMatch(/^the agent could not be started \(ENOENT/)
    expect(state.current.tasks['1.2']?.status).toBe('stuck')
  })

  it('refuses without an agent command, changing nothing', async () => {
    const before = structuredClone(state.current)
    const error = await manager({ command: undefined }).takeover(request).catch((e: unknown) => e as any)
    expect(error.code).toBe('ORACLE_DEVFACTORY_NO_AGENT')
    expect(error.hint).toContain('takeoverCommand')
    expect(state.current).toEqual(before)
  })

  it('refuses a second takeover while one runs', async () => {
    const takeovers = manager({ command: agent('wait') })
    const first = takeovers.takeover(request)
    await expect.poll(() => state.current.tasks['1.2']?.status).toBe('oracle_takeover')
    expect(state.current.workers['worker-1']?.status).toBe('oracle_takeover')
    await expect(takeovers.takeover({ ...request, task: taskContext({ id: '1.3', title: 'Seed data', line: 5 }) })).rejects.toMatchObject({
      code: 'ORACLE_DEVFACTORY_TAKEOVER_BUSY',
      message: 'Cannot take over 1.3: a takeover is already running (1.2)',
    })
    expect(state.current.tasks['1.3']).toBeUndefined()
    await ws.write('release.txt', 'go')
    expect((await first).success).toBe(true)
  })

  it.each([
    ['started a minute ago by another process: busy', '2026-11-21T10:59:00Z', true],
    ['left by a crash long ago: ignored', AT.replace('10:00', '09:00'), false],
  ])('a task already in oracle_takeover in the state file, %s', async (_name, since, busy) => {
    state.current.tasks['9.9'] = { id: '9.9', status: 'oracle_takeover', status_since: since }
    const outcome = manager({ timeoutMs: 5_000 }).takeover(request)
    if (busy) await expect(outcome).rejects.toMatchObject({ code: 'ORACLE_DEVFACTORY_TAKEOVER_BUSY' })
    else expect((await outcome).success).toBe(true)
  })

  it('completes the task even when the box cannot be found, and says so', async () => {
    await ws.write('.devfactory/specs/auth/tasks.md', '# Tasks\n\nnothing here\n')
    const result = await manager().takeover({ ...request, task: taskContext({ line: 99 }) })
    expect(result).toMatchObject({ success: true, checkbox: 'not_found' })
    expect(state.current.tasks['1.2']?.status).toBe('complete')
    const noFile = await manager().takeover({ ...request, task: taskContext({ tasksFile: undefined }) })
    expect(noFile.checkbox).toBe('no_tasks_file')
  })
})
