// pack validate / list / status through the real CLI, and what a damaged run directory gets.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FIXTURE_PACK, type PackWorkspace, makePack, packWorkspace, runDirOf } from '../_test/harness.js'

let ws: PackWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

describe('pack validate', () => {
  it('exits 0 for a valid pack and prints the counts', async () => {
    ws = await packWorkspace({ steps: 20 })
    const result = await ws.oracle(['pack', 'validate', 'pack.md', '--strict'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('pack.md: valid (strict) — 20 steps, 1 bash block, 20 oracle invocations; 0 errors, 0 warnings\n')
  })

  it('exits 3 with every finding as JSON, the same bytes every time', async () => {
    ws = await packWorkspace({ steps: 20 })
    await ws.write('bad.md', makePack({ steps: 19 }).replace('category=invariants', 'category=astrology'))
    const first = await ws.oracle(['pack', 'validate', 'bad.md', '--strict', '--json'])
    const second = await ws.oracle(['pack', 'validate', 'bad.md', '--strict', '--json'])
    expect(first.code).toBe(3)
    expect(second.stdout).toBe(first.stdout)
    const report = JSON.parse(first.stdout)
    expect(report).toMatchObject({ pack: 'bad.md', mode: 'strict', valid: false, counts: { steps: 19, bash_blocks: 1, oracle_invocations: 19 } })
    expect(report.findings.map((f: any) => [f.code, f.severity, f.step ?? null])).toEqual([
      ['PACK_CATEGORY_UNKNOWN', 'error', '02'],
      ['PACK_STEP_COUNT', 'error', null],
    ])
    expect(report.findings[0]).toMatchObject({ line: expect.any(Number), message: expect.stringContaining('astrology'), hint: expect.any(String) })
  })

  it('in default mode accepts the real strategist pack with one warning; --strict refuses it', async () => {
    ws = await packWorkspace({ steps: 1 })
    const lenient = await ws.oracle(['pack', 'validate', FIXTURE_PACK, '--json'])
    expect(lenient.code).toBe(0)
    expect(JSON.parse(lenient.stdout).findings).toEqual([expect.objectContaining({ code: 'PACK_STRAY_ARGUMENT', severity: 'warning', step: '18', line: 343 })])
    const strict = await ws.oracle(['pack', 'validate', FIXTURE_PACK, '--strict'])
    expect(strict.code).toBe(3)
    expect(strict.stdout).toContain('PACK_ANSWER_FORMAT (line 336, step 18)')
  })

  it('a missing pack is ORACLE_PACK_NOT_FOUND (exit 2)', async () => {
    ws = await packWorkspace({ steps: 1 })
    const result = await ws.oracle(['pack', 'validate', 'missing.md'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ORACLE_PACK_NOT_FOUND')
  })
})

describe('pack list', () => {
  it('prints `NN: <header without ROI>` like oraclepack, and the parsed fields with --json', async () => {
    ws = await packWorkspace({ steps: 2 })
    const text = await ws.oracle(['pack', 'list', 'pack.md'])
    expect(text.stdout).toBe(
      '01: # 01)  impact=0.9 confidence=0.8 effort=0.2 horizon=Immediate category=contracts/interfaces reference=src/step-01.ts\n' +
        '02: # 02)  impact=0.9 confidence=0.8 effort=0.2 horizon=Immediate category=invariants reference=src/step-02.ts\n',
    )
    const json = JSON.parse((await ws.oracle(['pack', 'list', 'pack.md', '--json'])).stdout)
    expect(json.out_dir).toBe('docs/answers')
    expect(json.steps[1]).toMatchObject({ step_id: '02', roi: 4.9, fields: { category: 'invariants', ROI: '4.9' }, invocations: 1, write_output: 'docs/answers/02-invariants.md' })
  })
})

describe('pack status', () => {
  it('lists runs, shows one by id or unique prefix, and refuses an unknown one (exit 2)', async () => {
    ws = await packWorkspace({ steps: 3, script: { '02': ['fatal'] } })
    expect((await ws.oracle(['pack', 'status'])).stdout).toContain('No runs in .oraclepack/runs')
    await ws.oracle(['pack', 'run', 'pack.md'])
    const id = runDirOf(ws).split('/').pop() as string
    const list = await ws.oracle(['pack', 'status'])
    expect(list.stdout).toBe(`${id}  failed   2/3 ok, 1 failed, 0 pending  pack.md\n`)
    const one = await ws.oracle(['pack', 'status', id.slice(0, 12), '--json'])
    expect(one.code).toBe(0)
    expect(JSON.parse(one.stdout)).toMatchObject({ run: { pack_id: id, status: 'failed' }, counts: { steps: 3, ok: 2, failed: 1 } })
    await ws.write(`.oraclepack/runs/2026-01-01__nogit__00000000/run.json`, '{"broken": true}')
    const withDamaged = await ws.oracle(['pack', 'status'])
    expect(withDamaged.code).toBe(0)
    expect(withDamaged.stdout).toContain('2026-01-01__nogit__00000000  unreadable  ')
    expect(withDamaged.stdout).toContain(`${id}  failed`)
    const unknown = await ws.oracle(['pack', 'status', '1999-01-01'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('ORACLE_PACK_RUN_NOT_FOUND')
  })
})

describe('a damaged run directory', () => {
  it.each([
    ['not JSON', '{"steps": ['],
    ['a step without its fields', '{"schema_version":1,"pack_id":"x","steps":[{"step_id":"01"}]}'],
  ])('steps.json %s: ORACLE_PACK_MANIFEST_INVALID (exit 3), nothing changed', async (_, text) => {
    ws = await packWorkspace({ steps: 2 })
    await ws.oracle(['pack', 'run', 'pack.md'])
    const file = join(runDirOf(ws), 'steps.json')
    writeFileSync(file, text)
    const runBefore = readFileSync(join(runDirOf(ws), 'run.json'), 'utf8')
    const result = await ws.oracle(['pack', 'run', 'pack.md'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('ORACLE_PACK_MANIFEST_INVALID')
    expect(result.stderr).toContain('steps.json')
    expect(readFileSync(file, 'utf8')).toBe(text)
    expect(readFileSync(join(runDirOf(ws), 'run.json'), 'utf8')).toBe(runBefore)
  })
})
