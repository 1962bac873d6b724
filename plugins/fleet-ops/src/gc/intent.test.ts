// The gc_runs intent, called as a worker calls it: it collects the product's runs, keeps its own
// evidence folder (in the same runs folder, unfinished while gc runs), and leaves evidence that
// the planner's evidence schema accepts.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { IntentContext } from '@oraclekit/kernel/intent'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import gcRuns, { type GcJobInput } from '../intents/gc.js'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** The committed evidence schema (schemas/evidence.schema.json, the planner's), compiled with formats. */
function evidenceValidator(): (value: unknown) => unknown[] {
  const require = createRequire(import.meta.url)
  const { Ajv } = require('ajv') as { Ajv: new (o: object) => { compile(s: object): ((v: unknown) => boolean) & { errors?: unknown[] | null } } }
  const addFormats = require('ajv-formats') as (ajv: unknown) => void
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats(ajv)
  const validate = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, 'schemas/evidence.schema.json'), 'utf8')) as object)
  return (value) => (validate(value) ? [] : [...(validate.errors ?? [])])
}

let root = ''
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-gc-intent-')))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

const T0 = Date.UTC(2026, 2, 10, 12)
const at = (hour: number) => new Date(Date.UTC(2026, 2, 10, hour)).toISOString()

function finishedRun(runId: string, hour: number, exitStatus = 'failed'): void {
  const dir = join(root, 'dash/runs/alpha', runId)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ schema_version: 1, run_id: runId, exit_status: exitStatus, started_at: at(hour), finished_at: at(hour) }))
}

function context(attempt = 1): IntentContext & { recorded: string[] } {
  const recorded: string[] = []
  let clock = T0
  return {
    job: { id: 'alpha.gc_runs.1a2b3c4d', intent: 'gc_runs', attempt, runId: 'run-1' },
    rootDir: root,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    exec: () => Promise.reject(new Error('gc_runs runs no process')),
    evidence: (path) => recorded.push(path),
    now: () => (clock += 250),
    recorded,
  }
}

function job(inputs: GcJobInput['inputs'] = {}): GcJobInput {
  return {
    job_id: 'alpha.gc_runs.1a2b3c4d',
    product_id: 'alpha',
    intent: 'gc_runs',
    argv: [],
    cwd: '.',
    env: {},
    timeout_ms: 60_000,
    evidence_dir: 'dash/runs/alpha/alpha.gc_runs.1a2b3c4d',
    work_order_sha256: 'a'.repeat(64),
    inputs,
  }
}

const OWN = 'dash/runs/alpha/alpha.gc_runs.1a2b3c4d'
const readJson = (rel: string) => JSON.parse(readFileSync(join(root, rel), 'utf8')) as Record<string, unknown>

