// last_run.json is a fold of evidence: newer evidence wins the top level, each intent keeps its
// own latest job, ties go to the later run id, and folding the same evidence again changes nothing.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type OracleError, checkValue, isOracleError, stableStringify } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Evidence, type ExitStatus, LastRun } from '../schema/artifacts.js'
import { foldEvidence, recordEvidence } from './last-run.js'

interface Spec {
  run_id: string
  intent: string
  finished_at: string
  exit_status?: ExitStatus
}

function evidence({ run_id, intent, finished_at, exit_status = 'ok' }: Spec): Evidence {
  const finished = Date.parse(finished_at)
  return {
    schema_version: 1,
    run_id,
    job_id: run_id,
    product_id: 'alpha',
    intent,
    work_order_sha256: 'a'.repeat(64),
    command: { argv: ['npm', intent], cwd: 'products/alpha' },
    exit_code: exit_status === 'ok' ? 0 : 1,
    signal: null,
    exit_status,
    reason: exit_status === 'ok' ? null : `npm ${intent} exited 1`,
    attempt: 1,
    started_at: new Date(finished - 1500).toISOString(),
    finished_at,
    duration_ms: 1500,
    stdout: 'stdout.log',
    stderr: 'stderr.log',
    log_tail: [],
  }
}

const pathOf = (e: Evidence) => `dash/runs/${e.product_id}/${e.run_id}/evidence.json`
const fold = (prev: LastRun | undefined, e: Evidence) => foldEvidence(prev, e, pathOf(e))
const entry = (s: Spec) => ({ run_id: s.run_id, exit_status: s.exit_status ?? 'ok', finished_at: s.finished_at })

/** The top level as one piece of evidence sets it. */
function top(e: Evidence): Omit<LastRun, 'intents'> {
  return {
    schema_version: 1,
    product_id: e.product_id,
    run_id: e.run_id,
    job_id: e.job_id,
    intent: e.intent,
    exit_status: e.exit_status,
    exit_code: e.exit_code,
    started_at: e.started_at,
    finished_at: e.finished_at,
    duration_ms: e.duration_ms,
    evidence: pathOf(e),
  }
}

// The previous last_run.json: latest is a test at 12:00; validate's latest at 10:00.
const T10 = '2026-03-10T10:00:00.000Z'
const T11 = '2026-03-10T11:00:00.000Z'
const T12 = '2026-03-10T12:00:00.000Z'
const T13 = '2026-03-10T13:00:00.000Z'
const PREV_VALIDATE: Spec = { run_id: 'alpha.validate.10101010', intent: 'validate', finished_at: T10 }
const PREV_TEST: Spec = { run_id: 'alpha.test.12121212', intent: 'test', finished_at: T12, exit_status: 'failed_test' }
const PREV: LastRun = { ...top(evidence(PREV_TEST)), intents: { validate: entry(PREV_VALIDATE), test: entry(PREV_TEST) } }

