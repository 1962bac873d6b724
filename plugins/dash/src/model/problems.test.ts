// Broken and missing artifacts become problems of their own panel, with the file and the line
// where there is one, and everything else is still read.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Copy, clock, copyExample, kernelView, sourceOf } from '../_test/workspace.js'
import { declaredProducts, resolvePaths } from '../paths.js'
import { buildModel } from './model.js'

let ws: Copy
beforeEach(async () => {
  ws = await copyExample()
})
afterEach(() => ws.cleanup())

const build = () => buildModel({ ...sourceOf(ws.dir), now: clock.now() })

describe('broken artifacts', () => {
  it('a broken health file is a problem of its product (file and line); the other products are read', async () => {
    await ws.write('dash/health/search-indexer.json', '{\n  "status": "unhealthy",\n  "detail": oops\n}\n')
    const { overview } = await build()
    const search = overview.products.find((p) => p.id === 'search-indexer')
    expect(search?.problems).toEqual([{ file: 'dash/health/search-indexer.json', line: 3, message: expect.stringContaining('not valid JSON'), kind: 'corrupt' }])
    expect(search?.health).toBeNull()
    expect(search?.last_run?.exit_status).toBe('ok')
    expect(overview.products.find((p) => p.id === 'billing-api')?.health?.status).toBe('healthy')
  })

  it('a kill switch file that cannot be read counts as on, as the planner counts it', async () => {
    await ws.write('dash/kill_switch/web-app.json', '{"enabled": tru')
    const web = (await build()).overview.products.find((p) => p.id === 'web-app')
    expect(web?.kill_switch).toMatchObject({ enabled: true, reason: expect.stringContaining('counts as on') })
    expect(web?.problems[0]?.file).toBe('dash/kill_switch/web-app.json')
  })

  it('a broken line of normalized.jsonl is named by its line; the other tasks are listed', async () => {
    const rel = '.oraclepack/runs/2026-11-21__ba6d1ca__27ad7c2d/actionizer/normalized.jsonl'
    const lines = (await ws.read(rel)).split('\n')
    lines[2] = '{"task_id": '
    await ws.write(rel, lines.join('\n'))
    const [run] = (await build()).packs.runs
    expect(run?.problems).toEqual([{ file: rel, line: 3, message: expect.stringContaining('not JSON'), kind: 'corrupt' }])
    expect(run?.actionizer?.tasks).toHaveLength(23)
    expect(run?.steps).toHaveLength(5)
  })

  it('broken YAML in the plan names its line; a bad event in the middle of a log too, a torn last line does not', async () => {
    await ws.write('orchestrator.yml', 'version: 1\ntasks:\n  - id: A\n    title: [unclosed\n')
    const log = (await ws.read('.codex/runs/20261122T053851Z.jsonl')).split('\n')
    log[4] = '{"ts": broken'
    await ws.write('.codex/runs/20261122T053851Z.jsonl', `${log.join('\n')}{"ts":"2026-11-22T05:39:00Z","type":"tas`)
    const { orchestrator } = await build()
    expect(orchestrator.plan).toBeNull()
    expect(orchestrator.problems).toEqual([
      { file: 'orchestrator.yml', line: expect.any(Number), message: expect.stringMatching(/^not YAML: /), kind: 'corrupt' },
      { file: '.codex/runs/20261122T053851Z.jsonl', line: 5, message: 'event line is not JSON', kind: 'corrupt' },
    ])
    expect(orchestrator.run?.status).toBe('failed')
  })

  it('wrong shapes are problems too, and the rest of the file is used', async () => {
    await ws.write('dash/science_index.json', JSON.stringify({ schema_version: 1, dossiers: [{ dossier_id: 'DOS-1', product_id: 'web-app', lane_status: 'proven', proofs: [] }, { title: 'no id' }] }))
    await ws.write('.devfactory/beast/state.json', '[]')
    await ws.write('.oraclepack/runs/2026-11-21__ba6d1ca__27ad7c2d/steps.json', '{"steps": "none"}')
    await ws.write('nexus/work_orders/web-app.test.e59f5610.json', '{"job_id": "other", "product_id": "web-app", "intent": "test"}')
    const model = await build()
    expect(model.science.dossiers.map((d) => d.dossier_id)).toEqual(['DOS-1'])
    expect(model.science.problems).toEqual([expect.objectContaining({ message: 'dossiers[1] has no dossier_id' })])
    expect(model.devfactory.problems).toEqual([expect.objectContaining({ file: '.devfactory/beast/state.json', message: 'not a JSON object' })])
    expect(model.packs.runs[0]?.problems).toEqual([expect.objectContaining({ message: 'not a steps file: "steps" is not a list' })])
    expect(model['work-orders'].problems).toEqual([expect.objectContaining({ message: expect.stringContaining('is not its file name') })])
    expect(model['work-orders'].orders).toHaveLength(4)
  })
})

describe('missing artifacts', () => {
  it('an empty workspace gives a notice in every view that says what writes its files', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dash-empty-'))
    try {
      const kernel = kernelView(empty, [])
      const model = await buildModel({ rootDir: empty, paths: resolvePaths(kernel, {}), declared: declaredProducts(kernel), now: clock.now() })
      for (const [view, data] of Object.entries(model)) {
        if (view === 'runs' || view === 'schedules') continue
        expect(data.problems.length, view).toBeGreaterThan(0)
        expect(data.problems.every((p) => p.kind === 'missing'), view).toBe(true)
      }
      expect(model.science.problems[0]?.message).toContain('oracle fleet science')
      expect(model.packs.problems[0]?.message).toContain('oracle pack run')
      expect(model['work-orders'].problems[0]?.message).toContain('oracle plan')
    } finally {
      await rm(empty, { recursive: true, force: true })
    }
  })

  it('products named only by artifacts are listed as not declared', async () => {
    await ws.write('dash/health/new-service.json', '{"status": "healthy"}')
    const { overview } = await build()
    expect(overview.products.find((p) => p.id === 'new-service')).toMatchObject({ declared: false, health: { status: 'healthy' } })
  })
})
