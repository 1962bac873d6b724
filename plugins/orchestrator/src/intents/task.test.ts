import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExecOptions, ExecResult, IntentContext } from '@oraclekit/kernel/intent'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CommandSpec, TaskSpec } from '../types.js'
import runTask, { type TaskInput } from './task.js'

function exec(file: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 0, env: { ...process.env, ...options.env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0
      const signal = error?.signal ?? undefined
      resolve({ command: [file, ...args].join(' '), exitCode: code, signal, stdout, stderr, failed: Boolean(error), timedOut: Boolean(error?.killed && signal) })
    })
  })
}

let root: string
// Events are stamped in the worker with the context's clock.
const NOW = Date.parse('2026-11-20T10:00:00.000Z')
const ts = '2026-11-20T10:00:00.000Z'
let evidence: string[]
function fakeCtx(): IntentContext {
  const noop = (): void => {}
  return {
    job: { id: 'j1', intent: 'orchestrator.task', attempt: 1, runId: 'run-1' },
    rootDir: root,
    log: { debug: noop, info: noop, warn: noop, error: noop },
    exec,
    evidence: (path) => void evidence.push(path),
    now: () => NOW,
  }
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orch-task-'))
  evidence = []
})
afterEach(() => rm(root, { recursive: true, force: true }))

const node = process.execPath
const js = (code: string): string[] => [node, '-e', code]
const command = (name: string, argv: string[], more: Partial<CommandSpec> = {}): CommandSpec => ({ name, argv, timeoutMs: 10_000, retries: 0, backoffMs: 0, ...more })

function task(overrides: Partial<TaskSpec> = {}): TaskSpec {
  return { id: 'T-1', title: 'A task', type: 'chore', description: 'Do it.', paths: [], commands: [], checks: [], dependencies: [], shards: [], approvals: [], forbiddenPaths: [], timeboxMs: 0, source: 'orchestrator.yml:3', ...overrides }
}

const run = (spec: TaskSpec, more: Partial<TaskInput> = {}) => runTask({ task: spec, run_id: 'run-1', log_dir: '.codex/runs/run-1/', ...more }, fakeCtx())

function gitInit(): void {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root })
  git('init', '-q', '.')
  git('commit', '-q', '--allow-empty', '-m', 'init')
}

