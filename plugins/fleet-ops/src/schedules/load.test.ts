// Schedule files from temp workspaces: every malformed file gives a problem naming the file, the
// JSON path and (where there is one) the line; all problems of all files come back at once; the
// example fleet's schedules are valid.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ExitCode, checkValue, isOracleError, toJsonSchemaDocument } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ScheduleProblem, assertSchedules, loadSchedules } from './load.js'
import { Schedule } from './schema.js'

const PRODUCTS = ['alpha', 'beta', 'web-app']
const DIR = 'dash/schedules'
const EXAMPLE_FLEET = fileURLToPath(new URL('../../../../examples/fleet/', import.meta.url))

let root = ''
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'schedules-'))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, DIR, name)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  }
}

/** A schedule file with one entry a line: line 1 `{`, 2 schema_version, 3 product_id, 4 timezone, 5 `"entries": [`, entries from line 6. */
function schedule(productId: string, entries: string[], { timezone = 'UTC', version = '1', extra = '' } = {}): string {
  return [
    '{',
    `  "schema_version": ${version},`,
    `  "product_id": ${JSON.stringify(productId)},`,
    `  "timezone": ${JSON.stringify(timezone)},${extra}`,
    '  "entries": [',
    entries.map((entry) => `    ${entry}`).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n')
}

const VALIDATE = '{ "intent": "validate", "cadence": "daily" }'

type Expected = Pick<ScheduleProblem, 'file' | 'path' | 'code'> & { line?: number; message?: RegExp; hint?: RegExp }

const bad: Array<{ label: string; files: Record<string, string>; problems: Expected[] }> = [
  {
    label: 'broken JSON',
    files: { 'alpha.json': '{\n  "schema_version": 1,\n  "product_id": "alpha"\n  "entries": []\n}\n' },
    problems: [{ file: `${DIR}/alpha.json`, path: '(root)', code: 'not_json', line: 4, message: /not valid JSON/ }],
  },
  {
    label: 'a value of the wrong type',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "validate", "cadence": "daily", "time": 600 }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].time', code: 'schema', line: 6, message: /must be a string \(got number 600\)/ }],
  },
  {
    label: 'the wrong schema_version',
    files: { 'alpha.json': schedule('alpha', [VALIDATE], { version: '"1"' }) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'schema_version', code: 'schema', line: 2, message: /must be a number \(got string "1"\)/ }],
  },
  {
    label: 'an unknown cadence',
    files: { 'alpha.json': schedule('alpha', [VALIDATE, '{ "intent": "test", "cadence": "dialy" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[1].cadence', code: 'schema', line: 7, message: /must be one of "daily"/, hint: /Did you mean "daily"/ }],
  },
  {
    label: 'a time that is not HH:MM (25:00)',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "validate", "cadence": "daily", "time": "25:00" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].time', code: 'schema', line: 6, message: /pattern/ }],
  },
  {
    label: 'an unknown day',
    files: { 'alpha.json': schedule('alpha', [VALIDATE, '{ "intent": "test", "cadence": "weekly", "day": "funday" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[1].day', code: 'schema', line: 7, message: /must be one of "sunday", "monday"/ }],
  },
  {
    label: 'hours that do not divide a day (5)',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "gc_runs", "cadence": "every_n_hours", "hours": 5 }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].hours', code: 'schema', line: 6, message: /must be one of 1, 2, 3, 4, 6, 8, 12/ }],
  },
  {
    label: 'every_n_hours without hours',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "gc_runs", "cadence": "every_n_hours" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].hours', code: 'schema', line: 6, message: /missing required key "hours"/ }],
  },
  {
    label: 'an intent that is not a name',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "Run Tests", "cadence": "every_day" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].intent', code: 'schema', line: 6 }],
  },
  {
    label: 'no entries',
    files: { 'alpha.json': schedule('alpha', []) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries', code: 'schema', line: 5 }],
  },
  {
    label: 'an unknown time zone',
    files: { 'alpha.json': schedule('alpha', [VALIDATE], { timezone: 'Europe/Berln' }) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'timezone', code: 'timezone_unknown', line: 4, message: /Europe\/Berln/, hint: /Did you mean "Europe\/Berlin"/ }],
  },
  {
    label: 'a product that is not declared',
    files: { 'webapp.json': schedule('webapp', [VALIDATE]) },
    problems: [{ file: `${DIR}/webapp.json`, path: 'product_id', code: 'product_unknown', line: 3, message: /"webapp" is not declared/, hint: /Did you mean "web-app"/ }],
  },
  {
    label: 'a product_id that is not the file name',
    files: { 'alpha.json': schedule('beta', [VALIDATE]) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'product_id', code: 'product_mismatch', line: 3, message: /"beta" but the file is named alpha.json/ }],
  },
  {
    label: 'the same intent and cadence twice',
    files: { 'alpha.json': schedule('alpha', [VALIDATE, '{ "intent": "test", "cadence": "daily" }', '{ "intent": "validate", "cadence": "daily", "time": "12:00" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[2]', code: 'duplicate_entry', line: 8, message: /also entries\[0\]/ }],
  },
  {
    label: 'an unknown key in an entry',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "test", "cadence": "weekly", "dya": "friday" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].dya', code: 'schema', line: 6, message: /unknown key "dya"/, hint: /Did you mean "day"/ }],
  },
  {
    label: 'a key of another cadence (day on daily)',
    files: { 'alpha.json': schedule('alpha', ['{ "intent": "validate", "cadence": "daily", "day": "friday" }']) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'entries[0].day', code: 'schema', line: 6, message: /unknown key "day"/ }],
  },
  {
    label: 'an unknown key at the top',
    files: { 'alpha.json': schedule('alpha', [VALIDATE], { extra: '\n  "owner": "ops",' }) },
    problems: [{ file: `${DIR}/alpha.json`, path: 'owner', code: 'schema', line: 5, message: /unknown key "owner"/ }],
  },
  {
    label: 'a file not named <product_id>.json',
    files: { 'alpha.yaml': 'product_id: alpha\n' },
    problems: [{ file: `${DIR}/alpha.yaml`, path: '(root)', code: 'file_name' }],
  },
  {
    label: 'a JSON file not named <product_id>.json',
    files: { 'Alpha.json': schedule('alpha', [VALIDATE]) },
    problems: [
      { file: `${DIR}/Alpha.json`, path: '(root)', code: 'file_name' },
      { file: `${DIR}/Alpha.json`, path: 'product_id', code: 'product_mismatch', line: 3 },
    ],
  },
  {
    label: 'a folder among the files',
    files: { 'old/alpha.json': schedule('alpha', [VALIDATE]) },
    problems: [{ file: `${DIR}/old`, path: '(root)', code: 'file_name' }],
  },
]

