import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureRun } from './_fixtures/run.js'
import { reduce } from './state.js'
import { createTasksMdWriter, formatDuration, renderTasksMd } from './tasks-md.js'

const GOLDEN = join(import.meta.dirname, '_fixtures/TASKS.golden.md')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('renderTasksMd', () => {
  it('renders the fixture run as the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    const { plan, events } = fixtureRun()
    const text = renderTasksMd(plan, reduce(events, plan))
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text)
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'))
    expect(renderTasksMd(plan, reduce(events, plan))).toBe(text)
  })

  it('lists approved gates and drops the approvals section when there are none', () => {
    const { plan, events } = fixtureRun()
    const approved = renderTasksMd(plan, reduce([...events, { ts: '2026-11-22T04:00:00.000Z', type: 'approved', gate: 'deploy', by: 'ana' }], plan))
    expect(approved).toContain('Approved: deploy by ana at 2026-11-22T04:00:00.000Z')
    expect(approved).not.toContain('Awaiting approval')
    expect(renderTasksMd(plan, reduce([], plan))).not.toContain('## Approvals')
  })

  it.each([
    [null, '-'],
    [0, '0 ms'],
    [850, '850 ms'],
    [12_345, '12.3 s'],
    [245_000, '4m 05s'],
    [3_720_000, '1h 02m'],
  ])('formatDuration(%s) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('createTasksMdWriter', () => {
  it('coalesces many updates into few writes, the latest text winning, and close writes the final text', async () => {
    const writes: string[] = []
    const writer = createTasksMdWriter('TASKS.md', {
      minIntervalMs: 30,
      write: async (_path, text) => {
        await sleep(2)
        writes.push(text)
      },
    })
    for (let i = 0; i < 500; i++) {
      writer.update(`v${i}`)
      if (i % 100 === 0) await sleep(5)
    }
    await writer.close()
    expect(writes.length).toBeGreaterThanOrEqual(2)
    expect(writes.length).toBeLessThan(20)
    expect(writes[0]).toBe('v0')
    expect(writes.at(-1)).toBe('v499')
  })

  it('writes the final text on close even within the interval, and nothing twice', async () => {
    const writes: string[] = []
    const writer = createTasksMdWriter('TASKS.md', { minIntervalMs: 10_000, write: async (_path, text) => void writes.push(text) })
    writer.update('a')
    writer.update('b')
    writer.update('c')
    await writer.close()
    expect(writes).toEqual(['a', 'c'])
    const idle = createTasksMdWriter('TASKS.md', { write: async (_path, text) => void writes.push(text) })
    await idle.close()
    expect(writes).toEqual(['a', 'c'])
  })

  it('rethrows a failed background write on close', async () => {
    const writer = createTasksMdWriter('TASKS.md', { write: async () => Promise.reject(new Error('disk full')) })
    writer.update('a')
    await expect(writer.close()).rejects.toThrow('disk full')
  })

  it('writes atomically to the file by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-tasks-'))
    try {
      const writer = createTasksMdWriter(join(dir, 'TASKS.md'))
      writer.update('one\n')
      writer.update('two\n')
      await writer.close()
      expect(readFileSync(join(dir, 'TASKS.md'), 'utf8')).toBe('two\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
