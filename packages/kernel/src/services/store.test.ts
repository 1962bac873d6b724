import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExitCode, type OracleError } from '../errors/oracle-error.js'
import { createArtifactStore, parseJsonText, readJsonFile, withFileLock, writeFileAtomic, writeJsonAtomic } from './store.js'
import { rejection, useTempDir } from '../_test/helpers.js'

const dir = useTempDir('oraclekit-store-')

describe('writeFileAtomic', () => {
  it('creates missing parent directories', async () => {
    const file = join(dir(), 'a', 'b', 'c.txt')
    await writeFileAtomic(file, 'hello\n')
    expect(await readFile(file, 'utf8')).toBe('hello\n')
  })

  it('replaces the content and leaves no temporary file behind', async () => {
    const file = join(dir(), 'state.txt')
    await writeFileAtomic(file, 'a much longer first version of the file\n')
    await writeFileAtomic(file, 'short\n')
    expect(await readFile(file, 'utf8')).toBe('short\n')
    expect(await readdir(dir())).toEqual(['state.txt'])
  })

  it('writes bytes exactly', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i)
    const file = join(dir(), 'bytes.bin')
    await writeFileAtomic(file, bytes)
    expect(new Uint8Array(await readFile(file))).toEqual(bytes)
  })

  it('writes strings as UTF-8', async () => {
    const file = join(dir(), 'utf8.txt')
    await writeFileAtomic(file, 'é☃😀')
    expect(await readFile(file)).toEqual(Buffer.from('é☃😀', 'utf8'))
  })
})

describe('writeJsonAtomic', () => {
  it('writes stable JSON with a final newline', async () => {
    const file = join(dir(), 'x', 'value.json')
    await writeJsonAtomic(file, { b: 1, a: { d: undefined, c: [2, 1] } })
    expect(await readFile(file, 'utf8')).toBe('{\n  "a": {\n    "c": [\n      2,\n      1\n    ]\n  },\n  "b": 1\n}\n')
  })
})

describe('readJsonFile', () => {
  it('is undefined when the file does not exist', async () => {
    expect(await readJsonFile(join(dir(), 'missing.json'))).toBeUndefined()
    expect(await readJsonFile(join(dir(), 'no', 'such', 'dir().json'))).toBeUndefined()
  })

  it('reads what writeJsonAtomic wrote', async () => {
    const file = join(dir(), 'v.json')
    const value = { list: [1, 'two', null], nested: { ok: true } }
    await writeJsonAtomic(file, value)
    expect(await readJsonFile(file)).toEqual(value)
  })

  it('reports a corrupt file as ORACLE_ARTIFACT_CORRUPT, exit code 3, with file and line', async () => {
    const file = join(dir(), 'broken.json')
    await writeFile(file, '{\n  "a": 1,\n  "b": \n}\n')
    const error = await rejection(readJsonFile(file))
    expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_ARTIFACT_CORRUPT', exitCode: ExitCode.invalidInput, file, line: 4 })
    expect(error.exitCode).toBe(3)
    expect(error.message).toContain(`${file} is not valid JSON`)
    expect(error.hint).toMatch(/restore it or delete it/)
  })

  it('does not hide other read errors', async () => {
    await mkdir(join(dir(), 'a-directory.json'))
    await expect(readJsonFile(join(dir(), 'a-directory.json'))).rejects.toMatchObject({ code: 'EISDIR' })
  })
})

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a":[1,2]}', 'x.json')).toEqual({ a: [1, 2] })
  })

  // V8 words these errors in four ways (a position; the context of an unexpected token, whole or
  // cut at the start, the end or both; end of input), and each must still give the line.
  it.each([
    ['an unexpected token near the end', '{\n  "a": 1,\n  "b": \n}\n', 4],
    ['an unexpected token in the middle', '{\n  "abcdefghijklmnop": 1,\n  "b": x,\n  "c": 3333333\n}\n', 3],
    ['an unexpected token near the start', '[1,\n}, 2, 3, 4, 5, 6, 7, 8, 9, 10]', 2],
    ['an unexpected token in a short text', '{"a": }', 1],
    ['an unexpected token in a short text of several lines', '{\n"a":\n}', 3],
    ['a trailing comma', '{\n  "a": 1,\n}\n', 3],
    ['text after the value', '{\n  "a": 1,\n  "b": 2\n}\n}', 5],
    ['a control character in a string', '{\n  "a": "x\u0001"\n}', 2],
    ['a truncated file', '{\n  "a": [1,\n', 2],
    ['an empty file', '', 1],
    ['a single quote', "{\n  'a': 1\n}", 2],
  ])('gives the line of %s', (_what, text, line) => {
    let error: OracleError | undefined
    try {
      parseJsonText(text, 'f.json')
    } catch (caught) {
      error = caught as OracleError
    }
    expect(error).toMatchObject({ code: 'ORACLE_ARTIFACT_CORRUPT', exitCode: 3, file: 'f.json', line })
  })
})

