import { lstatSync, readlinkSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createTempWorkspace, plainEnv, startNode } from './testing.js'

describe('createTempWorkspace', () => {
  it('writes the files, reads them back, links node_modules, and removes everything on cleanup', async () => {
    const ws = await createTempWorkspace({ files: { 'a/b.txt': 'hello' }, nodeModules: '/usr', prefix: 'tw-' })
    expect(ws.dir).toMatch(/tw-[^/]+$/)
    expect(await ws.read('a/b.txt')).toBe('hello')
    expect(await ws.write('c/d.json', '{}')).toBe(ws.path('c/d.json'))
    expect(ws.exists('c/d.json')).toBe(true)
    expect(lstatSync(ws.path('node_modules')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(ws.path('node_modules'))).toBe('/usr')
    await ws.cleanup()
    expect(ws.exists('a/b.txt')).toBe(false)
  })

  it('links no node_modules unless asked', async () => {
    const ws = await createTempWorkspace()
    try {
      expect(ws.exists('node_modules')).toBe(false)
    } finally {
      await ws.cleanup()
    }
  })
})

describe('startNode and plainEnv', () => {
  it('runs a script with its args in cwd, collects both streams, and reports the exit code', async () => {
    const ws = await createTempWorkspace({ files: { 'x.mjs': 'import { existsSync } from "node:fs"\nconsole.log([process.argv.slice(2).join(","), existsSync("x.mjs"), process.env.NO_COLOR, process.env.FORCE_COLOR ?? "-", process.env.EXTRA ?? "-"].join(" "))\nconsole.error("err")\nprocess.exit(3)\n' } })
    try {
      process.env.FORCE_COLOR = '1'
      const { done } = startNode(ws.path('x.mjs'), ['a', 'b'], { cwd: ws.dir, env: plainEnv({ EXTRA: 'e', HOME: undefined }) })
      const run = await done
      expect(run).toEqual({ code: 3, signal: null, stdout: 'a,b true 1 - e\n', stderr: 'err\n' })
    } finally {
      delete process.env.FORCE_COLOR
      await ws.cleanup()
    }
  })

  it('reports the signal of a killed process', async () => {
    const ws = await createTempWorkspace({ files: { 'wait.mjs': 'setInterval(() => {}, 1000)' } })
    try {
      const { child, done } = startNode(ws.path('wait.mjs'), [], { cwd: ws.dir })
      child.kill('SIGKILL')
      expect(await done).toMatchObject({ code: null, signal: 'SIGKILL' })
    } finally {
      await ws.cleanup()
    }
  })

  it('removes a variable given as undefined', () => {
    process.env.ORACLEKIT_TEST_VAR = 'x'
    try {
      expect(plainEnv({ ORACLEKIT_TEST_VAR: undefined }).ORACLEKIT_TEST_VAR).toBeUndefined()
      expect(plainEnv().ORACLEKIT_TEST_VAR).toBe('x')
    } finally {
      delete process.env.ORACLEKIT_TEST_VAR
    }
  })
})
