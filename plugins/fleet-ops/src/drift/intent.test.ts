// The drift_check intent called as the worker calls it, with a context whose exec runs real
// processes: the files it writes, the evidence it records, and how the job ends.

import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type IntentContext, JobFailure, type TSchema, checkValue } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createExecFileProbe } from '../commands/drift.js'
import drift, { type DriftJobInput } from '../intents/drift.js'
import type { DriftProbe } from '../options.js'

const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const LOCK = '{"lockfileVersion":3}\n'
const T0 = Date.parse('2026-11-21T07:00:00.000Z')
const JOB = 'alpha.drift_check.1a2b3c4d'
const EVIDENCE_DIR = `dash/runs/alpha/${JOB}`

const committedSchema = fileURLToPath(new URL('../../../../schemas/evidence.schema.json', import.meta.url))

/** The committed evidence schema, when the repository has one. */
function evidenceProblems(value: unknown): string[] {
  if (!existsSync(committedSchema)) return []
  const { $id: _id, $schema: _schema, ...schema } = JSON.parse(readFileSync(committedSchema, 'utf8')) as Record<string, unknown>
  return checkValue(schema as unknown as TSchema, value).problems.map((p) => `${p.path}: ${p.message}`)
}

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drift-intent-'))
  await mkdir(join(root, 'products/alpha'), { recursive: true })
  await writeFile(join(root, 'products/alpha/package-lock.json'), LOCK)
})
afterEach(() => rm(root, { recursive: true, force: true }))

function context(): { ctx: IntentContext; evidence: string[] } {
  const evidence: string[] = []
  let clock = T0
  const exec = createExecFileProbe()
  const ctx: IntentContext = {
    job: { id: JOB, intent: 'drift_check', attempt: 2, runId: 'run-1' },
    rootDir: root,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    exec: async (file, args = [], options = {}) => {
      const outcome = await exec(file, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env } })
      return { command: [file, ...args].join(' '), signal: undefined, timedOut: false, ...outcome }
    },
    evidence: (path) => evidence.push(path),
    // each reading a second later: started_at and finished_at differ
    now: () => (clock += 1000),
  }
  return { ctx, evidence }
}

function input(probes: DriftProbe[], extra: Partial<DriftJobInput['inputs']> = {}, env: Record<string, string> = {}): DriftJobInput {
  return {
    job_id: JOB,
    product_id: 'alpha',
    intent: 'drift_check',
    argv: [],
    cwd: 'products/alpha',
    env,
    timeout_ms: 30_000,
    evidence_dir: EVIDENCE_DIR,
    work_order_sha256: 'f'.repeat(64),
    inputs: { reasons: ['scheduled'], sources: [], probes, ignore: [], ...extra },
  }
}

const read = (rel: string) => readFile(join(root, rel), 'utf8')
const json = async (rel: string) => JSON.parse(await read(rel))

async function runJob(job: DriftJobInput): Promise<{ failure?: JobFailure; evidence: string[] }> {
  const { ctx, evidence } = context()
  try {
    await drift(job, ctx)
    return { evidence }
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error
    return { failure: error, evidence }
  }
}

const lockOk: DriftProbe = { kind: 'lockfile', path: 'package-lock.json', sha256: sha(LOCK) }
const nodeOk: DriftProbe = { kind: 'toolchain', key: 'node', command: [process.execPath, '--version'], expected: process.version }

