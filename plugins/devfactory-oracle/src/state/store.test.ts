// The state store against real files: missing file, stable writes, broken files reported with
// their line and left alone, the lock (held by someone else, and released after a failed update),
// and readers that never see a half-written file.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ExitCode, type OracleError, withFileLock } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BeastState } from '../types.js'
import { type StateStore, createStateStore } from './store.js'

let root = ''
let store: StateStore
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'devfactory-state-'))
  store = createStateStore(root)
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function writeState(text: string): Promise<void> {
  await mkdir(dirname(store.path), { recursive: true })
  await writeFile(store.path, text)
}

async function failure(promise: Promise<unknown>): Promise<OracleError> {
  try {
    await promise
  } catch (error) {
    return error as OracleError
  }
  throw new Error('expected a rejection')
}

const WORKER = { id: 'w1', status: 'working', task_id: '1.1', status_since: '2026-11-20T10:00:00Z', activity: [] }

describe('createStateStore', () => {
  it('puts the file at <root>/.devfactory/beast/state.json, or under the dir given', () => {
    expect(store.path).toBe(join(root, '.devfactory', 'beast', 'state.json'))
    expect(createStateStore(root, { dir: 'df/' }).path).toBe(join(root, 'df', 'beast', 'state.json'))
  })

  it('refuses a dir outside the workspace', () => {
    expect(() => createStateStore(root, { dir: '../elsewhere' })).toThrow(expect.objectContaining({ code: 'ORACLE_PATH_OUTSIDE_ROOT' }))
  })
})

