// Due entries from temp workspaces: schedules against dash/runs/<id>/last_run.json; sorted by
// product, then intent; bad schedules and broken last runs stop with a coded error.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ExitCode, type OracleError, isOracleError } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type DueOptions, dueEntries } from './due.js'
import type { ScheduleEntry } from './schema.js'

const PRODUCTS = ['alpha', 'beta']
// A Friday.
const NOW = Date.parse('2026-11-20T10:00:00.000Z')

let root = ''
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'due-'))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true })
    writeFileSync(join(root, rel), text)
  }
}

const schedule = (productId: string, entries: ScheduleEntry[], timezone?: string): string =>
  JSON.stringify({ schema_version: 1, product_id: productId, ...(timezone ? { timezone } : {}), entries }, null, 2)

/** A last_run.json as `oracle run` writes it, with the given finish time per intent. */
function lastRun(productId: string, finished: Record<string, string>): string {
  const intents = Object.fromEntries(Object.entries(finished).map(([intent, at]) => [intent, { run_id: `${intent}-run`, exit_status: 'ok', finished_at: at }]))
  const [intent = 'validate', at = '2026-11-01T00:00:00.000Z'] = Object.entries(finished)[0] ?? []
  return JSON.stringify({
    schema_version: 1,
    product_id: productId,
    run_id: `${intent}-run`,
    job_id: `${productId}.${intent}.0123abcd`,
    intent,
    exit_status: 'ok',
    exit_code: 0,
    started_at: at,
    finished_at: at,
    duration_ms: 0,
    evidence: `dash/runs/${productId}/${intent}-run/evidence.json`,
    intents,
  })
}

const options = (overrides: Partial<DueOptions> = {}): DueOptions => ({ rootDir: root, schedulesDir: 'dash/schedules', dashDir: 'dash', productIds: PRODUCTS, now: NOW, ...overrides })

async function failure(overrides: Partial<DueOptions> = {}): Promise<OracleError> {
  const error: unknown = await dueEntries(options(overrides)).catch((thrown: unknown) => thrown)
  if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
  return error
}

describe('dueEntries', () => {
  it('gives nothing when there are no schedules', async () => {
    expect(await dueEntries(options())).toEqual([])
  })

  it('gives the due entries with their slot, reason and source, sorted by product then intent', async () => {
    write({
      'dash/schedules/beta.json': schedule('beta', [{ intent: 'regenerate_report', cadence: 'monthly' }], 'Europe/Berlin'),
      'dash/schedules/alpha.json': schedule('alpha', [
        { intent: 'validate', cadence: 'daily', time: '06:00' },
        { intent: 'test', cadence: 'weekly', time: '07:00' },
        { intent: 'gc_runs', cadence: 'every_n_hours', hours: 6 },
      ]),
      'dash/runs/alpha/last_run.json': lastRun('alpha', { test: '2026-11-09T07:30:00.000Z', validate: '2026-11-20T06:01:00.000Z' }),
    })
    expect(await dueEntries(options())).toEqual([
      { product_id: 'alpha', intent: 'gc_runs', occurrence: '2026-11-20T06:00:00.000Z', reason: 'scheduled every 6 h from 00:00 UTC, due since 2026-11-20T06:00:00.000Z', source: 'dash/schedules/alpha.json' },
      { product_id: 'alpha', intent: 'test', occurrence: '2026-11-16T07:00:00.000Z', reason: 'scheduled weekly on monday at 07:00 UTC, due since 2026-11-16T07:00:00.000Z', source: 'dash/schedules/alpha.json' },
      {
        product_id: 'beta',
        intent: 'regenerate_report',
        occurrence: '2026-10-31T23:00:00.000Z',
        reason: 'scheduled monthly on the 1st at 00:00 Europe/Berlin, due since 2026-10-31T23:00:00.000Z',
        source: 'dash/schedules/beta.json',
      },
    ])
  })

  it.each<{ label: string; lastRunFile: Record<string, string> | undefined; due: boolean }>([
    { label: 'no last_run.json: never ran', lastRunFile: undefined, due: true },
    { label: 'the intent is not in last_run.json', lastRunFile: { test: '2026-11-20T09:00:00.000Z' }, due: true },
    { label: 'it finished 1 ms before the slot', lastRunFile: { validate: '2026-11-20T05:59:59.999Z' }, due: true },
    { label: 'it finished exactly at the slot', lastRunFile: { validate: '2026-11-20T06:00:00.000Z' }, due: false },
    { label: 'it finished after the slot', lastRunFile: { validate: '2026-11-20T06:00:01.000Z' }, due: false },
  ])('$label → due: $due', async ({ lastRunFile, due }) => {
    write({ 'dash/schedules/alpha.json': schedule('alpha', [{ intent: 'validate', cadence: 'daily', time: '06:00' }]) })
    if (lastRunFile) write({ 'dash/runs/alpha/last_run.json': lastRun('alpha', lastRunFile) })
    const entries = await dueEntries(options())
    expect(entries.map((e) => [e.intent, e.occurrence])).toEqual(due ? [['validate', '2026-11-20T06:00:00.000Z']] : [])
  })

  it('gives an intent scheduled with two cadences once, for its earliest slot not yet run', async () => {
    write({
      'dash/schedules/alpha.json': schedule('alpha', [
        { intent: 'validate', cadence: 'daily', time: '06:00' },
        { intent: 'validate', cadence: 'monthly' },
      ]),
    })
    expect((await dueEntries(options())).map((e) => [e.intent, e.occurrence])).toEqual([['validate', '2026-11-01T00:00:00.000Z']])
  })

  it('reads last runs from the configured dash folder', async () => {
    write({
      'dash/schedules/alpha.json': schedule('alpha', [{ intent: 'validate', cadence: 'daily', time: '06:00' }]),
      'ops/dash/runs/alpha/last_run.json': lastRun('alpha', { validate: '2026-11-20T07:00:00.000Z' }),
    })
    expect(await dueEntries(options({ dashDir: 'ops/dash/' }))).toEqual([])
  })
})

describe('dueEntries: bad input', () => {
  it('throws ORACLE_SCHEDULE_INVALID for a bad schedule file', async () => {
    write({ 'dash/schedules/alpha.json': schedule('alpha', [{ intent: 'validate', cadence: 'daily', time: '25:00' }]) })
    expect(await failure()).toMatchObject({ code: 'ORACLE_SCHEDULE_INVALID', exitCode: ExitCode.invalidInput, file: 'dash/schedules/alpha.json' })
  })

  it.each([
    { label: 'not JSON', text: '{\n  "intents": {\n    "validate": \n  }\n}\n', line: 4 },
    { label: 'no intents', text: '{ "product_id": "alpha" }', line: undefined },
    { label: 'a finish time that is not a date-time', text: '{ "intents": { "validate": { "finished_at": "yesterday" } } }', line: undefined },
  ])('throws ORACLE_PLAN_ARTIFACT_INVALID for a last_run.json that is $label', async ({ text, line }) => {
    write({ 'dash/schedules/alpha.json': schedule('alpha', [{ intent: 'validate', cadence: 'daily' }]), 'dash/runs/alpha/last_run.json': text })
    const error = await failure()
    expect(error).toMatchObject({ code: 'ORACLE_PLAN_ARTIFACT_INVALID', exitCode: ExitCode.invalidInput, file: 'dash/runs/alpha/last_run.json' })
    expect(error.line).toBe(line)
  })
})