describe('drift_check', () => {
  it.runIf(existsSync(committedSchema))('checks evidence against the committed schema (a bad record fails)', () => {
    expect(evidenceProblems({ schema_version: 1, exit_status: 'drifted' })).not.toEqual([])
  })

  it.each([
    { name: 'no drift', probes: [lockOk, nodeOk], exit: 0, status: 'ok', reason: null },
    { name: 'drift', probes: [lockOk, { kind: 'env', key: 'DRIFT_INTENT_NOPE' }], exit: 2, status: 'failed', reason: 'drift: 1 item(s)' },
    {
      name: 'error',
      probes: [{ kind: 'toolchain', key: 'broken', command: [process.execPath, '-e', 'process.exit(5)'], expected: 'x' }, { kind: 'env', key: 'DRIFT_INTENT_NOPE' }],
      exit: 1,
      status: 'failed',
      reason: 'error: 1 item(s) could not be checked (toolchain:broken: exit 5); drift: 1 item(s)',
    },
  ] as Array<{ name: string; probes: DriftProbe[]; exit: number; status: string; reason: string | null }>)('$name: exit $exit, evidence per the planner schema, every file written', async ({ probes, exit, status, reason }) => {
    const { failure, evidence } = await runJob(input(probes))
    if (reason === null) expect(failure).toBeUndefined()
    else expect({ kind: failure?.kind, message: failure?.message }).toEqual({ kind: 'failed', message: reason })

    const record = await json(`${EVIDENCE_DIR}/evidence.json`)
    expect(evidenceProblems(record)).toEqual([])
    expect(record).toMatchObject({
      schema_version: 1,
      run_id: JOB,
      job_id: JOB,
      product_id: 'alpha',
      intent: 'drift_check',
      work_order_sha256: 'f'.repeat(64),
      command: { argv: ['drift_check'], cwd: 'products/alpha' },
      exit_code: exit,
      signal: null,
      exit_status: status,
      reason,
      attempt: 2,
      started_at: '2026-11-21T07:00:01.000Z',
      finished_at: '2026-11-21T07:00:02.000Z',
      stdout: 'stdout.log',
      stderr: 'stderr.log',
    })
    expect(record.duration_ms).toBeGreaterThanOrEqual(0)

    const report = await read(`${EVIDENCE_DIR}/drift.json`)
    expect(JSON.parse(report)).toMatchObject({ product_id: 'alpha', exit_code: exit, checked_at: '2026-11-21T07:00:01.000Z' })
    expect(await read('dash/drift/alpha.json')).toBe(report)
    const markdown = await read(`${EVIDENCE_DIR}/drift.md`)
    expect(await read('dash/drift/alpha.md')).toBe(markdown)
    expect(await read(`${EVIDENCE_DIR}/stdout.log`)).toBe(markdown)
    expect(await read(`${EVIDENCE_DIR}/stderr.log`)).toBe('')
    expect(record.log_tail).toEqual(markdown.split('\n').filter((l) => l.trim() !== '').slice(-40))

    // evidence.json is recorded last: it marks the job done
    expect(evidence).toEqual([
      `${EVIDENCE_DIR}/drift.json`,
      `${EVIDENCE_DIR}/drift.md`,
      'dash/drift/alpha.json',
      'dash/drift/alpha.md',
      `${EVIDENCE_DIR}/stdout.log`,
      `${EVIDENCE_DIR}/stderr.log`,
      `${EVIDENCE_DIR}/evidence.json`,
    ])
    // nothing was written in the product root
    expect((await readdir(join(root, 'products/alpha'))).sort()).toEqual(['package-lock.json'])
  })

  it('writes the latest copy into report_dir when given', async () => {
    await runJob(input([lockOk], { report_dir: 'dash/custom-drift' }))
    expect(existsSync(join(root, 'dash/custom-drift/alpha.json'))).toBe(true)
    expect(existsSync(join(root, 'dash/drift'))).toBe(false)
  })

  it('the env probes see the job env, and never its values', async () => {
    const { failure } = await runJob(input([{ kind: 'env', key: 'DRIFT_INTENT_TOKEN' }], {}, { DRIFT_INTENT_TOKEN: 'tok-very-secret-77' }))
    expect(failure).toBeUndefined()
    const all = (await Promise.all(['drift.json', 'drift.md', 'stdout.log', 'evidence.json'].map((f) => read(`${EVIDENCE_DIR}/${f}`)))).join('\n')
    expect(all).toContain('DRIFT_INTENT_TOKEN')
    expect(all).not.toContain('tok-very-secret-77')
  })

  it('honours the ignore list', async () => {
    const { failure } = await runJob(input([lockOk, { kind: 'env', key: 'DRIFT_INTENT_NOPE' }], { ignore: ['env:DRIFT_INTENT_NOPE'] }))
    expect(failure).toBeUndefined()
    expect((await json('dash/drift/alpha.json')).summary).toEqual({ checked: 2, drift: 0, errors: 0, ignored: 1 })
  })

  it('is deterministic: the same product and clock give the same report bytes', async () => {
    await runJob(input([lockOk, { kind: 'env', key: 'DRIFT_INTENT_NOPE' }]))
    const first = [await read('dash/drift/alpha.json'), await read('dash/drift/alpha.md')]
    await runJob(input([{ kind: 'env', key: 'DRIFT_INTENT_NOPE' }, lockOk]))
    expect([await read('dash/drift/alpha.json'), await read('dash/drift/alpha.md')]).toEqual(first)
  })

  it.each([
    { name: 'report_dir outside the workspace', job: () => input([lockOk], { report_dir: '../elsewhere' }), message: 'report_dir ../elsewhere is outside the workspace' },
    { name: 'evidence_dir outside the workspace', job: () => ({ ...input([lockOk]), evidence_dir: '/tmp/evil' }), message: 'evidence_dir /tmp/evil is outside the workspace' },
    { name: 'a product id that is not a plain name', job: () => ({ ...input([lockOk]), product_id: '../x' }), message: 'product id "../x" is not a plain name' },
  ])('refuses $name before probing or writing', async ({ job, message }) => {
    const { failure } = await runJob(job())
    expect({ kind: failure?.kind, message: failure?.message }).toEqual({ kind: 'error', message })
    expect(existsSync(join(root, 'dash'))).toBe(false)
  })
})