describe('read', () => {
  it('gives the empty state when the file does not exist, and writes nothing', async () => {
    expect(await store.read()).toEqual({ version: 1, workers: {}, tasks: {} })
    await expect(readFile(store.path)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('keeps the extra fields DevFactory adds to workers and tasks, and fills a missing activity with []', async () => {
    const { activity: _activity, ...noActivity } = WORKER
    await writeState(JSON.stringify({ version: 1, workers: { w1: { ...noActivity, branch: 'feat/x' } }, tasks: { '1.1': { id: '1.1', status: 'in_progress', priority: 2 } } }))
    const state = await store.read()
    expect(state.workers.w1).toEqual({ ...WORKER, branch: 'feat/x' })
    expect(state.tasks['1.1']).toEqual({ id: '1.1', status: 'in_progress', priority: 2 })
  })

  const valid = (worker: Record<string, unknown>) => JSON.stringify({ version: 1, workers: { w1: { ...WORKER, ...worker } }, tasks: {} }, null, 2)

  it.each([
    { name: 'truncated JSON', text: valid({}).slice(0, 60), line: 5, message: /not valid JSON/ },
    { name: 'a status of the wrong type', text: valid({ status: 42 }), line: 6, message: /workers\.w1\.status|must be/ },
    { name: 'an unknown status', text: valid({ status: 'sleeping' }), line: 6, message: /must be one of/ },
    { name: 'a time that is not ISO', text: valid({ status_since: 'yesterday' }), line: 8, message: /date-time/ },
    { name: 'a worker stored under another key', text: valid({ id: 'w2' }), line: 5, message: /workers\.w1\.id is "w2"/ },
    { name: 'an unknown top-level key', text: JSON.stringify({ version: 1, workers: {}, tasks: {}, extra: true }, null, 2), line: 5, message: /unknown key "extra"/ },
    { name: 'version 2', text: JSON.stringify({ version: 2, workers: {}, tasks: {} }, null, 2), line: 2, message: /must be/ },
  ])('$name → ORACLE_DEVFACTORY_STATE_INVALID at line $line, exit 3', async ({ text, line, message }) => {
    await writeState(text)
    const error = await failure(store.read())
    expect(error).toMatchObject({ code: 'ORACLE_DEVFACTORY_STATE_INVALID', file: '.devfactory/beast/state.json', line, exitCode: ExitCode.invalidInput })
    expect(error.message).toMatch(message)
    expect(error.message).toContain(`.devfactory/beast/state.json:${line}`)
    expect(error.hint).toMatch(/changed nothing/)
    expect(error.problems[0]).toMatchObject({ line })
  })

  it('reports every problem of the file at once, each with its line', async () => {
    await writeState(JSON.stringify({ version: 1, workers: { w1: { ...WORKER, status: 'zzz' }, w2: { ...WORKER, id: 'w2', status_since: 1 } }, tasks: {} }, null, 2))
    const error = await failure(store.read())
    expect(error.problems.map((p) => [p.path, p.line])).toEqual([
      ['workers.w1.status', 6],
      ['workers.w2.status_since', 15],
    ])
  })
})

describe('update', () => {
  it('creates the file when missing and writes stable JSON (sorted keys, final newline)', async () => {
    const result = await store.update((state) => {
      state.workers.w1 = { ...WORKER, status: 'working', activity: [] } as BeastState['workers'][string]
      return 'done'
    })
    expect(result).toBe('done')
    const text = await readFile(store.path, 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.indexOf('"tasks"')).toBeLessThan(text.indexOf('"version"'))
    expect(text.indexOf('"activity"')).toBeLessThan(text.indexOf('"id"'))
    expect(JSON.parse(text)).toEqual({ version: 1, workers: { w1: WORKER }, tasks: {} })
  })

  it('leaves a broken file as it is and reports it', async () => {
    const broken = '{ "version": 1, "workers": {\n'
    await writeState(broken)
    let called = false
    const error = await failure(
      store.update(() => {
        called = true
      }),
    )
    expect(error).toMatchObject({ code: 'ORACLE_DEVFACTORY_STATE_INVALID', line: 2 })
    expect(called).toBe(false)
    expect(await readFile(store.path, 'utf8')).toBe(broken)
  })

  it('writes nothing when fn throws, passes its error through, and releases the lock', async () => {
    await store.update((state) => {
      state.tasks.t = { id: 't', status: 'pending' }
    })
    const before = await readFile(store.path, 'utf8')
    const boom = new Error('boom')
    await expect(
      store.update((state) => {
        state.tasks.t = { id: 't', status: 'complete' }
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await readFile(store.path, 'utf8')).toBe(before)
    await store.update((state) => {
      state.tasks.t = { id: 't', status: 'complete' }
    })
    expect((await store.read()).tasks.t?.status).toBe('complete')
  })

  it('gives ORACLE_DEVFACTORY_STATE_LOCKED after 5 attempts while someone else holds the lock, without calling fn', async () => {
    await store.update(() => undefined)
    const before = await readFile(store.path, 'utf8')
    let called = false
    const started = Date.now()
    const error = await withFileLock(store.path, () =>
      failure(
        store.update(() => {
          called = true
        }),
      ),
    )
    expect(error).toMatchObject({ code: 'ORACLE_DEVFACTORY_STATE_LOCKED', file: '.devfactory/beast/state.json' })
    expect(error.message).toContain('5 attempts')
    expect(error.hint).toContain('.devfactory/beast/state.json.lock')
    // It waited and retried (25 + 50 + 100 + 200 ms at the least) instead of failing at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(called).toBe(false)
    expect(await readFile(store.path, 'utf8')).toBe(before)
  })

  it('never lets a reader see a half-written file', async () => {
    // A big state makes each write take long enough for reads to land in the middle of it.
    const padding = 'x'.repeat(200_000)
    const writes = (async () => {
      for (let i = 0; i < 15; i++) {
        await store.update((state) => {
          state.tasks.big = { id: 'big', status: 'in_progress', title: `${i}:${padding}` }
        })
      }
    })()
    let reads = 0
    let done = false
    void writes.finally(() => {
      done = true
    })
    while (!done) {
      const state = await store.read()
      expect(state.tasks.big?.title?.endsWith(padding) ?? true).toBe(true)
      reads++
    }
    await writes
    expect(reads).toBeGreaterThan(1)
    expect((await store.read()).tasks.big?.title?.startsWith('14:')).toBe(true)
  })
})
