import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRunId, eventLine, eventLogPath, latestRun, openEventLog, readEvents } from './events.js'

let root: string | undefined
const workspace = () => (root = mkdtempSync(join(tmpdir(), 'orchestrator-events-')))
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true })
  root = undefined
})

describe('event log', () => {
  it('appends JSONL lines, ts and type first, and reads them back', () => {
    const dir = workspace()
    const log = openEventLog(dir, '20261122T031500Z')
    log.append({ type: 'task_started', task: 'a', shard: null }, '2026-11-22T03:15:00Z')
    log.append({ type: 'command_run', task: 'a', cmd: 'npm test', status: 0 }, '2026-11-22T03:15:01Z')
    log.close()
    expect(log.path).toBe(join(dir, '.codex/runs/20261122T031500Z.jsonl'))
    expect(readFileSync(log.path, 'utf8')).toBe(
      '{"ts":"2026-11-22T03:15:00Z","type":"task_started","shard":null,"task":"a"}\n{"ts":"2026-11-22T03:15:01Z","type":"command_run","cmd":"npm test","status":0,"task":"a"}\n',
    )
    expect(readEvents(log.path)).toEqual([
      { ts: '2026-11-22T03:15:00Z', type: 'task_started', task: 'a', shard: null },
      { ts: '2026-11-22T03:15:01Z', type: 'command_run', task: 'a', cmd: 'npm test', status: 0 },
    ])
  })

  it('writes a turn\'s events together when the turn ends; flush writes them at once; a closed log refuses more', async () => {
    const dir = workspace()
    const log = openEventLog(dir, 'r')
    log.append({ type: 'task_completed', task: 'a' }, 't1')
    log.append({ type: 'task_started', task: 'b' }, 't2')
    expect(readFileSync(log.path, 'utf8')).toBe('')
    await new Promise((resolve) => setImmediate(resolve))
    expect(readEvents(log.path).map((event) => `${event.type} ${event.task}`)).toEqual(['task_completed a', 'task_started b'])
    log.append({ type: 'task_completed', task: 'b' }, 't3')
    log.flush()
    expect(readEvents(log.path).map((event) => event.ts)).toEqual(['t1', 't2', 't3'])
    log.close()
    expect(() => log.append({ type: 'completed' }, 't4')).toThrow(/is closed/)
    await new Promise((resolve) => setImmediate(resolve))
    expect(readEvents(log.path)).toHaveLength(3)
  })

  it('drops undefined fields and a stray ts of the event', () => {
    expect(eventLine({ type: 'blocked', task: 'b', message: undefined, ts: 'old' } as never, 'new')).toBe('{"ts":"new","type":"blocked","task":"b"}')
  })

  it.each([
    { name: 'a torn last line', tail: '{"ts":"x","type":"task_sta' },
    { name: 'a torn last line of one byte', tail: '{' },
    { name: 'an empty last line', tail: '' },
  ])('ignores $name', ({ tail }) => {
    const dir = workspace()
    const path = eventLogPath(dir, 'r')
    const log = openEventLog(dir, 'r')
    log.append({ type: 'task_started', task: 'a' }, 't0')
    log.close()
    appendFileSync(path, tail)
    expect(readEvents(path)).toEqual([{ ts: 't0', type: 'task_started', task: 'a' }])
  })

  it('cuts a torn tail before appending again (resume after a kill)', () => {
    const dir = workspace()
    const path = eventLogPath(dir, 'r')
    openEventLog(dir, 'r').close()
    writeFileSync(path, '{"ts":"t0","type":"task_started","task":"a"}\n{"ts":"t1","type":"task_compl')
    const log = openEventLog(dir, 'r')
    log.append({ type: 'resumed' }, 't2')
    log.close()
    expect(readEvents(path).map((e) => e.type)).toEqual(['task_started', 'resumed'])
  })

  it('a log that is only a fragment is emptied', () => {
    const dir = workspace()
    const path = eventLogPath(dir, 'r')
    openEventLog(dir, 'r').close()
    writeFileSync(path, '{"ts":"t0","ty')
    openEventLog(dir, 'r').close()
    expect(readFileSync(path, 'utf8')).toBe('')
  })

  it('a bad line in the middle is corruption', () => {
    const dir = workspace()
    const path = eventLogPath(dir, 'r')
    openEventLog(dir, 'r').close()
    writeFileSync(path, '{"ts":"t0","type":"resumed"}\nnot json\n{"ts":"t1","type":"resumed"}\n')
    expect(() => readEvents(path)).toThrow(expect.objectContaining({ code: 'ORACLE_ARTIFACT_CORRUPT', line: 2 }))
  })

  it('latestRun is the newest run by name; run ids get a suffix when taken', () => {
    const dir = workspace()
    expect(latestRun(dir)).toBeUndefined()
    const date = new Date('2026-11-22T03:15:00.123Z')
    const first = createRunId(dir, date)
    expect(first).toBe('20261122T031500Z')
    openEventLog(dir, first).close()
    const second = createRunId(dir, date)
    expect(second).toBe('20261122T031500Z-02')
    openEventLog(dir, second).close()
    openEventLog(dir, '20261121T235959Z').close()
    expect(latestRun(dir)).toBe('20261122T031500Z-02')
    openEventLog(dir, createRunId(dir, new Date('2026-11-22T03:15:01Z'))).close()
    expect(latestRun(dir)).toBe('20261122T031501Z')
  })

  it('appends 1000 events fast (fsync is throttled)', () => {
    const dir = workspace()
    const log = openEventLog(dir, 'bench')
    const begin = performance.now()
    for (let i = 0; i < 1000; i++) log.append({ type: 'task_completed', task: `t${i}` }, '2026-11-22T03:15:00.000Z')
    log.flush()
    const elapsed = performance.now() - begin
    log.close()
    expect(readEvents(log.path)).toHaveLength(1000)
    expect(elapsed).toBeLessThan(500)
  })
})
