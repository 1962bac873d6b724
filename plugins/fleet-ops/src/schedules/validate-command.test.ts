// `oracle fleet schedules validate` against temp workspaces made from the example fleet's
// schedules: the schema is written once, every entry is listed with its slots, problems throw.

import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CommandContext, type CommandResult, type LoadedPlugin, fixedClock, isOracleError, stableStringify, toJsonSchemaDocument } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { run } from '../commands/schedules-validate.js'
import { Schedule } from './schema.js'

const EXAMPLE_SCHEDULES = fileURLToPath(new URL('../../../../examples/fleet/dash/schedules/', import.meta.url))
const FLEET = ['billing-api', 'web-app', 'search-indexer', 'legacy-reports']
const OPTIONS = { schedulesDir: 'dash/schedules', scheduleSchemaFile: 'dash/schemas/schedule.schema.json' }

let root = ''
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'schedules-validate-'))
  cpSync(EXAMPLE_SCHEDULES, join(root, 'dash/schedules'), { recursive: true })
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function context(products: string[] | undefined): CommandContext {
  const plugins: LoadedPlugin[] = products === undefined ? [] : [{ name: 'oracle:work-order-planner', plugin: { name: 'oracle:work-order-planner' }, options: { products: products.map((id) => ({ id })) }, path: 'plugins[0]' }]
  return { kernel: { rootDir: root, clock: fixedClock('2026-11-21T10:00:00.000Z'), plugins }, pluginOptions: OPTIONS } as unknown as CommandContext
}

const validate = (products: string[] | undefined): Promise<CommandResult> => run(context(products))

describe('oracle fleet schedules validate', () => {
  it('lists every file and entry with its last and next slot, and writes the schema', async () => {
    const result = await validate(FLEET)
    expect(result.exitCode).toBe(0)
    expect(result.data).toMatchObject({ entries: 8, problems: [], schema: { file: OPTIONS.scheduleSchemaFile, written: true }, products_checked: true })
    expect((result.data as { files: Array<{ file: string }> }).files.map((f) => f.file)).toEqual(['dash/schedules/billing-api.json', 'dash/schedules/search-indexer.json', 'dash/schedules/web-app.json'])
    expect(result.text).toContain('3 schedule file(s), 8 entries: valid')
    expect(result.text).toContain('  test               weekly on monday at 07:00 Europe/Berlin; last 2026-11-16T06:00:00.000Z, next 2026-11-23T06:00:00.000Z')
    expect(result.text).toContain('  validate  weekdays at 00:00 UTC; last 2026-11-20T00:00:00.000Z, next 2026-11-23T00:00:00.000Z')
    expect(readFileSync(join(root, OPTIONS.scheduleSchemaFile), 'utf8')).toBe(stableStringify(toJsonSchemaDocument(Schedule)))
  })

  it('leaves the schema file alone when its bytes are already right', async () => {
    await validate(FLEET)
    const file = join(root, OPTIONS.scheduleSchemaFile)
    const before = statSync(file).mtimeMs
    const result = await validate(FLEET)
    expect(result.data).toMatchObject({ schema: { written: false } })
    expect(result.text).toContain('(unchanged)')
    expect(statSync(file).mtimeMs).toBe(before)
  })

  it('says so when the planner is not configured, and does not check product ids', async () => {
    writeFileSync(join(root, 'dash/schedules/unknown-product.json'), JSON.stringify({ schema_version: 1, product_id: 'unknown-product', entries: [{ intent: 'test', cadence: 'yearly' }] }))
    const result = await validate(undefined)
    expect(result.data).toMatchObject({ entries: 9, products_checked: false })
    expect(result.text).toContain('product ids not checked')
  })

  it('throws ORACLE_SCHEDULE_INVALID (exit 3) with every problem, after writing the schema', async () => {
    writeFileSync(join(root, 'dash/schedules/billing-api.json'), '{ "schema_version": 1, "product_id": "billing-api", "timezone": "Mars/Base",\n  "entries": [{ "intent": "test", "cadence": "weekly", "day": "funday" }] }\n')
    writeFileSync(join(root, 'dash/schedules/webapp.json'), JSON.stringify({ schema_version: 1, product_id: 'webapp', entries: [{ intent: 'test', cadence: 'daily' }] }))
    const error: unknown = await validate(FLEET).catch((thrown: unknown) => thrown)
    if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
    expect(error).toMatchObject({ code: 'ORACLE_SCHEDULE_INVALID', exitCode: 3, message: '3 problem(s) in 2 schedule file(s)', file: 'dash/schedules/billing-api.json' })
    expect(error.problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`)).toEqual([
      'dash/schedules/billing-api.json:2 entries[0].day: must be one of "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday" (got string "funday")',
      'dash/schedules/billing-api.json:1 timezone: unknown time zone "Mars/Base"',
      'dash/schedules/webapp.json:1 product_id: product "webapp" is not declared in the config',
    ])
    expect(statSync(join(root, OPTIONS.scheduleSchemaFile)).isFile()).toBe(true)
  })
})
