// `oracle orchestrate run` end to end: order and parallelism on DAG shapes, blocked dependents,
// approvals (with and without --ci), dry-run, and a run killed with SIGKILL then resumed.

import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT, hashTree, oracle, start, workspace } from './_test/cli.js'

let ws: TempWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

/** A task that appends its id to done.log when it ends (after `ms`), failing when `fail`. */
function task(id: string, deps: string[] = [], extra: { ms?: number; fail?: boolean; gate?: string; type?: string } = {}): string {
  const code = `setTimeout(()=>{require('fs').appendFileSync('done.log','${id}\\n');process.exit(${extra.fail ? 1 : 0})},${extra.ms ?? 0})`
  return [
    `  - id: ${id}`,
    `    title: Task ${id}`,
    `    type: ${extra.type ?? 'chore'}`,
    `    description: step ${id}`,
    `    commands:`,
    `      run: ${JSON.stringify(`node -e ${code}`)}`,
    `    dependencies: [${deps.join(', ')}]`,
    ...(extra.gate ? [`    approvals: { required: [${extra.gate}] }`] : []),
  ].join('\n')
}
const plan = (...tasks: string[]) => `version: 1\nproject: { name: t, root: . }\ntasks:\n${tasks.join('\n')}\n`
const done = (w: TempWorkspace): string[] => {
  try {
    return readFileSync(w.path('done.log'), 'utf8').split('\n').filter(Boolean)
  } catch {
    return []
  }
}

