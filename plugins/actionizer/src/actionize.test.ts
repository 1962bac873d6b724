// `oracle pack actionize` end to end: the real CLI, this plugin's build, runs built from the 20
// real answers of a tickets pack and from the example workspace's recorded answers.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { ARTIFACTS } from './actionize.js'
import { CLI_BIN, EXAMPLE_ANSWERS, PLUGIN_DIST, REPO_ROOT, TICKETS, runFiles, runWorkspace } from './_test/run-fixture.js'
import type { ActionTask } from './types.js'

const GOLDEN = join(REPO_ROOT, 'plugins/actionizer/src/_fixtures/golden')
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

let ws: TempWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

function oracle(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.FORCE_COLOR
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const artifacts = (dir: string) => Object.fromEntries(ARTIFACTS.map((name) => [name, readFileSync(join(dir, 'run/actionizer', name), 'utf8')]))
const tasksOf = (dir: string): ActionTask[] =>
  readFileSync(join(dir, 'run/actionizer/normalized.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ActionTask)

/** The example pack's header references, so the example run looks like `oracle pack run` made it. */
function exampleReferences(): Record<string, { reference: string }> {
  const pack = readFileSync(join(REPO_ROOT, 'examples/workspace/packs/fleet-review-pack.md'), 'utf8')
  return Object.fromEntries([...pack.matchAll(/^# (\d{2})\) .*reference=(\S+)/gm)].map((m) => [m[1] as string, { reference: m[2] as string }]))
}

describe('pack actionize on the 20 real answers of a tickets pack', () => {
  it('writes the six artifacts, equal to the golden files, and a rerun is byte-identical', async () => {
    ws = await runWorkspace(TICKETS)
    const first = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const produced = artifacts(ws.dir)
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(join(GOLDEN, 'tickets'), { recursive: true })
      for (const [name, text] of Object.entries(produced)) writeFileSync(join(GOLDEN, 'tickets', name), text)
    }
    for (const [name, text] of Object.entries(produced)) expect(text, name).toBe(readFileSync(join(GOLDEN, 'tickets', name), 'utf8'))
    const hashes = Object.fromEntries(Object.entries(produced).map(([name, text]) => [name, sha(text)]))
    expect((await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])).code).toBe(0)
    expect(Object.fromEntries(Object.entries(artifacts(ws.dir)).map(([name, text]) => [name, sha(text)]))).toEqual(hashes)
  })

  it('gives every task a unique OP3 id and every step at least one task', async () => {
    ws = await runWorkspace(TICKETS)
    await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    const tasks = tasksOf(ws.dir)
    const ids = tasks.map((t) => t.task_id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^OP3-[0-9a-f]{8}-\d{2}-\d{2}$/)
    expect(new Set(tasks.map((t) => t.step_id)).size).toBe(20)
    for (const task of tasks) {
      expect(Object.keys(task).sort()).toEqual(['acceptance', 'actions', 'category', 'depends_on', 'evidence', 'expected_artifacts', 'missing_inputs', 'notes', 'pack_hash', 'pack_id', 'priority', 'reference', 'roi', 'source', 'status', 'step_id', 'task_id', 'title'])
      expect(task.acceptance.length).toBeGreaterThan(0)
    }
  })

  it('changing one answer changes only the tasks that come from it', async () => {
    ws = await runWorkspace(TICKETS)
    await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    const before = tasksOf(ws.dir)
    const changed = `### Direct answer\n- Add \`internal/state/lock.go\` with a file lock around state writes.\n\n### Risks and unknowns\n- none\n`
    ws = await runWorkspace(TICKETS, { '05': { answer: changed } })
    await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    const after = tasksOf(ws.dir)
    const others = (tasks: ActionTask[]) => tasks.filter((t) => t.step_id !== '05').map((t) => JSON.stringify(t))
    expect(others(after)).toEqual(others(before))
    expect(after.filter((t) => t.step_id === '05').map((t) => t.title)).toEqual(['Add internal/state/lock.go with a file lock around state writes'])
  })

  it('a failed step and an empty answer give blocked tasks naming what is missing', async () => {
    ws = await runWorkspace(TICKETS, { '03': { status: 'failed' }, '04': { answer: '   \n\n' } })
    await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    const tasks = tasksOf(ws.dir)
    const failed = tasks.filter((t) => t.step_id === '03')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ status: 'blocked', missing_inputs: [expect.stringContaining('answer to step 03')] })
    expect(failed[0]?.notes[0]).toContain('Rate limit')
    expect(tasks.filter((t) => t.step_id === '04')).toEqual([expect.objectContaining({ status: 'blocked', notes: ['the answer is empty'] })])
  })

  it.each([
    { min: '0.5', code: 0 },
    { min: '1', code: 1 },
  ])('--ci --json --min-yield $min exits $code with a summary', async ({ min, code }) => {
    ws = await runWorkspace(TICKETS, { '03': { status: 'failed' } })
    const result = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run', '--ci', '--json', '--min-yield', min])
    expect(result.code).toBe(code)
    const summary = JSON.parse(result.stdout)
    expect(summary).toMatchObject({ steps: 20, answered: 19, min_yield: Number(min), artifacts: [...ARTIFACTS] })
    expect(summary.yield).toBeLessThan(1)
    expect(summary.yield).toBeGreaterThan(0.5)
  })
})

describe('pack actionize on the example workspace’s answers', () => {
  it('blocks the insufficient-evidence answers and flags the contradiction between 01 and 05', async () => {
    ws = await runWorkspace(EXAMPLE_ANSWERS, exampleReferences())
    const result = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run', '--json'])
    expect(result.code).toBe(0)
    // the three blocked steps do not count as productive, whatever else they list
    expect(JSON.parse(result.stdout)).toMatchObject({ yield: 0.85, counts: { blocked: 3, conflict: 1 } })
    const tasks = tasksOf(ws.dir)
    for (const step of ['16', '17', '19']) {
      const blocked = tasks.find((t) => t.step_id === step && t.status === 'blocked')
      expect(blocked, step).toBeDefined()
      expect(blocked?.missing_inputs.length).toBeGreaterThan(0)
    }
    expect(tasks.find((t) => t.step_id === '16' && t.status === 'blocked')?.missing_inputs).toContain('products/billing-api/src/payments-client.ts')
    const conflicts = tasks.filter((t) => t.status === 'conflict')
    expect(conflicts.map((t) => t.title)).toContain('Resolve: steps 01 and 05 disagree about products/billing-api/src/retry.ts:delays')
    const conflict = conflicts.find((t) => t.title.includes('01 and 05'))
    expect(conflict?.notes.filter((n) => /^Step 0[15]: /.test(n))).toHaveLength(2)
  })
})

describe('pack actionize on a run of a pack with [oraclepack-meta] blocks', () => {
  it('keeps each step\'s QuestionId on its tasks and its ExpectedArtifacts on its lead task', async () => {
    ws = await runWorkspace(EXAMPLE_ANSWERS, { ...exampleReferences(), '02': { ...exampleReferences()['02'], question_id: 'invariants-invoice-total', expected_artifacts: ['products/billing-api/src/invoice.test.ts'] } })
    const result = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    expect(result.code, result.stderr).toBe(0)
    const tasks = tasksOf(ws.dir)
    const mine = tasks.filter((t) => t.step_id === '02' && t.status !== 'conflict')
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((t) => t.source.question_id === 'invariants-invoice-total')).toBe(true)
    expect(mine.find((t) => t.status === 'actionable')?.expected_artifacts).toContain('products/billing-api/src/invoice.test.ts')
    expect(tasks.filter((t) => t.step_id !== '02').some((t) => 'question_id' in t.source)).toBe(false)
  })

  it('refuses a question_id that is not a string (ORACLE_ACTIONIZE_RUN_INVALID, exit 3)', async () => {
    ws = await runWorkspace(TICKETS, { '04': { question_id: 4 } })
    const result = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('ORACLE_ACTIONIZE_RUN_INVALID')
  })
})

