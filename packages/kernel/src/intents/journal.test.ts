import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openJournal, readJournal } from './journal.js'
import type { JobResult } from './types.js'

function result(id: string, status: JobResult['status'], extra: Partial<JobResult> = {}): JobResult {
  return { id, intent: 'echo', status, attempts: 1, durationMs: 3, evidence: [], inputHash: `hash-${id}`, ...extra }
}

describe('journal', () => {
  let dir: string
  let path: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-'))
    path = join(dir, 'runs', 'r1', 'journal.jsonl')
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('reads a missing journal as empty, and creates its directory on open', () => {
    expect(readJournal(path)).toEqual(new Map())
    openJournal(path).close()
    expect(existsSync(path)).toBe(true)
    expect(readJournal(path).size).toBe(0)
  })

  it('appends one line per result and reads them back', () => {
    const a = result('a', 'ok', { output: { n: 1, nested: { z: true, a: [1, 2] } }, evidence: ['out/a.txt'], labels: { product: 'p1' } })
    const b = result('b', 'failed', { reason: 'nope', failureKind: 'test_failed', attempts: 3 })
    const journal = openJournal(path)
    journal.append(a)
    journal.append(b)
    journal.close()
    const lines = readFileSync(path, 'utf8').split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(JSON.parse(lines[0] as string)).toEqual({ type: 'job', result: a })
    expect(readJournal(path)).toEqual(new Map([['a', a], ['b', b]]))
  })

  it('is appended to across opens, and the last record of a job wins', () => {
    const first = openJournal(path)
    first.append(result('a', 'stopped', { failureKind: 'timeout' }))
    first.append(result('b', 'ok'))
    first.close()
    const second = openJournal(path)
    second.append(result('a', 'ok', { attempts: 2 }))
    second.close()
    const read = readJournal(path)
    expect([...read.keys()]).toEqual(['a', 'b'])
    expect(read.get('a')).toMatchObject({ status: 'ok', attempts: 2 })
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(3)
  })

  it('ignores a torn last line, and the next append starts on a new line', () => {
    const journal = openJournal(path)
    journal.append(result('a', 'ok'))
    journal.close()
    // A process killed in the middle of a write: half a record, no newline.
    const torn = JSON.stringify({ type: 'job', result: result('b', 'ok') }).slice(0, 40)
    appendFileSync(path, torn)
    expect([...readJournal(path).keys()]).toEqual(['a'])

    const resumed = openJournal(path)
    resumed.append(result('c', 'failed'))
    resumed.close()
    const lines = readFileSync(path, 'utf8').split('\n')
    expect(lines).toEqual([expect.stringContaining('"id":"a"'), torn, expect.stringContaining('"id":"c"'), ''])
    expect([...readJournal(path).keys()]).toEqual(['a', 'c'])
  })

  it('does not add a newline to a journal that ends cleanly', () => {
    const journal = openJournal(path)
    journal.append(result('a', 'ok'))
    journal.close()
    const before = readFileSync(path, 'utf8')
    openJournal(path).close()
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it('skips blank lines, garbage and records of other types', () => {
    mkdirSync(dirname(path), { recursive: true })
    const lines = [
      '',
      'not json',
      JSON.stringify({ type: 'note', result: result('x', 'ok') }),
      JSON.stringify({ type: 'job', result: { intent: 'no id' } }),
      JSON.stringify({ type: 'job', result: result('a', 'ok') }),
      '   ',
    ]
    writeFileSync(path, `${lines.join('\n')}\n`)
    expect([...readJournal(path).keys()]).toEqual(['a'])
  })

  it('rethrows read errors other than a missing file', () => {
    expect(() => readJournal(dir)).toThrow(/EISDIR/)
  })
})
