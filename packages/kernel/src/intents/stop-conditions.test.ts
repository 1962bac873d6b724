import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killSwitch, killSwitchEngaged, killSwitchFile, stopOnFailure } from './stop-conditions.js'
import type { JobResult, RunSnapshot } from './types.js'

function result(status: JobResult['status'], failureKind?: string): JobResult {
  return { id: 'j1', intent: 'x', status, attempts: 1, durationMs: 5, evidence: [], inputHash: 'h', ...(failureKind ? { failureKind, reason: 'it broke' } : {}) }
}

function snapshot(phase: RunSnapshot['phase'], last?: JobResult): RunSnapshot {
  return {
    runId: 'r',
    phase,
    ...(phase === 'before_job' ? { next: { id: 'j2', intent: 'x', input: null } } : {}),
    ...(last ? { last } : {}),
    results: last ? [last] : [],
    running: 0,
    pending: 1,
    retriesUsed: 0,
    elapsedMs: 10,
  }
}

describe('killSwitchFile', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kill-switch-'))
    await writeFile(join(dir, 'engaged'), '')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it.each([
    { file: 'engaged', phase: 'before_job' as const, stops: true },
    { file: 'engaged', phase: 'after_result' as const, stops: true },
    { file: 'absent', phase: 'before_job' as const, stops: false },
    { file: 'absent', phase: 'after_result' as const, stops: false },
  ])('$file file, $phase → stops: $stops', async ({ file, phase, stops }) => {
    const condition = killSwitchFile(join(dir, file))
    const decision = await condition.check(snapshot(phase, phase === 'after_result' ? result('ok') : undefined))
    if (!stops) return expect(decision).toBeUndefined()
    expect(decision).toEqual({ kind: 'kill_switch', message: expect.stringContaining(join(dir, file)), abortRunning: true })
    expect(condition.name).toBe('kill-switch-file')
  })

  it('reads the file system on every check', async () => {
    const file = join(dir, 'toggled')
    const condition = killSwitchFile(file)
    expect(await condition.check(snapshot('before_job'))).toBeUndefined()
    await writeFile(file, '')
    expect(await condition.check(snapshot('before_job'))).toMatchObject({ kind: 'kill_switch' })
    await rm(file)
    expect(await condition.check(snapshot('before_job'))).toBeUndefined()
  })

  it('answers synchronously through killSwitchEngaged, which the runner polls while jobs run', () => {
    expect(killSwitchEngaged(join(dir, 'engaged'))).toEqual({ kind: 'kill_switch', message: `kill switch engaged (${join(dir, 'engaged')} exists)`, abortRunning: true })
    expect(killSwitchEngaged(join(dir, 'absent'))).toBeUndefined()
  })
})

describe('stopOnFailure', () => {
  it.each([
    // kinds, phase, last result → stops
    { kinds: [], phase: 'after_result' as const, last: result('failed', 'error'), stops: true },
    { kinds: [], phase: 'after_result' as const, last: result('failed'), stops: true },
    { kinds: [], phase: 'after_result' as const, last: result('ok'), stops: false },
    { kinds: [], phase: 'after_result' as const, last: result('skipped'), stops: false },
    { kinds: [], phase: 'after_result' as const, last: result('stopped', 'timeout'), stops: false },
    { kinds: ['test_failed'], phase: 'after_result' as const, last: result('failed', 'test_failed'), stops: true },
    { kinds: ['lint', 'test_failed'], phase: 'after_result' as const, last: result('failed', 'test_failed'), stops: true },
    { kinds: ['test_failed'], phase: 'after_result' as const, last: result('failed', 'health_check'), stops: false },
    { kinds: ['test_failed'], phase: 'after_result' as const, last: result('failed'), stops: false },
    { kinds: ['test_failed'], phase: 'after_result' as const, last: result('ok'), stops: false },
    // before a job there is no fresh result to judge, even if the snapshot carries one
    { kinds: [], phase: 'before_job' as const, last: result('failed', 'error'), stops: false },
    { kinds: ['test_failed'], phase: 'before_job' as const, last: result('failed', 'test_failed'), stops: false },
    { kinds: [], phase: 'after_result' as const, last: undefined, stops: false },
  ])('kinds $kinds, $phase, last $last.status/$last.failureKind → stops: $stops', async ({ kinds, phase, last, stops }) => {
    const decision = await stopOnFailure(kinds).check(snapshot(phase, last))
    if (!stops) return expect(decision).toBeUndefined()
    expect(decision).toEqual({ kind: 'failure', message: expect.stringContaining('job j1 failed') })
    // Letting running jobs finish is the default: a failure is not an emergency.
    expect(decision?.abortRunning).toBeUndefined()
  })

  it('names the kind and the reason in its message', async () => {
    expect(await stopOnFailure().check(snapshot('after_result', result('failed', 'test_failed')))).toMatchObject({ message: 'job j1 failed (test_failed): it broke' })
    expect(await stopOnFailure().check(snapshot('after_result', result('failed')))).toMatchObject({ message: 'job j1 failed (error):' })
  })
})

describe('killSwitch', () => {
  it.each([
    { engaged: true, async: false, stops: true },
    { engaged: true, async: true, stops: true },
    { engaged: false, async: false, stops: false },
    { engaged: false, async: true, stops: false },
  ])('engaged $engaged (async $async) → stops: $stops', async ({ engaged, async, stops }) => {
    const condition = killSwitch('health', () => (async ? Promise.resolve(engaged) : engaged))
    expect(condition.name).toBe('health')
    for (const phase of ['before_job', 'after_result'] as const) {
      const decision = await condition.check(snapshot(phase, result('ok')))
      if (stops) expect(decision).toEqual({ kind: 'kill_switch', message: 'kill switch "health" engaged', abortRunning: true })
      else expect(decision).toBeUndefined()
    }
  })

  it('passes a failing predicate through (the runner turns it into stop_condition_error)', async () => {
    const condition = killSwitch('broken', () => {
      throw new Error('cannot reach the health endpoint')
    })
    await expect(condition.check(snapshot('before_job'))).rejects.toThrow('cannot reach the health endpoint')
  })
})