function expectProblems(actual: ScheduleProblem[], expected: Expected[]): void {
  expect(actual).toHaveLength(expected.length)
  expected.forEach(({ message, hint, ...exact }, i) => {
    const problem = actual[i] as ScheduleProblem
    expect(problem).toMatchObject(exact)
    if (exact.line === undefined) expect(problem.line).toBeUndefined()
    if (message) expect(problem.message).toMatch(message)
    if (hint) expect(problem.hint).toMatch(hint)
  })
}

describe('loadSchedules: problems', () => {
  it.each(bad)('$label', async ({ files, problems }) => {
    write(files)
    const result = await loadSchedules(root, DIR, PRODUCTS)
    expectProblems(result.problems, problems)
    expect(result.schedules).toEqual([])
  })

  it('gives every problem of every file, files in name order, and loads the good ones', async () => {
    write({
      'beta.json': schedule('beta', ['{ "intent": "test", "cadence": "weekly", "day": "funday" }', '{ "intent": "gc_runs", "cadence": "every_n_hours", "hours": 5 }'], { timezone: 'Nowhere/City' }),
      'alpha.json': '{ "schema_version": 1,\n  "product_id": "alpha", }\n',
      'web-app.json': schedule('web-app', [VALIDATE]),
    })
    const result = await loadSchedules(root, DIR, PRODUCTS)
    expectProblems(result.problems, [
      { file: `${DIR}/alpha.json`, path: '(root)', code: 'not_json', line: 2 },
      { file: `${DIR}/beta.json`, path: 'entries[0].day', code: 'schema', line: 6 },
      { file: `${DIR}/beta.json`, path: 'entries[1].hours', code: 'schema', line: 7 },
      { file: `${DIR}/beta.json`, path: 'timezone', code: 'timezone_unknown', line: 4 },
    ])
    expect(result.schedules.map((s) => s.file)).toEqual([`${DIR}/web-app.json`])
  })

  it('does not check product ids when no products are given', async () => {
    write({ 'gamma.json': schedule('gamma', [VALIDATE]) })
    const result = await loadSchedules(root, DIR, undefined)
    expect(result.problems).toEqual([])
    expect(result.schedules.map((s) => s.product_id)).toEqual(['gamma'])
  })
})