describe('oracle orchestrate run', () => {
  it.each([
    { shape: 'chain', tasks: [task('a'), task('b', ['a']), task('c', ['b'])], order: ['a', 'b', 'c'] },
    { shape: 'diamond', tasks: [task('a'), task('b', ['a'], { ms: 50 }), task('c', ['a']), task('d', ['b', 'c'])], first: 'a', last: 'd' },
    { shape: 'fan-out', tasks: [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['a'])], first: 'a' },
  ])('runs a $shape in dependency order, every task once', async ({ tasks, order, first, last }) => {
    ws = await workspace({ 'orchestrator.yml': plan(...tasks) })
    const result = await oracle(ws.dir, ['orchestrate', 'run', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const ran = done(ws)
    expect([...ran].sort()).toEqual(tasks.map((t) => /id: (\w+)/.exec(t)?.[1]).sort())
    if (order) expect(ran).toEqual(order)
    if (first) expect(ran[0]).toBe(first)
    if (last) expect(ran.at(-1)).toBe(last)
    expect(readFileSync(ws.path('TASKS.md'), 'utf8')).toContain(`${ran.length} completed`)
  })

  it('a failure blocks its dependents while an unrelated branch goes on (exit 1)', async () => {
    ws = await workspace({ 'orchestrator.yml': plan(task('a', [], { fail: true }), task('b', ['a']), task('c', ['b']), task('x'), task('y', ['x'])) })
    const result = await oracle(ws.dir, ['orchestrate', 'run', '--json'])
    expect(result.code).toBe(1)
    const state = JSON.parse(result.stdout).state.tasks
    expect(Object.fromEntries(Object.entries(state).map(([id, s]) => [id, (s as { state: string }).state]))).toEqual({ a: 'failed', b: 'blocked', c: 'blocked', x: 'completed', y: 'completed' })
  })

  it.each([
    { flags: [], built: true },
    { flags: ['--no-build'], built: false },
  ])('runs the release build after every task completed $flags', async ({ flags, built }) => {
    const release = `node -e require('fs').writeFileSync('released','yes')`
    ws = await workspace({ 'orchestrator.yml': plan(task('a')).replace('project: { name: t, root: . }', `project: { name: t, root: ., build: { release: ${JSON.stringify(release)} } }`) })
    const result = await oracle(ws.dir, ['orchestrate', 'run', ...flags])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(built ? '(release build done)' : '(release build skipped: --no-build)')
    expect(ws.exists('released')).toBe(built)
  })

  it('--dry-run prints the order and changes nothing', async () => {
    ws = await workspace({ 'orchestrator.yml': plan(task('a'), task('b', ['a'])) })
    const before = hashTree(ws.dir)
    const result = await oracle(ws.dir, ['orchestrate', 'run', '--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/1\. a[\s\S]*2\. b/)
    expect(hashTree(ws.dir)).toEqual(before)
  })

  it('pauses at a gate, records the approval, and resumes; with --ci an unapproved gate fails at once', async () => {
    ws = await workspace({ 'orchestrator.yml': plan(task('build'), task('ship', ['build'], { gate: 'deploy', type: 'deploy' })) })
    const ci = await oracle(ws.dir, ['orchestrate', 'run', '--ci'])
    expect(ci.code).toBe(4)
    expect(ci.stderr).toContain('ORACLE_ORCHESTRATE_APPROVAL_REQUIRED')
    expect(done(ws)).toEqual([])
    const first = await oracle(ws.dir, ['orchestrate', 'run'])
    expect(first.code).toBe(4)
    expect(first.stdout).toContain('awaiting approval: deploy')
    expect(done(ws)).toEqual(['build'])
    const approved = await oracle(ws.dir, ['orchestrate', 'approve', 'deploy', '--by', 'alice'])
    expect(approved.code).toBe(0)
    const resumed = await oracle(ws.dir, ['orchestrate', 'resume'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(done(ws)).toEqual(['build', 'ship'])
    const log = readdirSync(ws.path('.codex/runs')).filter((n) => n.endsWith('.jsonl')).sort()
    expect(log).toHaveLength(1) // the refused --ci run wrote nothing
    expect(readFileSync(ws.path(join('.codex/runs', log[0] as string)), 'utf8')).toMatch(/"type":"approved".*"by":"alice"|"by":"alice".*"type":"approved"/)
    // approved beforehand: a --ci run of the same plan goes through
    const again = await oracle(ws.dir, ['orchestrate', 'run', '--ci'])
    expect(again.code, again.stderr).toBe(0)
  })

  it.each([150, 600, 1100])('killed with SIGKILL after %d ms, then resumed: every task done, no completed task run again', async (ms) => {
    ws = await workspace({ 'orchestrator.yml': plan(task('a', [], { ms: 250 }), task('b', ['a'], { ms: 250 }), task('c', ['b'], { ms: 250 }), task('d', ['c'], { ms: 250 })) })
    const { child, done: finished } = start(ws.dir, ['orchestrate', 'run'])
    await sleep(ms)
    child.kill('SIGKILL')
    await finished
    // the tasks the log says were completed when the process died
    const runs = (() => {
      try {
        return readdirSync(ws.path('.codex/runs')).filter((n) => n.endsWith('.jsonl'))
      } catch {
        return []
      }
    })()
    const completed = runs.length === 0 ? [] : [...readFileSync(ws.path(join('.codex/runs', runs[0] as string)), 'utf8').matchAll(/"type":"task_completed"[^\n]*"task":"(\w)"|"task":"(\w)"[^\n]*"type":"task_completed"/g)].map((m) => m[1] ?? m[2])
    const before = done(ws)
    const resumed = await oracle(ws.dir, ['orchestrate', 'run', '--resume'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const after = done(ws)
    expect(new Set(after)).toEqual(new Set(['a', 'b', 'c', 'd']))
    for (const id of completed) expect(after.filter((x) => x === id).length, id).toBe(before.filter((x) => x === id).length)
  }, 60_000)

  it('validates and dry-runs the plan the actionizer emits', async () => {
    const emitted = readFileSync(join(REPO_ROOT, 'plugins/actionizer/src/_fixtures/golden/tickets/orchestrator.yml'), 'utf8')
    ws = await workspace({ 'orchestrator.yml': emitted })
    const validate = await oracle(ws.dir, ['orchestrate', 'plan', 'validate'])
    expect(validate.code, validate.stderr).toBe(0)
    const dry = await oracle(ws.dir, ['orchestrate', 'run', '--dry-run', '--json'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout).order.length).toBeGreaterThan(100)
  })
})