describe('gc_runs intent', () => {
  it('keeps the newest runs and its own evidence folder, and writes gc.json, logs and evidence', async () => {
    for (let hour = 1; hour <= 6; hour++) finishedRun(`r${hour}`, hour)
    const ctx = context()
    const evidence = await gcRuns(job({ keep: 2 }), ctx)

    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['alpha.gc_runs.1a2b3c4d', 'r5', 'r6'])
    expect(readJson(`${OWN}/gc.json`)).toMatchObject({
      product_id: 'alpha',
      keep: 2,
      decisions: [
        { run_id: 'r6', action: 'keep', reason: 'newest' },
        { run_id: 'r5', action: 'keep', reason: 'newest' },
        { run_id: 'r4', action: 'delete', reason: 'over_limit' },
        { run_id: 'r3', action: 'delete', reason: 'over_limit' },
        { run_id: 'r2', action: 'delete', reason: 'over_limit' },
        { run_id: 'r1', action: 'delete', reason: 'over_limit' },
        { run_id: 'alpha.gc_runs.1a2b3c4d', action: 'keep', reason: 'in_progress' },
      ],
      deleted: ['dash/runs/alpha/r4', 'dash/runs/alpha/r3', 'dash/runs/alpha/r2', 'dash/runs/alpha/r1'],
    })
    const summary = 'kept 3, deleted 4: r4, r3, r2, r1'
    expect(readFileSync(join(root, OWN, 'stdout.log'), 'utf8')).toBe(`${summary}\nkept alpha.gc_runs.1a2b3c4d (in_progress)\n`)
    expect(readFileSync(join(root, OWN, 'stderr.log'), 'utf8')).toBe('')
    expect(readJson(`${OWN}/evidence.json`)).toEqual(evidence)
    expect(evidence).toMatchObject({
      schema_version: 1,
      run_id: 'alpha.gc_runs.1a2b3c4d',
      job_id: 'alpha.gc_runs.1a2b3c4d',
      product_id: 'alpha',
      intent: 'gc_runs',
      command: { argv: ['gc_runs'], cwd: 'dash/runs' },
      exit_code: 0,
      signal: null,
      exit_status: 'ok',
      reason: null,
      attempt: 1,
      started_at: new Date(T0 + 250).toISOString(),
      finished_at: new Date(T0 + 500).toISOString(),
      stdout: 'stdout.log',
      stderr: 'stderr.log',
      log_tail: [summary, 'kept alpha.gc_runs.1a2b3c4d (in_progress)'],
    })
    expect(evidenceValidator()(evidence)).toEqual([])
    expect(ctx.recorded).toEqual([`${OWN}/gc.json`, `${OWN}/evidence.json`])
  })

  it('a retry keeps its own folder even when an earlier attempt left finished evidence in it', async () => {
    for (let hour = 5; hour <= 8; hour++) finishedRun(`r${hour}`, hour)
    // Attempt 1 failed at 01:00 and wrote its evidence: by the rules alone, an old failed run.
    finishedRun('alpha.gc_runs.1a2b3c4d', 1)
    const evidence = await gcRuns(job({ keep: 1 }), context(2))
    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['alpha.gc_runs.1a2b3c4d', 'r8'])
    expect(evidence).toMatchObject({ attempt: 2, exit_status: 'ok' })
  })

  it('defaults: keep 10 in dash/runs', async () => {
    for (let hour = 1; hour <= 12; hour++) finishedRun(`r${String(hour).padStart(2, '0')}`, hour)
    await gcRuns(job(), context())
    expect(readJson(`${OWN}/gc.json`)).toMatchObject({ keep: 10, runs_dir: 'dash/runs', deleted: ['dash/runs/alpha/r02', 'dash/runs/alpha/r01'] })
    expect(existsSync(join(root, 'dash/runs/alpha/r03'))).toBe(true)
  })

  it.each([
    { name: 'a runs folder outside the workspace', inputs: { runs_dir: '../fleet-gc-never-created' }, reason: /points outside/ },
    { name: 'keep 0', inputs: { keep: 0 }, reason: /inputs\.keep must be a whole number ≥ 1 \(got 0\)/ },
  ])('fails with evidence on $name, deleting nothing', async ({ inputs, reason }) => {
    for (let hour = 1; hour <= 3; hour++) finishedRun(`r${hour}`, hour)
    await expect(gcRuns(job(inputs), context())).rejects.toMatchObject({ name: 'JobFailure', kind: 'failed', message: expect.stringMatching(reason) })
    const evidence = readJson(`${OWN}/evidence.json`)
    expect(evidence).toMatchObject({ exit_status: 'failed', exit_code: 1, reason: expect.stringMatching(reason) })
    expect(evidenceValidator()(evidence)).toEqual([])
    expect(readFileSync(join(root, OWN, 'stderr.log'), 'utf8')).toMatch(/^gc_runs failed: /)
    expect(existsSync(join(root, OWN, 'gc.json'))).toBe(false)
    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['alpha.gc_runs.1a2b3c4d', 'r1', 'r2', 'r3'])
  })
})