describe('foldEvidence', () => {
  it('with no previous file: the evidence is the top level and its intent the only entry', () => {
    const spec: Spec = { run_id: 'alpha.validate.abcdef12', intent: 'validate', finished_at: T12, exit_status: 'failed_validate' }
    expect(fold(undefined, evidence(spec))).toEqual({ ...top(evidence(spec)), intents: { validate: entry(spec) } })
  })

  it.each([
    {
      name: 'newer, another intent: replaces the top level, adds its entry',
      spec: { run_id: 'alpha.regenerate_report.13131313', intent: 'regenerate_report', finished_at: T13 },
      replacesTop: true,
      intents: { validate: entry(PREV_VALIDATE), test: entry(PREV_TEST), regenerate_report: entry({ run_id: 'alpha.regenerate_report.13131313', intent: 'regenerate_report', finished_at: T13 }) },
    },
    {
      name: 'newer, the same intent: replaces the top level and that entry',
      spec: { run_id: 'alpha.test.13131313', intent: 'test', finished_at: T13 },
      replacesTop: true,
      intents: { validate: entry(PREV_VALIDATE), test: entry({ run_id: 'alpha.test.13131313', intent: 'test', finished_at: T13 }) },
    },
    {
      name: 'newer, an older intent: replaces the top level and that entry',
      spec: { run_id: 'alpha.validate.13131313', intent: 'validate', finished_at: T13, exit_status: 'timeout' },
      replacesTop: true,
      intents: { validate: entry({ run_id: 'alpha.validate.13131313', intent: 'validate', finished_at: T13, exit_status: 'timeout' }), test: entry(PREV_TEST) },
    },
    {
      name: 'older, its intent missing: keeps the top level, adds the entry',
      spec: { run_id: 'alpha.regenerate_report.11111111', intent: 'regenerate_report', finished_at: T11 },
      replacesTop: false,
      intents: { validate: entry(PREV_VALIDATE), test: entry(PREV_TEST), regenerate_report: entry({ run_id: 'alpha.regenerate_report.11111111', intent: 'regenerate_report', finished_at: T11 }) },
    },
    {
      name: 'older, its intent entry older still: keeps the top level, updates the entry',
      spec: { run_id: 'alpha.validate.11111111', intent: 'validate', finished_at: T11 },
      replacesTop: false,
      intents: { validate: entry({ run_id: 'alpha.validate.11111111', intent: 'validate', finished_at: T11 }), test: entry(PREV_TEST) },
    },
    {
      name: 'older, its intent entry newer: changes nothing',
      spec: { run_id: 'alpha.test.11111111', intent: 'test', finished_at: T11 },
      replacesTop: false,
      intents: PREV.intents,
    },
    {
      name: 'older than its intent entry (10:00 vs 09:00): changes nothing',
      spec: { run_id: 'alpha.validate.09090909', intent: 'validate', finished_at: '2026-03-10T09:00:00.000Z' },
      replacesTop: false,
      intents: PREV.intents,
    },
    {
      name: 'same finished_at as the top, a later run id: wins',
      spec: { run_id: 'alpha.validate.ffffffff', intent: 'validate', finished_at: T12 },
      replacesTop: true,
      intents: { validate: entry({ run_id: 'alpha.validate.ffffffff', intent: 'validate', finished_at: T12 }), test: entry(PREV_TEST) },
    },
    {
      name: 'same finished_at as the top, an earlier run id: only its (older) entry is updated',
      spec: { run_id: 'alpha.regenerate_report.00000000', intent: 'regenerate_report', finished_at: T12 },
      replacesTop: false,
      intents: { validate: entry(PREV_VALIDATE), test: entry(PREV_TEST), regenerate_report: entry({ run_id: 'alpha.regenerate_report.00000000', intent: 'regenerate_report', finished_at: T12 }) },
    },
    {
      name: 'same finished_at as its entry, a later run id: updates the entry',
      spec: { run_id: 'alpha.validate.ffffffff', intent: 'validate', finished_at: T10 },
      replacesTop: false,
      intents: { validate: entry({ run_id: 'alpha.validate.ffffffff', intent: 'validate', finished_at: T10 }), test: entry(PREV_TEST) },
    },
    {
      name: 'same finished_at as its entry, an earlier run id: changes nothing',
      spec: { run_id: 'alpha.validate.00000000', intent: 'validate', finished_at: T10 },
      replacesTop: false,
      intents: PREV.intents,
    },
    {
      name: 'the same job again with a new outcome: replaces it',
      spec: { run_id: PREV_TEST.run_id, intent: 'test', finished_at: T12, exit_status: 'ok' },
      replacesTop: true,
      intents: { validate: entry(PREV_VALIDATE), test: entry({ run_id: PREV_TEST.run_id, intent: 'test', finished_at: T12, exit_status: 'ok' }) },
    },
    {
      // Any RFC 3339 date-time passes the LastRun schema; 13:30+02:00 is 11:30Z, before 11:45Z.
      name: 'newer than an offset timestamp (11:45Z vs 13:30+02:00): replaces the top level',
      prev: { ...PREV, started_at: '2026-03-10T13:29:58.500+02:00', finished_at: '2026-03-10T13:30:00+02:00', intents: { test: { ...entry(PREV_TEST), finished_at: '2026-03-10T13:30:00+02:00' } } },
      spec: { run_id: 'alpha.validate.11451145', intent: 'validate', finished_at: '2026-03-10T11:45:00.000Z' },
      replacesTop: true,
      intents: { test: { ...entry(PREV_TEST), finished_at: '2026-03-10T13:30:00+02:00' }, validate: entry({ run_id: 'alpha.validate.11451145', intent: 'validate', finished_at: '2026-03-10T11:45:00.000Z' }) },
    },
  ] as Array<{ name: string; prev?: LastRun; spec: Spec; replacesTop: boolean; intents: LastRun['intents'] }>)('$name', ({ prev = PREV, spec, replacesTop, intents }) => {
    const e = evidence(spec)
    const { intents: _prevIntents, ...prevTop } = prev
    expect(fold(prev, e)).toEqual({ ...(replacesTop ? top(e) : prevTop), intents })
  })

  it('does not change the previous value', () => {
    const copy = structuredClone(PREV)
    fold(PREV, evidence({ run_id: 'alpha.validate.13131313', intent: 'validate', finished_at: T13 }))
    fold(PREV, evidence({ run_id: 'alpha.validate.11111111', intent: 'validate', finished_at: T11 }))
    expect(PREV).toEqual(copy)
  })

  it.each([
    { name: 'no previous file', prev: undefined, spec: { run_id: 'alpha.test.1', intent: 'test', finished_at: T11 } },
    { name: 'newer', prev: PREV, spec: { run_id: 'alpha.test.13131313', intent: 'test', finished_at: T13 } },
    { name: 'older, missing intent', prev: PREV, spec: { run_id: 'alpha.regenerate_report.1', intent: 'regenerate_report', finished_at: T11 } },
    { name: 'older, older entry', prev: PREV, spec: { run_id: 'alpha.validate.11111111', intent: 'validate', finished_at: T11 } },
    { name: 'older, newer entry', prev: PREV, spec: { run_id: 'alpha.test.11111111', intent: 'test', finished_at: T11 } },
    { name: 'tie on the top', prev: PREV, spec: { run_id: 'alpha.validate.ffffffff', intent: 'validate', finished_at: T12 } },
    { name: 'the top itself', prev: PREV, spec: PREV_TEST },
  ] as Array<{ name: string; prev: LastRun | undefined; spec: Spec }>)('is idempotent and schema-valid: $name', ({ prev, spec }) => {
    const e = evidence(spec)
    const once = fold(prev, e)
    expect(fold(once, e)).toEqual(once)
    expect(fold(fold(once, e), e)).toEqual(once)
    const checked = checkValue(LastRun, once)
    expect(checked.problems).toEqual([])
    expect(checked.ok).toBe(true)
  })

  it('gives the same value whatever order the evidence comes in', () => {
    const all = [
      evidence({ run_id: 'alpha.validate.1', intent: 'validate', finished_at: T10 }),
      evidence({ run_id: 'alpha.test.1', intent: 'test', finished_at: T11, exit_status: 'failed_test' }),
      evidence({ run_id: 'alpha.validate.2', intent: 'validate', finished_at: T12 }),
      evidence({ run_id: 'alpha.regenerate_report.1', intent: 'regenerate_report', finished_at: T12 }),
      evidence({ run_id: 'alpha.test.2', intent: 'test', finished_at: T13 }),
    ]
    const orders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 2, 1, 4, 0]]
    const results = orders.map((order) => order.reduce<LastRun | undefined>((prev, i) => fold(prev, all[i]!), undefined))
    for (const result of results) expect(result).toEqual(results[0])
    expect(results[0]).toMatchObject({ run_id: 'alpha.test.2', intents: { validate: { run_id: 'alpha.validate.2' }, test: { run_id: 'alpha.test.2' }, regenerate_report: { run_id: 'alpha.regenerate_report.1' } } })
  })
})

