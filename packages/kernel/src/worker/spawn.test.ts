import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ExecResult } from '../intent.js'
import { execServer } from './exec-server.js'
import { type SpawnOptions, nodeSpawn, serverProcess } from './spawn.js'

// The exec helper must be indistinguishable from Node's spawn: every case runs both ways and the
// results are compared field by field.
const server = execServer()
if (!server) throw new Error('this machine has /bin/sh: the exec helper must start')

const dir = mkdtempSync(join(tmpdir(), 'spawn-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const node = process.execPath
const printJson = (expr: string): string[] => [node, '-e', `process.stdout.write(JSON.stringify(${expr}))`]
const base = (more: Partial<SpawnOptions> = {}): SpawnOptions => ({ cwd: dir, env: { ...process.env }, ...more })

type Case = [name: string, argv: string[], options: Partial<SpawnOptions>, expected: Partial<ExecResult>]

const cases: Case[] = [
  ['exit 0 with output', printJson('"hi"'), {}, { exitCode: 0, failed: false, stdout: '"hi"', stderr: '' }],
  ['exit 3 with stderr', [node, '-e', 'console.error("oops"); process.exit(3)'], {}, { exitCode: 3, failed: true, stderr: 'oops\n' }],
  ['arguments are never split or expanded', [...printJson('process.argv.slice(1)'), 'a b', "it's", '"q"', 'line1\nline2', '$HOME', '*', '', '\\', '`id`'], {}, { exitCode: 0, stdout: JSON.stringify(['a b', "it's", '"q"', 'line1\nline2', '$HOME', '*', '', '\\', '`id`']) }],
  ['an added variable, with quotes and a newline', printJson('process.env.ADDED'), { env: { ...process.env, ADDED: `x 'y' "z"\nw $HOME` } }, { exitCode: 0, stdout: JSON.stringify(`x 'y' "z"\nw $HOME`) }],
  ['a removed variable is gone', printJson('process.env.HOME === undefined'), { env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'HOME')) }, { exitCode: 0, stdout: 'true' }],
  ['the working directory', printJson('process.cwd()'), { cwd: tmpdir() }, { exitCode: 0, stdout: JSON.stringify(tmpdir()) }],
  ['stdin from input', ['cat'], { input: 'hello\nworld' }, { exitCode: 0, stdout: 'hello\nworld' }],
  ['a missing program', ['oraclekit-no-such-program'], {}, { exitCode: undefined, signal: undefined, failed: true, stdout: '', stderr: 'spawn oraclekit-no-such-program ENOENT' }],
  ['killed by a signal', [node, '-e', 'process.kill(process.pid, "SIGKILL")'], {}, { exitCode: undefined, signal: 'SIGKILL', failed: true }],
  ['a timeout stops it', [node, '-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 }, { exitCode: undefined, signal: 'SIGTERM', failed: true, timedOut: true }],
  ['a megabyte of output', [node, '-e', 'process.stdout.write("x".repeat(1 << 20))'], {}, { exitCode: 0, failed: false }],
]

describe('spawnProcess through the exec helper and through node', () => {
  it.each(cases)('%s', async (_name, [file, ...args], options, expected) => {
    const pids: number[] = []
    const opts = base({ ...options, onPid: (pid) => pids.push(pid) })
    const command = [file as string, ...args].join(' ')
    const [viaServer, viaNode] = await Promise.all([serverProcess(server, command, file as string, args, opts), nodeSpawn(command, file as string, args, base(options))])
    expect(viaServer).toMatchObject(expected)
    const { command: _a, ...left } = viaServer
    const { command: _b, ...right } = viaNode
    expect(left).toEqual(right)
    if (viaServer.exitCode !== undefined || viaServer.signal !== undefined) expect(pids).toHaveLength(1)
    if (file === node && expected.stdout === undefined && expected.exitCode === 0) expect(viaServer.stdout).toHaveLength(1 << 20)
  })

  it('runs requests side by side and keeps their results apart', async () => {
    const runs = Array.from({ length: 8 }, (_, i) => serverProcess(server, 'x', node, ['-e', `setTimeout(() => process.stdout.write("${i}"), ${(8 - i) * 20})`], base()))
    expect((await Promise.all(runs)).map((r) => r.stdout)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7'])
  })

  it('keeps only its stdout and stderr files in a shell folder, never a stdin file', async () => {
    await serverProcess(server, 'x', 'cat', [], base({ input: 'in' }))
    await serverProcess(server, 'x', node, ['-e', 'console.log(1)'], base())
    const { readdirSync } = await import('node:fs')
    const leftovers = server.dirs().flatMap((dir) => readdirSync(dir))
    expect([...new Set(leftovers)].sort()).toEqual(['err', 'out'])
  })
})