describe('loadSchedules: good files', () => {
  it('gives no schedules and no problems when the folder does not exist', async () => {
    expect(await loadSchedules(root, DIR, PRODUCTS)).toEqual({ schedules: [], problems: [] })
  })

  it('loads a file with its workspace-relative path; no timezone is UTC; hidden files are skipped', async () => {
    write({
      'alpha.json': JSON.stringify({ schema_version: 1, product_id: 'alpha', entries: [{ intent: 'validate', cadence: 'daily', time: '06:00' }] }),
      '.alpha.json.swp': 'junk',
    })
    expect(await loadSchedules(root, `${DIR}/`, PRODUCTS)).toEqual({
      schedules: [{ file: `${DIR}/alpha.json`, product_id: 'alpha', timezone: 'UTC', entries: [{ intent: 'validate', cadence: 'daily', time: '06:00' }] }],
      problems: [],
    })
  })

  it('validates the example fleet\'s schedules', async () => {
    const result = await loadSchedules(EXAMPLE_FLEET, 'dash/schedules', ['billing-api', 'web-app', 'search-indexer', 'legacy-reports'])
    expect(result.problems).toEqual([])
    expect(result.schedules.map((s) => [s.product_id, s.timezone, s.entries.length])).toEqual([
      ['billing-api', 'Europe/Berlin', 5],
      ['search-indexer', 'UTC', 1],
      ['web-app', 'UTC', 2],
    ])
    // The whole-file schema (the one written for editors) accepts them too.
    for (const s of result.schedules) expect(checkValue(Schedule, JSON.parse(readFileSync(join(EXAMPLE_FLEET, s.file), 'utf8'))).problems).toEqual([])
  })
})

describe('assertSchedules', () => {
  it('throws ORACLE_SCHEDULE_INVALID (exit 3) listing every problem with file, path and line', async () => {
    write({
      'alpha.json': schedule('alpha', ['{ "intent": "validate", "cadence": "daily", "time": "25:00" }']),
      'beta.json': schedule('beta', [VALIDATE, VALIDATE]),
    })
    const error: unknown = await assertSchedules(root, DIR, PRODUCTS).catch((thrown: unknown) => thrown)
    if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
    expect(error).toMatchObject({ code: 'ORACLE_SCHEDULE_INVALID', message: '2 problem(s) in 2 schedule file(s)', exitCode: ExitCode.invalidInput, file: `${DIR}/alpha.json`, line: 6 })
    expect(error.problems).toMatchObject([
      { file: `${DIR}/alpha.json`, path: 'entries[0].time', line: 6 },
      { file: `${DIR}/beta.json`, path: 'entries[1]', line: 7, rule: 'duplicate_entry' },
    ])
    expect(error.hint).toBeTruthy()
  })

  it('returns the schedules when every file is good', async () => {
    write({ 'alpha.json': schedule('alpha', [VALIDATE]) })
    expect(await assertSchedules(root, DIR, PRODUCTS)).toHaveLength(1)
  })
})

describe('the Schedule schema document', () => {
  it('has its $id and title, and a description on every field', () => {
    const doc = toJsonSchemaDocument(Schedule)
    expect(doc).toMatchObject({ $id: 'https://oraclekit.dev/schemas/schedule.schema.json', title: 'Schedule of a product' })
    const undescribed: string[] = []
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}[${i}]`))
      if (typeof node !== 'object' || node === null) return
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties ?? {}
      for (const [key, property] of Object.entries(properties)) if (typeof property.description !== 'string') undescribed.push(`${path}.${key}`)
      for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`)
    }
    walk(doc, '$')
    expect(undescribed).toEqual([])
  })

  it('compiles as a whole and tells a good schedule from a bad one', () => {
    const good = { schema_version: 1, product_id: 'alpha', entries: [{ intent: 'gc_runs', cadence: 'every_n_hours', hours: 6 }] }
    expect(checkValue(Schedule, good).ok).toBe(true)
    expect(checkValue(Schedule, { ...good, entries: [{ intent: 'gc_runs', cadence: 'every_n_hours', hours: 5 }] }).ok).toBe(false)
  })
})
