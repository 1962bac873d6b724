// The watch heartbeat: only a live `devfactory watch` process counts as a running watch.
import { spawn } from 'node:child_process'
import { realpath } from 'node:fs/promises'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type WatchFile, isWatchRunning, readWatchFile, writeWatchFile } from './watch-file.js'

let ws: TempWorkspace
let root: string
beforeEach(async () => {
  ws = await createTempWorkspace({ prefix: 'devfactory-watch-file-' })
  root = await realpath(ws.dir)
})
afterEach(() => ws.cleanup())

const file = (pid: number, state: WatchFile['state'] = 'running'): WatchFile => ({ version: 1, pid, state, startedAt: '2026-11-20T10:00:00.000Z', checkInterval: 1000, checks: 3 })

describe('watch.json', () => {
  it('round-trips, and reads anything else as no watch', async () => {
    await writeWatchFile(root, '.devfactory', file(42))
    expect(await readWatchFile(root, '.devfactory')).toEqual(file(42))
    for (const text of ['{', '{"version": 2, "pid": 1, "startedAt": "x"}', '[]']) {
      await ws.write('.devfactory/oracle/watch.json', text)
      expect(await readWatchFile(root, '.devfactory'), text).toBeUndefined()
    }
    expect(await readWatchFile(root, 'elsewhere')).toBeUndefined()
  })

  it('counts a live process whose command line is a devfactory watch, nothing else', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'devfactory', 'watch'], { stdio: 'ignore' })
    try {
      await new Promise((resolve) => child.once('spawn', resolve))
      expect(isWatchRunning(file(child.pid as number))).toBe(true)
      expect(isWatchRunning(file(child.pid as number, 'stopped'))).toBe(false)
      // This test process is alive but is no watch (a pid reused after a crash looks like this).
      if (process.platform === 'linux') expect(isWatchRunning(file(process.pid))).toBe(false)
    } finally {
      child.kill()
    }
    await new Promise((resolve) => child.once('exit', resolve))
    expect(isWatchRunning(file(child.pid as number))).toBe(false)
    expect(isWatchRunning(undefined)).toBe(false)
  })
})