describe('orchestrator.task', () => {
  it('runs the commands in order, logs their output and completes', async () => {
    const out = await run(task({ commands: [command('first', js('require("fs").appendFileSync("order.txt", "1"); console.log("hello out")')), command('second', js('require("fs").appendFileSync("order.txt", "2"); console.error("token ghp_abcdefghijklmnopqrstuvwxyz123456")'))] }))
    expect(out.status).toBe('completed')
    expect(out.message).toBe('completed: 2 commands, 0 checks passed')
    expect(await readFile(join(root, 'order.txt'), 'utf8')).toBe('12')
    expect(out.events.map((event) => [event.type, event.status, event.attempt])).toEqual([
      ['command_run', 0, 1],
      ['command_run', 0, 1],
    ])
    expect(out.events[0]).toMatchObject({ task: 'T-1', cmd: expect.stringContaining('hello out'), duration_ms: expect.any(Number) })
    expect(out.log).toBe('.codex/runs/run-1/T-1.log')
    expect(evidence).toContain(out.log)
    // the main thread writes the log where `log` says; the task hands it over
    const log = out.log_text
    expect(log).toContain('hello out')
    expect(log).toContain('[redacted]')
    expect(log).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz123456')
  })

  it('retries a failing command after its backoff and passes on the retry', async () => {
    const flaky = js('const fs = require("fs"); if (!fs.existsSync("marker")) { fs.writeFileSync("marker", ""); console.error("flaky"); process.exit(1) }')
    const started = performance.now()
    const out = await run(task({ commands: [command('flaky', flaky, { retries: 2, backoffMs: 100 })] }))
    expect(performance.now() - started).toBeGreaterThanOrEqual(100)
    expect(out.status).toBe('completed')
    expect(out.events.filter((event) => event.type === 'command_run').map((event) => [event.status, event.attempt, event.message])).toEqual([
      [1, 1, 'flaky'],
      [0, 2, undefined],
    ])
  })

  it('fails when a command keeps failing, and stops there', async () => {
    const out = await run(task({ commands: [command('bad', js('process.exit(3)'), { retries: 1, backoffMs: 1 }), command('never', js('require("fs").writeFileSync("ran", "")'))] }))
    expect(out.status).toBe('failed')
    expect(out.message).toMatch(/^bad \(.*\) exited 3 after 2 attempts$/)
    expect(out.events.map((event) => event.attempt)).toEqual([1, 2])
  })

  it('fails the task on a failed check, and still runs the other checks', async () => {
    await writeFile(join(root, 'a.txt'), 'alpha')
    const out = await run(
      task({
        paths: ['a.txt'],
        checks: [
          { kind: 'contains', text: 'Contains: beta', needle: 'beta' },
          { kind: 'file_exists', text: 'File exists: a.txt', path: 'a.txt' },
        ],
      }),
    )
    expect(out.status).toBe('failed')
    expect(out.message).toBe('acceptance failed: Contains: beta: not found in a.txt')
    expect(out.events).toEqual([
      { ts, type: 'acceptance_failed', task: 'T-1', check: 'Contains: beta', message: 'not found in a.txt' },
      { ts, type: 'acceptance_passed', task: 'T-1', check: 'File exists: a.txt', message: 'a.txt exists' },
    ])
  })

  it('runs the shards in order, each a group of checks with its own events', async () => {
    await writeFile(join(root, 'a.txt'), 'alpha')
    const out = await run(
      task({
        paths: ['a.txt'],
        shards: [
          { id: 'S-A', title: 'first', checks: [{ kind: 'contains', text: 'Contains: alpha', needle: 'alpha' }] },
          { id: 'S-B', title: 'second', checks: [{ kind: 'manual', text: 'Looks right' }] },
          { id: 'S-C', title: 'third', checks: [{ kind: 'contains', text: 'Contains: gamma', needle: 'gamma' }] },
        ],
        checks: [{ kind: 'file_exists', text: 'File exists: a.txt', path: 'a.txt' }],
      }),
    )
    expect(out.events.map((event) => [event.type, event.shard ?? null, event.check ?? null])).toEqual([
      ['shard_started', 'S-A', null],
      ['acceptance_passed', 'S-A', 'Contains: alpha'],
      ['shard_completed', 'S-A', null],
      ['shard_started', 'S-B', null],
      ['acceptance_passed', 'S-B', 'Looks right'],
      ['shard_completed', 'S-B', null],
      ['shard_started', 'S-C', null],
      ['acceptance_failed', 'S-C', 'Contains: gamma'],
      ['acceptance_passed', null, 'File exists: a.txt'],
    ])
    expect(out.status).toBe('failed')
    expect(out.message).toBe('acceptance failed (shard S-C): Contains: gamma: not found in a.txt')
  })

  it('fails the task when a command writes a forbidden path', async () => {
    gitInit()
    const out = await run(task({ forbiddenPaths: ['secrets/**'], commands: [command('write', js('const fs = require("fs"); fs.mkdirSync("secrets"); fs.writeFileSync("secrets/key", "k"); fs.writeFileSync("ok.txt", "")'))] }))
    expect(out.status).toBe('failed')
    expect(out.message).toBe('constraint failed: the task changed forbidden paths: secrets/key')
    expect(out.events.at(-1)).toEqual({ ts, type: 'acceptance_failed', task: 'T-1', check: 'forbidden paths: secrets/**', message: 'changed secrets/key' })
  })

  it('passes the forbidden-path constraint when the task stays clear, and says when it cannot enforce it', async () => {
    const spec = task({ forbiddenPaths: ['secrets/**'], commands: [command('write', js('require("fs").writeFileSync("ok.txt", "")'))] })
    const outside = await run(spec)
    expect(outside.status).toBe('completed')
    expect(outside.events.at(-1)).toMatchObject({ type: 'acceptance_passed', message: 'not enforced: the workspace is not a git repository' })
    gitInit()
    // .codex/ holds the log from the first run: untracked before this run, unchanged by it
    const inside = await run(spec)
    expect(inside.status).toBe('completed')
    expect(inside.events.at(-1)).toMatchObject({ type: 'acceptance_passed', message: expect.stringMatching(/^none of \d+ changed files is forbidden$/) })
  })

  it('fails with timebox exceeded when the commands outlast it', async () => {
    const started = performance.now()
    const out = await run(task({ timeboxMs: 400, commands: [command('slow', js('setTimeout(() => {}, 5000)')), command('never', js('0'))] }))
    expect(performance.now() - started).toBeLessThan(3000)
    expect(out.status).toBe('failed')
    expect(out.message).toMatch(/^timebox exceeded/)
    expect(out.events.filter((event) => event.type === 'command_run')).toHaveLength(1)
    expect(out.events.at(-1)).toMatchObject({ type: 'acceptance_failed', check: 'timebox 400 ms', message: expect.stringMatching(/^timebox exceeded/) })
  })

  it('reports a timebox kept', async () => {
    const out = await run(task({ timeboxMs: 60_000, commands: [command('quick', js('0'))] }))
    expect(out.status).toBe('completed')
    expect(out.events.at(-1)).toMatchObject({ type: 'acceptance_passed', check: 'timebox 60000 ms' })
  })

  it('hands a code_change task to the agent with the handoff path appended', async () => {
    await writeFile(join(root, 'lib.ts'), 'export function hello() {}\n')
    const agent = { argv: [...js('const fs = require("fs"); fs.writeFileSync("agent-saw.txt", process.argv.at(-1) + "\\n" + fs.readFileSync(process.argv.at(-1), "utf8"))'), '--'], timeout_ms: 10_000 }
    const out = await run(task({ type: 'code_change', paths: ['lib.ts'] }), { agent })
    expect(out.status).toBe('completed')
    const saw = await readFile(join(root, 'agent-saw.txt'), 'utf8')
    expect(saw.split('\n')[0]).toBe('.codex/handoff/T-1.md')
    expect(saw).toContain('- `function hello`')
    expect(out.events[0]).toMatchObject({ type: 'command_run', cmd: expect.stringContaining('.codex/handoff/T-1.md'), status: 0 })
    expect(evidence).toContain('.codex/handoff/T-1.md')
  })

  it('fails the task when the agent fails, and does not run the agent for other task types', async () => {
    const agent = { argv: js('process.exit(4)'), timeout_ms: 10_000 }
    expect((await run(task({ type: 'code_change' }), { agent })).message).toMatch(/^agent \(.*\) exited 4$/)
    expect((await run(task({ type: 'docs' }), { agent })).events).toEqual([])
  })

  it.each([
    ['no task id', { task: task({ id: '' }), run_id: 'r', log_dir: 'l' }],
    ['no run id', { task: task(), run_id: '', log_dir: 'l' }],
    ['a log_dir outside the workspace', { task: task(), run_id: 'r', log_dir: '../x' }],
    ['an empty command argv', { task: task({ commands: [command('x', [])] }), run_id: 'r', log_dir: 'l' }],
  ])('throws for bad input: %s', async (_name, input) => {
    await expect(runTask(input as TaskInput, fakeCtx())).rejects.toThrow(/orchestrator.task/)
  })
})
