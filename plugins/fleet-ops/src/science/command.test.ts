// `oracle fleet science` through its handler, with a stand-in kernel: the dossiers come from a
// fake 'work-order-planner.pm-facts' extension, the Dash files from a temp folder.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type CommandContext, type OracleError, checkValue, stableStringify, toJsonSchemaDocument } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PM_FACTS_POINT, type PmFactsExtension, SCIENCE_SCHEMA_FILE, run } from '../commands/science.js'
import { FleetOpsOptions } from '../options.js'
import { CLI, DOSSIERS, FLEET_OPS, PRODUCTS, dashFiles } from './_fixtures/fleet.js'
import { ScienceIndex } from './schema.js'

let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-science-cmd-'))
  for (const [rel, text] of Object.entries(dashFiles())) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const PLANNER: PmFactsExtension = { read: async () => ({ dossiers: DOSSIERS }), productIds: PRODUCTS }

function context(options: Record<string, unknown> = {}, planner: PmFactsExtension | null = PLANNER): CommandContext {
  const pluginOptions = checkValue(FleetOpsOptions, options).value
  const kernel = { rootDir: dir, extensions: (point: string) => (point === PM_FACTS_POINT && planner ? [{ plugin: 'oracle:work-order-planner', value: planner }] : []) }
  return { args: {}, options: {}, pluginOptions, kernel } as unknown as CommandContext
}

const text = (rel: string) => readFileSync(join(dir, rel), 'utf8')

describe('oracle fleet science', () => {
  it('writes the index and its schema, then leaves both alone while nothing changes', async () => {
    const first = await run(context())
    expect(first.exitCode).toBe(0)
    expect(first.data).toMatchObject({ file: 'dash/science_index.json', written: true, schema_file: SCIENCE_SCHEMA_FILE, schema_written: true })
    const index = JSON.parse(text('dash/science_index.json')) as ScienceIndex
    expect(checkValue(ScienceIndex, index).ok).toBe(true)
    expect(text(SCIENCE_SCHEMA_FILE)).toBe(stableStringify(toJsonSchemaDocument(ScienceIndex)))
    expect(first.text).toContain('2 dossier(s), proofs: 2 pass, 4 pending, 1 fail')
    expect(first.text).toMatch(/ {2}failing {6}DOS-20251222-fleet-ops-schedules-and-science-lane {2}\(1\/5 pass, 3 pending, 1 fail\)/)
    expect(first.text).toContain(`heal stopped: ${CLI} test (oracle fleet heal rearm ${CLI} --intent test)`)
    expect(first.text).toContain('written: dash/science_index.json')

    const before = statSync(join(dir, 'dash/science_index.json')).mtimeMs
    const second = await run(context())
    expect(second.data).toMatchObject({ written: false, schema_written: false })
    expect(second.text).toContain('unchanged: dash/science_index.json')
    expect(statSync(join(dir, 'dash/science_index.json')).mtimeMs).toBe(before)
  })

  it('rewrites the index when a run changes, at the path the options name', async () => {
    await run(context({ scienceIndex: 'out/science.json' }))
    const rel = `dash/runs/${FLEET_OPS}/last_run.json`
    const lastRun = JSON.parse(text(rel)) as { intents: Record<string, { exit_status: string }> }
    lastRun.intents.gc_runs!.exit_status = 'ok'
    writeFileSync(join(dir, rel), stableStringify(lastRun))
    const result = await run(context({ scienceIndex: 'out/science.json' }))
    expect(result.data).toMatchObject({ file: 'out/science.json', written: true, schema_written: false })
    const index = JSON.parse(text('out/science.json')) as ScienceIndex
    expect(index.summary.proofs).toEqual({ pass: 2, pending: 5, fail: 0 })
  })

  it('needs the work-order-planner plugin for the dossiers (usage error, exit 2)', async () => {
    const error = (await run(context({}, null)).catch((e: unknown) => e)) as OracleError
    expect(error.code).toBe('ORACLE_USAGE')
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe('the Science Lane index needs the work-order-planner plugin (it reads the dossiers)')
  })

  it('writes nothing when a Dash file is broken', async () => {
    writeFileSync(join(dir, `dash/heal/${CLI}.json`), '{')
    const error = (await run(context()).catch((e: unknown) => e)) as OracleError
    expect(error.code).toBe('ORACLE_PLAN_ARTIFACT_INVALID')
    expect(() => statSync(join(dir, 'dash/science_index.json'))).toThrow()
  })
})
