// The model of examples/dash, view by view, at the example's clock.

import { describe, expect, it } from 'vitest'
import { EXAMPLE, EXAMPLE_NOW, clock, sourceOf } from '../_test/workspace.js'
import { buildModel, envelope } from './model.js'

const model = await buildModel({ ...sourceOf(EXAMPLE), now: clock.now() })

describe('the model of examples/dash', () => {
  it('lists the fleet with health, kill switch, last run, schedule, drift and heal', () => {
    const { counts, products } = model.overview
    expect(counts).toEqual({ products: 4, unhealthy: 1, kill_switched: 1, failing: 1, drifting: 1, due: 2 })
    const [billing, legacy, search, web] = products
    expect(products.map((p) => p.id)).toEqual(['billing-api', 'legacy-reports', 'search-indexer', 'web-app'])
    expect(billing?.drift).toMatchObject({ verdict: 'drift', drift: 1, errors: 0 })
    expect(billing?.schedule?.due).toEqual([{ intent: 'gc_runs', since: '2026-11-22T05:00:00.000Z' }])
    expect(billing?.schedule?.next).toEqual({ intent: 'gc_runs', at: '2026-11-22T11:00:00.000Z' })
    expect(legacy?.kill_switch).toMatchObject({ enabled: true, reason: 'frozen during the data migration' })
    expect(search?.health).toMatchObject({ status: 'unhealthy', detail: 'index shard 2 unreachable' })
    expect(web?.last_run).toMatchObject({ intent: 'test', exit_status: 'retry_exhausted' })
    expect(web?.heal_stopped).toEqual(['test'])
    expect(products.every((p) => p.declared && p.problems.length === 0)).toBe(true)
  })

  it('has the run history, newest first, including the runs only last_run.json remembers', () => {
    const { runs, total, problems } = model.runs
    expect(problems).toEqual([])
    expect(total).toBe(13)
    expect(runs[0]).toMatchObject({ run_id: 'billing-api.regenerate_report.5a35465b', exit_status: 'ok', evidence: 'dash/runs/billing-api/billing-api.regenerate_report.5a35465b/evidence.json' })
    expect(runs.find((r) => r.intent === 'drift_check')).toMatchObject({ exit_status: 'failed', reason: 'drift: 1 item(s)' })
    expect(runs.at(-1)).toMatchObject({ product_id: 'web-app', intent: 'validate', evidence: null })
    expect(runs.filter((r) => r.duration_ms !== null).length).toBe(12)
  })

  it('has the work orders with what became of them', () => {
    const orders = model['work-orders'].orders
    expect(orders.map((o) => [o.job_id, o.priority, o.state])).toEqual([
      ['web-app.test.e59f5610', 84, 'pending'],
      ['billing-api.test.afa17639', 54, 'pending'],
      ['search-indexer.validate.389c8bad', 50, 'pending'],
      ['billing-api.regenerate_report.5a35465b', 44, 'ok'],
    ])
    expect(orders[0]?.reasons[0]).toBe('last test ended retry_exhausted (2026-11-21T09:00:00.000Z)')
  })

  it('has the schedules, drift items and heal state per product', () => {
    const billing = model.schedules.products.find((p) => p.id === 'billing-api')
    expect(billing?.schedule?.entries.map((e) => [e.intent, e.due])).toEqual([
      ['validate', false],
      ['test', false],
      ['regenerate_report', false],
      ['gc_runs', true],
      ['drift_check', false],
    ])
    expect(billing?.drift?.items.map((i) => `${i.kind}:${i.key}=${i.status}`)).toEqual(['config:config/retry-policy.json=drift', 'env:PATH=ok', 'toolchain:node=ok'])
    expect(model.schedules.products.find((p) => p.id === 'web-app')?.heal).toEqual([expect.objectContaining({ intent: 'test', state: 'stopped', attempts: 2 })])
  })

  it('has the pack run, its steps and outputs, and the actionizer backlog', () => {
    const [run] = model.packs.runs
    expect(model.packs.runs).toHaveLength(1)
    expect(run).toMatchObject({ pack_id: '2026-11-21__ba6d1ca__27ad7c2d', status: 'failed', engine: 'replay', pack_path: 'packs/dash-review-pack.md', problems: [] })
    expect(run?.steps.map((s) => [s.step_id, s.status, s.output_bytes !== null])).toEqual([
      ['01', 'ok', true],
      ['02', 'ok', true],
      ['03', 'ok', true],
      ['04', 'ok', true],
      ['05', 'failed', false],
    ])
    expect(run?.actionizer?.counts).toEqual({ actionable: 21, conflict: 1, blocked: 2 })
    expect(run?.actionizer?.files).toEqual(['backlog.md', 'change-plan.md', 'normalized.jsonl'])
  })

  it('folds the orchestrator log into task states on the plan DAG', () => {
    const d = model.orchestrator
    expect(d.problems).toEqual([])
    expect(d.run).toMatchObject({ id: '20261122T053851Z', status: 'failed', events: 33 })
    expect(Object.fromEntries(d.dag.nodes.map((n) => [n.id, n.state]))).toEqual({
      'GEN-001': 'completed',
      'SUM-002': 'completed',
      'MAX-003': 'completed',
      'REPORT-004': 'completed',
      'DEPLOY-005': 'awaiting_approval',
      'LINT-006': 'failed',
      'DOCS-007': 'blocked',
    })
    expect(d.dag.nodes.find((n) => n.id === 'DEPLOY-005')?.gates).toEqual(['deploy'])
    expect(d.dag.edges).toContainEqual({ from: 'SUM-002', to: 'REPORT-004' })
    expect(d.awaiting).toEqual(['deploy'])
    expect(new Set(d.dag.nodes.map((n) => n.layer))).toEqual(new Set([0, 1, 2, 3]))
  })

  it('has the DevFactory workers, tasks and interventions with their stats', () => {
    const d = model.devfactory
    expect(d.problems).toEqual([])
    expect(d.workers.map((w) => [w.id, w.status])).toEqual([
      ['be-1', 'working'],
      ['be-2', 'stuck'],
      ['db-1', 'idle'],
      ['fe-1', 'oracle_takeover'],
      ['qa-1', 'waiting'],
    ])
    expect(d.interventions.map((i) => i.id)).toEqual(['int-5', 'int-4', 'int-3', 'int-2', 'int-1'])
    expect(d.stats).toMatchObject({ total: 5, takeover_rate: 0.2, by_outcome: { pending: 2, resolved: 1, escalated: 1, failed: 1 } })
    expect(d.stats.success_rate).toBeCloseTo(1 / 3)
    expect(d.tasks.find((t) => t.status === 'needs_human')?.escalation).toContain('unclear_requirements')
  })

  it('has one Science Lane dossier per lane status', () => {
    const s = model.science
    expect(s.problems).toEqual([])
    expect(Object.fromEntries(s.dossiers.map((d) => [d.lane_status, d.dossier_id]))).toEqual({
      proven: 'DOS-20261012-legacy-export',
      in_progress: 'DOS-20261101-billing-retries',
      failing: 'DOS-20261105-web-checkout',
      not_started: 'DOS-20261110-search-shards',
    })
    const failing = s.dossiers.find((d) => d.lane_status === 'failing')
    expect(failing?.proofs[0]).toMatchObject({ status: 'fail', run: { run_id: 'web-app.test.86d884e5', exit_status: 'retry_exhausted' } })
    expect(s.summary).toMatchObject({ dossiers: 4, pass: 3, pending: 5, fail: 1 })
  })

  it('is the same, byte for byte, when built again', async () => {
    const again = await buildModel({ ...sourceOf(EXAMPLE), now: clock.now() })
    expect(JSON.stringify(again)).toBe(JSON.stringify(model))
    expect(envelope(model, 'science', { version: 1, now: clock.now(), rootDir: EXAMPLE })).toMatchObject({ view: 'science', version: 1, now: EXAMPLE_NOW, workspace: 'dash' })
  })
})
