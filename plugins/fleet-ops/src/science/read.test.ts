// readScienceInputs on real files, and the golden index of the fixture fleet read from them.
// UPDATE_GOLDEN=1 rewrites _fixtures/science_index.golden.json; review the diff before keeping it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type OracleError, checkValue, stableStringify } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLI, CLI_HEAL, CLI_RUNS, DASH, DOSSIERS, FLEET_OPS, PRODUCTS, dashFiles, lastRun } from './_fixtures/fleet.js'
import { buildScienceIndex, readScienceInputs, scienceIndexText } from './build.js'
import { ScienceIndex } from './schema.js'

const GOLDEN = fileURLToPath(new URL('./_fixtures/science_index.golden.json', import.meta.url))

let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-science-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
}

const read = (productIds: readonly string[] = PRODUCTS) => readScienceInputs(dir, { dashDir: 'dash', healDir: 'dash/heal', productIds })

async function failure(productIds: readonly string[] = PRODUCTS): Promise<OracleError> {
  const error = await read(productIds).then(
    () => undefined,
    (e: unknown) => e as OracleError,
  )
  expect(error, 'expected readScienceInputs to throw').toBeDefined()
  return error!
}

describe('the golden index of the fixture fleet', () => {
  it('is read from the Dash files, validates, and equals the golden file byte for byte', async () => {
    write(dashFiles())
    const { lastRuns, heal } = await read()
    const index = buildScienceIndex({ dossiers: DOSSIERS, lastRuns, heal, productIds: PRODUCTS })
    expect(checkValue(ScienceIndex, index).ok).toBe(true)
    const text = scienceIndexText(index)
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text)
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'))
  })

  it('the golden file itself validates against the schema', () => {
    expect(checkValue(ScienceIndex, JSON.parse(readFileSync(GOLDEN, 'utf8'))).problems).toEqual([])
  })
})

describe('readScienceInputs', () => {
  it('reads nothing, without complaint, when dash/runs and dash/heal do not exist', async () => {
    const { lastRuns, heal } = await read()
    expect([...lastRuns.keys(), ...heal.keys()]).toEqual([])
  })

  it('keeps the source of each file, and reads the heal folder the options name', async () => {
    write({ [`ops/heal/${CLI}.json`]: stableStringify(CLI_HEAL), [`dash/runs/${CLI}/last_run.json`]: stableStringify(lastRun(CLI, CLI_RUNS)) })
    const { lastRuns, heal } = await readScienceInputs(dir, { healDir: 'ops/heal/', productIds: PRODUCTS })
    expect(lastRuns.get(CLI)?.source).toBe(`dash/runs/${CLI}/last_run.json`)
    expect(lastRuns.get(CLI)?.intents.test?.exit_status).toBe('failed_test')
    expect(heal.get(CLI)?.source).toBe(`ops/heal/${CLI}.json`)
  })

  it('leaves out files of undeclared products, run folders without a last run, and dot files', async () => {
    write({
      ...dashFiles(),
      'dash/runs/retired/last_run.json': '{ broken',
      'dash/heal/retired.json': '{ broken',
      [`dash/runs/${DASH}/${DASH}.test.1/evidence.json`]: '{}',
      'dash/heal/.tmp-write.json': '{ broken',
      'dash/heal/README.md': '# heal state',
    })
    const { lastRuns, heal } = await read()
    expect([...lastRuns.keys()].sort()).toEqual([CLI, FLEET_OPS])
    expect([...heal.keys()]).toEqual([CLI])
  })

  it('names the file and line of broken JSON (exit 3)', async () => {
    write({ [`dash/runs/${CLI}/last_run.json`]: '{\n  "schema_version": 1,\n  "product_id": "x",\n  oops\n}\n' })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(error.exitCode).toBe(3)
    expect(error.file).toBe(`dash/runs/${CLI}/last_run.json`)
    expect(error.line).toBe(4)
    expect(error.message).toMatch(/not valid JSON/)
  })

  it('names the file and line of a heal state that breaks its schema', async () => {
    const state = { ...CLI_HEAL, intents: { ...CLI_HEAL.intents, test: { ...CLI_HEAL.intents.test, state: 'paused' } } }
    write({ [`dash/heal/${CLI}.json`]: `${JSON.stringify(state, null, 2)}\n` })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(error.exitCode).toBe(3)
    expect(error.file).toBe(`dash/heal/${CLI}.json`)
    expect(error.message).toMatch(/intents\.test\.state/)
    const text = readFileSync(join(dir, `dash/heal/${CLI}.json`), 'utf8')
    expect(text.split('\n')[error.line! - 1]).toContain('"state": "paused"')
  })

  it.each([
    ['a last run in the folder of another product', `dash/runs/${CLI}/last_run.json`, () => stableStringify(lastRun(FLEET_OPS, CLI_RUNS)), /folder of "codemonkeys-cli"/],
    ['a heal state named for another product', `dash/heal/${FLEET_OPS}.json`, () => stableStringify(CLI_HEAL), /named for "codemonkeys-fleet-ops"/],
  ])('refuses %s', async (_name, file, text, message) => {
    write({ [file]: text() })
    const error = await failure()
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(error.file).toBe(file)
    expect(error.message).toMatch(message)
  })
})
