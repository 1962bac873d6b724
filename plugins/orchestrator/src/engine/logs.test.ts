import { readFile, readdir, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogWriter } from './logs.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orchestrator-logs-'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

describe('the task log writer', () => {
  it('writes every log whole by flush, making the folder once, leaving no temp files', async () => {
    const logs = createLogWriter(root)
    for (let i = 0; i < 50; i++) logs.write(`.codex/runs/r1/t${i}.log`, `log ${i}\n`.repeat(100))
    await logs.flush()
    const names = await readdir(join(root, '.codex/runs/r1'))
    expect(names.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}.log`).sort())
    expect(await readFile(join(root, '.codex/runs/r1/t7.log'), 'utf8')).toBe('log 7\n'.repeat(100))
  })

  it('writes at the end of the turn, not during it', async () => {
    const logs = createLogWriter(root)
    logs.write('r/a.log', 'a')
    logs.write('r/b.log', 'b')
    expect(existsSync(join(root, 'r'))).toBe(false)
    await new Promise((resolve) => setImmediate(resolve))
    expect((await readdir(join(root, 'r'))).sort()).toEqual(['a.log', 'b.log'])
  })

  it('the last write of a path wins', async () => {
    const logs = createLogWriter(root)
    logs.write('a.log', 'first')
    await logs.flush()
    logs.write('a.log', 'second')
    await logs.flush()
    expect(await readFile(join(root, 'a.log'), 'utf8')).toBe('second')
  })

  it('reports a log it could not write at flush', async () => {
    await writeFile(join(root, 'blocked'), 'a file where a folder should be')
    const logs = createLogWriter(root)
    logs.write('blocked/t.log', 'x')
    await expect(logs.flush()).rejects.toMatchObject({ code: expect.stringMatching(/EEXIST|ENOTDIR/) })
    await mkdir(join(root, 'ok'))
  })
})