describe('withFileLock', () => {
  it('holds a <path>.lock directory while fn runs, returns its result, then releases', async () => {
    const file = join(dir(), 'deep', 'counter.json')
    const result = await withFileLock(file, async () => {
      expect((await stat(`${file}.lock`)).isDirectory()).toBe(true)
      return 42
    })
    expect(result).toBe(42)
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('releases the lock when fn throws, and rethrows what fn threw', async () => {
    const file = join(dir(), 'f.json')
    const boom = new Error('boom')
    await expect(withFileLock(file, () => Promise.reject(boom))).rejects.toBe(boom)
    expect(existsSync(`${file}.lock`)).toBe(false)
    expect(await withFileLock(file, async () => 'again')).toBe('again')
  })

  it('refuses with ORACLE_ARTIFACT_LOCKED when the lock is taken and stays taken', async () => {
    const file = join(dir(), 'f.json')
    let ran = false
    await withFileLock(file, async () => {
      const error = await rejection(
        withFileLock(
          file,
          async () => {
            ran = true
          },
          { retries: 1 },
        ),
      )
      expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_ARTIFACT_LOCKED', file, exitCode: ExitCode.failed })
      expect(error.message).toBe(`${file} is locked by another process`)
      expect(error.hint).toContain(`${file}.lock`)
      expect(error.cause).toMatchObject({ code: 'ELOCKED' })
    })
    expect(ran).toBe(false)
  })

  it('takes over a lock abandoned for longer than staleMs', async () => {
    const file = join(dir(), 'f.json')
    await mkdir(`${file}.lock`)
    const old = new Date(Date.now() - 60_000)
    await utimes(`${file}.lock`, old, old)
    expect(await withFileLock(file, async () => 'mine', { staleMs: 5_000, retries: 0 })).toBe('mine')
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('waits for a fresh lock instead of taking it over', async () => {
    const file = join(dir(), 'f.json')
    await mkdir(`${file}.lock`)
    await expect(withFileLock(file, async () => 'mine', { staleMs: 5_000, retries: 0 })).rejects.toMatchObject({ code: 'ORACLE_ARTIFACT_LOCKED' })
  })
})

describe('createArtifactStore', () => {
  it('writes, reads and resolves below its root', async () => {
    const store = createArtifactStore(dir())
    expect(store.root).toBe(dir())
    expect(store.resolve('a/b.txt')).toBe(join(dir(), 'a', 'b.txt'))
    expect(await store.write('runs/r1/out.txt', 'text\n')).toBe(join(dir(), 'runs', 'r1', 'out.txt'))
    expect(await readFile(join(dir(), 'runs', 'r1', 'out.txt'), 'utf8')).toBe('text\n')
    expect(await store.readText('runs/r1/out.txt')).toBe('text\n')
    expect(await store.writeJson('runs/r1/result.json', { z: 1, a: 2 })).toBe(join(dir(), 'runs', 'r1', 'result.json'))
    expect(await readFile(join(dir(), 'runs', 'r1', 'result.json'), 'utf8')).toBe('{\n  "a": 2,\n  "z": 1\n}\n')
    expect(await store.readJson('runs/r1/result.json')).toEqual({ a: 2, z: 1 })
  })

  it('answers undefined for files that do not exist', async () => {
    const store = createArtifactStore(dir())
    expect(await store.readText('nope.txt')).toBeUndefined()
    expect(await store.readJson('nope.json')).toBeUndefined()
  })

  it('reports a corrupt artifact with its absolute path and line', async () => {
    await writeFile(join(dir(), 'bad.json'), '{\n  "a": 1,\n}\n')
    const error = await rejection(createArtifactStore(dir()).readJson('bad.json'))
    expect(error).toMatchObject({ code: 'ORACLE_ARTIFACT_CORRUPT', exitCode: 3, file: join(dir(), 'bad.json'), line: 3 })
  })

  describe('refuses paths that leave the root, touching nothing', () => {
    const escapes = ['../outside.json', 'a/../../outside.json', '/tmp/outside.json', '~/outside.json']
    const operations: Array<[string, (path: string) => Promise<unknown>]> = [
      ['write', (path) => createArtifactStore(join(dir(), 'root')).write(path, 'x')],
      ['writeJson', (path) => createArtifactStore(join(dir(), 'root')).writeJson(path, { x: 1 })],
      ['readText', (path) => createArtifactStore(join(dir(), 'root')).readText(path)],
      ['readJson', (path) => createArtifactStore(join(dir(), 'root')).readJson(path)],
      ['withLock', (path) => createArtifactStore(join(dir(), 'root')).withLock(path, async () => 1)],
      ['update', (path) => createArtifactStore(join(dir(), 'root')).update(path, () => 1)],
      ['resolve', async (path) => createArtifactStore(join(dir(), 'root')).resolve(path)],
    ]
    const table = operations.flatMap(([name, run]) => escapes.map((path) => [name, path, run] as const))

    it.each(table)('%s(%j)', async (_name, path, run) => {
      const error = await rejection(run(path))
      expect(error).toMatchObject({ code: 'ORACLE_PATH_OUTSIDE_ROOT', exitCode: 3 })
      expect(await readdir(dir())).toEqual([])
    })
  })

  describe('update', () => {
    it('creates the file from undefined, then reads, changes and writes it', async () => {
      const store = createArtifactStore(dir())
      const seen: unknown[] = []
      const bump = (current: { n: number } | undefined) => {
        seen.push(current)
        return { n: (current?.n ?? 0) + 1 }
      }
      expect(await store.update('state/counter.json', bump)).toEqual({ n: 1 })
      expect(await store.update('state/counter.json', bump)).toEqual({ n: 2 })
      expect(seen).toEqual([undefined, { n: 1 }])
      expect(await readFile(join(dir(), 'state', 'counter.json'), 'utf8')).toBe('{\n  "n": 2\n}\n')
      expect(existsSync(join(dir(), 'state', 'counter.json.lock'))).toBe(false)
    })

    it('holds the lock during the read-modify-write', async () => {
      const store = createArtifactStore(dir())
      await store.update('c.json', async () => {
        expect((await stat(join(dir(), 'c.json.lock'))).isDirectory()).toBe(true)
        await expect(store.withLock('c.json', async () => 'sneaked in', { retries: 0 })).rejects.toMatchObject({ code: 'ORACLE_ARTIFACT_LOCKED' })
        return { n: 1 }
      })
    })

    it('leaves the file as it was when fn throws', async () => {
      const store = createArtifactStore(dir())
      await store.writeJson('c.json', { n: 1 })
      await expect(store.update('c.json', () => Promise.reject(new Error('no')))).rejects.toThrow('no')
      expect(await store.readJson('c.json')).toEqual({ n: 1 })
      expect(existsSync(join(dir(), 'c.json.lock'))).toBe(false)
    })

    it('loses no update when many run at once in one process', async () => {
      const store = createArtifactStore(dir())
      const bump = async (current: { n: number } | undefined) => {
        const n = current?.n ?? 0
        await new Promise((resolve) => setTimeout(resolve, 1))
        return { n: n + 1 }
      }
      await Promise.all(Array.from({ length: 20 }, () => store.update('c.json', bump, { retries: 100 })))
      expect(await store.readJson('c.json')).toEqual({ n: 20 })
    })
  })
})