describe('recordEvidence', () => {
  let root: string
  const REL = 'dash/runs/alpha/last_run.json'

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'last-run-'))
  })

  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
  })

  const read = () => readFileSync(join(root, REL), 'utf8')

  it('writes dash/runs/<product>/last_run.json, creating the folders', async () => {
    const e = evidence(PREV_TEST)
    await recordEvidence(root, 'dash', e)
    expect(read()).toBe(stableStringify({ ...top(e), intents: { test: entry(PREV_TEST) } }))
    expect(checkValue(LastRun, JSON.parse(read())).ok).toBe(true)
  })

  it('puts the evidence path under the given dash dir', async () => {
    await recordEvidence(root, 'ops/dash', evidence(PREV_TEST))
    expect(JSON.parse(readFileSync(join(root, 'ops/dash/runs/alpha/last_run.json'), 'utf8'))).toMatchObject({ evidence: `ops/dash/runs/alpha/${PREV_TEST.run_id}/evidence.json` })
  })

  it('does not rewrite the file for the same evidence', async () => {
    const e = evidence(PREV_TEST)
    await recordEvidence(root, 'dash', e)
    const bytes = read()
    const before = statSync(join(root, REL))
    await new Promise((resolve) => setTimeout(resolve, 20))
    await recordEvidence(root, 'dash', e)
    const after = statSync(join(root, REL))
    expect(read()).toBe(bytes)
    expect(after.ino).toBe(before.ino)
    expect(after.mtimeMs).toBe(before.mtimeMs)
  })

  it('does not rewrite the file for evidence older than everything in it', async () => {
    await recordEvidence(root, 'dash', evidence(PREV_VALIDATE))
    await recordEvidence(root, 'dash', evidence(PREV_TEST))
    const before = statSync(join(root, REL))
    await new Promise((resolve) => setTimeout(resolve, 20))
    await recordEvidence(root, 'dash', evidence({ run_id: 'alpha.test.11111111', intent: 'test', finished_at: T11 }))
    expect(statSync(join(root, REL)).ino).toBe(before.ino)
    expect(JSON.parse(read())).toEqual(PREV)
  })

  it('folds into what is there: older evidence only adds its entry', async () => {
    await recordEvidence(root, 'dash', evidence(PREV_VALIDATE))
    await recordEvidence(root, 'dash', evidence(PREV_TEST))
    const report: Spec = { run_id: 'alpha.regenerate_report.11111111', intent: 'regenerate_report', finished_at: T11 }
    await recordEvidence(root, 'dash', evidence(report))
    expect(JSON.parse(read())).toEqual({ ...PREV, intents: { ...PREV.intents, regenerate_report: entry(report) } })
  })

  it('refuses a broken last_run.json and leaves it as it was', async () => {
    mkdirSync(join(root, 'dash/runs/alpha'), { recursive: true })
    writeFileSync(join(root, REL), '{\n  "schema_version": 1,\n')
    const error: unknown = await recordEvidence(root, 'dash', evidence(PREV_TEST)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(isOracleError(error)).toBe(true)
    expect((error as OracleError).code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect((error as OracleError).file).toBe(REL)
    expect(read()).toBe('{\n  "schema_version": 1,\n')
  })
})