describe('bad input', () => {
  it.each([
    { name: 'an empty run.json', damage: (dir: string) => writeFileSync(join(dir, 'run/run.json'), ''), code: 'ORACLE_ACTIONIZE_RUN_INVALID', exit: 3 },
    { name: 'no steps.json', damage: (dir: string) => rmSync(join(dir, 'run/steps.json')), code: 'ORACLE_ACTIONIZE_RUN_INVALID', exit: 3 },
    { name: 'run.json that is not JSON', damage: (dir: string) => writeFileSync(join(dir, 'run/run.json'), '{\n  "pack_id": ,\n}'), code: 'run/run.json:2', exit: 3 },
    { name: 'steps.json of the wrong shape', damage: (dir: string) => writeFileSync(join(dir, 'run/steps.json'), '{"steps": 3}'), code: 'ORACLE_ACTIONIZE_RUN_INVALID', exit: 3 },
  ])('$name → $code (exit $exit), nothing written', async ({ damage, code, exit }) => {
    ws = await runWorkspace(TICKETS)
    damage(ws.dir)
    const result = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'run'])
    expect(result.code).toBe(exit)
    expect(result.stderr).toContain(code)
    expect(existsSync(join(ws.dir, 'run/actionizer'))).toBe(false)
  })

  it('--run-dir latest looks in the runsDir option, and says so when it is empty', async () => {
    const files = Object.fromEntries(Object.entries(runFiles(TICKETS)).map(([name, text]) => [name.replace(/^run\//, 'my-runs/r1/'), text]))
    const config = (runsDir: string) => `import actionizer from ${JSON.stringify(PLUGIN_DIST)}\nexport default { plugins: [actionizer({ runsDir: ${JSON.stringify(runsDir)} })] }\n`
    ws = await createTempWorkspace({ prefix: 'actionizer-', files: { 'oracle.config.mjs': config('my-runs'), ...files } })
    const result = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'latest'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('written to my-runs/r1/actionizer/')
    writeFileSync(join(ws.dir, 'oracle.config.mjs'), config('elsewhere'))
    const none = await oracle(ws.dir, ['pack', 'actionize', '--run-dir', 'latest'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('ORACLE_ACTIONIZE_RUN_INVALID: --run-dir latest: no run in elsewhere')
  })

  it('a missing --run-dir is a usage error (exit 2)', async () => {
    ws = await runWorkspace(TICKETS)
    const result = await oracle(ws.dir, ['pack', 'actionize'])
    expect(result.code).toBe(2)
    expect(readdirSync(join(ws.dir, 'run'))).not.toContain('actionizer')
  })
})
