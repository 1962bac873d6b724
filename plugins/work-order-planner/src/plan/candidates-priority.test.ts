// The planner's priority arithmetic, as tables: base points per intent, each signal's raise, the
// report's staleness and lag, measured from an injected clock.

import { describe, expect, it } from 'vitest'
import { EXIT_STATUSES, type ExitStatus } from '../schema/artifacts.js'
import { ago, context, dossier, type Facts, HOUR, NOW, only, pending, product, RECENT, type Runs, stale } from './_fixtures/context.js'

describe('candidatesFor: priority', () => {
  it.each([
    // base per intent
    { name: 'routine validate', intent: 'validate', facts: { runs: { alpha: RECENT } }, priority: 10, reasons: ['routine validate'] },
    { name: 'routine test', intent: 'test', facts: { runs: { alpha: RECENT } }, priority: 8, reasons: ['routine test'] },
    { name: 'routine regenerate_report', intent: 'regenerate_report', facts: { runs: { alpha: RECENT } }, priority: 4, reasons: ['routine regenerate_report'] },
    // never ran
    { name: 'validate never ran', intent: 'validate', facts: {}, priority: 40, reasons: ['no validate run on record'] },
    { name: 'test never ran', intent: 'test', facts: {}, priority: 33, reasons: ['no test run on record'] },
    { name: 'regenerate_report never ran', intent: 'regenerate_report', facts: {}, priority: 24, reasons: ['no regenerate_report run on record'] },
    {
      name: 'validate never ran, the others did',
      intent: 'validate',
      facts: { runs: { alpha: { test: RECENT.test!, regenerate_report: RECENT.regenerate_report! } } },
      priority: 40,
      reasons: ['no validate run on record'],
    },
    // last failed
    {
      name: 'last test failed',
      intent: 'test',
      facts: { runs: { alpha: { ...RECENT, test: { exit_status: 'failed_test', finished_at: ago(2) } } } },
      priority: 58,
      reasons: [`last test ended failed_test (${ago(2)})`],
    },
    {
      name: 'last report failed',
      intent: 'regenerate_report',
      facts: { runs: { alpha: { ...RECENT, regenerate_report: { exit_status: 'failed_report', finished_at: ago(1) } } } },
      priority: 54,
      reasons: [`last regenerate_report ended failed_report (${ago(1)})`],
    },
    // unhealthy validate
    { name: 'unhealthy validate', intent: 'validate', facts: { runs: { alpha: RECENT }, health: { alpha: { status: 'unhealthy', detail: 'db down' } } }, priority: 50, reasons: ['unhealthy: db down'] },
    {
      name: 'unhealthy validate that never ran',
      intent: 'validate',
      facts: { health: { alpha: { status: 'unhealthy' } } },
      priority: 80,
      reasons: ['unhealthy', 'no validate run on record'],
    },
    { name: 'unknown health adds nothing', intent: 'validate', facts: { runs: { alpha: RECENT }, health: { alpha: { status: 'unknown' } } }, priority: 10, reasons: ['routine validate'] },
    // pending requirements: 4 each, at most 20, test only, own product only
    { name: '1 pending requirement', intent: 'test', facts: { runs: { alpha: RECENT }, pending: pending(1) }, priority: 12, reasons: ['1 pending requirement (FR-001)'] },
    { name: '2 pending requirements', intent: 'test', facts: { runs: { alpha: RECENT }, pending: pending(2) }, priority: 16, reasons: ['2 pending requirements (FR-001, FR-002)'] },
    { name: '5 pending requirements', intent: 'test', facts: { runs: { alpha: RECENT }, pending: pending(5) }, priority: 28, reasons: ['5 pending requirements (FR-001, FR-002, FR-003, FR-004, FR-005)'] },
    {
      name: '6 pending requirements are capped at 20',
      intent: 'test',
      facts: { runs: { alpha: RECENT }, pending: pending(6) },
      priority: 28,
      reasons: ['6 pending requirements (FR-001, FR-002, FR-003, FR-004, FR-005, FR-006)'],
    },
    { name: "another product's pending requirements", intent: 'test', facts: { runs: { alpha: RECENT }, pending: pending(3, 'beta') }, priority: 8, reasons: ['routine test'] },
    { name: 'pending requirements do not raise validate', intent: 'validate', facts: { runs: { alpha: RECENT }, pending: pending(3) }, priority: 10, reasons: ['routine validate'] },
    // pending acceptance proofs: 4 each, at most 20, active dossiers only
    { name: '1 pending proof (approved)', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['pending'])] }, priority: 12, reasons: ['1 pending acceptance proof in DOS-1'] },
    {
      name: '2 pending proofs (in_progress), a passed one ignored',
      intent: 'test',
      facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'in_progress', ['pending', 'pass', 'pending'])] },
      priority: 16,
      reasons: ['2 pending acceptance proofs in DOS-1'],
    },
    {
      name: '6 pending proofs in two dossiers are capped at 20',
      intent: 'test',
      facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['pending', 'pending', 'pending']), dossier('DOS-2', 'in_progress', ['pending', 'pending', 'pending'])] },
      priority: 28,
      reasons: ['6 pending acceptance proofs in DOS-1, DOS-2'],
    },
    { name: 'pending proofs of a draft dossier', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'draft', ['pending', 'pending'])] }, priority: 8, reasons: ['routine test'] },
    { name: 'pending proofs of a done dossier', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'done', ['pending'])] }, priority: 8, reasons: ['routine test'] },
    { name: "another product's pending proofs", intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['pending'], 'beta')] }, priority: 8, reasons: ['routine test'] },
    // failing acceptance proofs: 10 each, at most 20, active dossiers only
    { name: '1 failing proof', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['fail'])] }, priority: 18, reasons: ['1 failing acceptance proof in DOS-1'] },
    { name: '2 failing proofs', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['fail', 'fail'])] }, priority: 28, reasons: ['2 failing acceptance proofs in DOS-1'] },
    { name: '3 failing proofs are capped at 20', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['fail', 'fail', 'fail'])] }, priority: 28, reasons: ['3 failing acceptance proofs in DOS-1'] },
    {
      name: 'a failing and a pending proof',
      intent: 'test',
      facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['pending', 'fail'])] },
      priority: 22,
      reasons: ['1 failing acceptance proof in DOS-1', '1 pending acceptance proof in DOS-1'],
    },
    { name: 'failing proofs of a draft dossier', intent: 'test', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'draft', ['fail'])] }, priority: 8, reasons: ['routine test'] },
    { name: 'proofs do not raise validate', intent: 'validate', facts: { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', 'approved', ['fail', 'pending'])] }, priority: 10, reasons: ['routine validate'] },
    // roadmap
    { name: 'roadmap now, validate', intent: 'validate', facts: { runs: { alpha: RECENT }, roadmap: { alpha: 'now' } }, priority: 30, reasons: ['on the roadmap: now'] },
    { name: 'roadmap now, test', intent: 'test', facts: { runs: { alpha: RECENT }, roadmap: { alpha: 'now' } }, priority: 28, reasons: ['on the roadmap: now'] },
    { name: 'roadmap now, report', intent: 'regenerate_report', facts: { runs: { alpha: RECENT }, roadmap: { alpha: 'now' } }, priority: 24, reasons: ['on the roadmap: now'] },
    { name: 'roadmap next', intent: 'validate', facts: { runs: { alpha: RECENT }, roadmap: { alpha: 'next' } }, priority: 20, reasons: ['on the roadmap: next'] },
    { name: 'roadmap later adds nothing', intent: 'validate', facts: { runs: { alpha: RECENT }, roadmap: { alpha: 'later' } }, priority: 10, reasons: ['routine validate'] },
    { name: "another product's roadmap", intent: 'validate', facts: { runs: { alpha: RECENT }, roadmap: { beta: 'now' } }, priority: 10, reasons: ['routine validate'] },
    // several at once: reasons by points, ties in the order the rules are written
    {
      name: 'never ran 25, pending 20, roadmap 20, failing 10',
      intent: 'test',
      facts: { pending: pending(5), dossiers: [dossier('DOS-1', 'approved', ['fail'])], roadmap: { alpha: 'now' } },
      priority: 83,
      reasons: ['no test run on record', '5 pending requirements (FR-001, FR-002, FR-003, FR-004, FR-005)', 'on the roadmap: now', '1 failing acceptance proof in DOS-1'],
    },
    {
      name: 'failed 50, unhealthy 40, roadmap next 10',
      intent: 'validate',
      facts: { runs: { alpha: { ...RECENT, validate: { exit_status: 'failed_validate', finished_at: ago(3) } } }, health: { alpha: { status: 'unhealthy', detail: 'db down' } }, roadmap: { alpha: 'next' } },
      priority: 110,
      reasons: [`last validate ended failed_validate (${ago(3)})`, 'unhealthy: db down', 'on the roadmap: next'],
    },
  ] as Array<{ name: string; intent: string; facts: Facts; priority: number; reasons: string[] }>)('$name → $priority', ({ intent, facts, priority, reasons }) => {
    const order = only(context([product('alpha')], facts), 'alpha', intent)
    expect(order.priority).toBe(priority)
    expect(order.inputs.reasons).toEqual(reasons)
  })

  it.each(EXIT_STATUSES.map((status) => ({ status, points: status === 'ok' ? 0 : 50 })))(
    'last validate ended $status → +$points',
    ({ status, points }) => {
      const order = only(context([product('alpha')], { runs: { alpha: { ...RECENT, validate: { exit_status: status, finished_at: ago(3) } } } }), 'alpha', 'validate')
      expect(order.priority).toBe(10 + points)
      expect(order.inputs.reasons).toEqual(points > 0 ? [`last validate ended ${status} (${ago(3)})`] : ['routine validate'])
    },
  )

  it.each([
    { status: 'approved', active: true },
    { status: 'in_progress', active: true },
    { status: 'in-progress', active: true },
    { status: 'active', active: true },
    { status: 'accepted', active: true },
    { status: 'draft', active: false },
    { status: 'proposed', active: false },
    { status: 'done', active: false },
    { status: 'rejected', active: false },
  ])('a dossier with status $status counts its proofs: $active', ({ status, active }) => {
    const order = only(context([product('alpha')], { runs: { alpha: RECENT }, dossiers: [dossier('DOS-1', status, ['pending', 'fail'])] }), 'alpha', 'test')
    expect(order.priority).toBe(active ? 8 + 4 + 10 : 8)
  })

  it.each([
    { productPriority: 7, intent: 'validate', facts: { runs: { alpha: RECENT } }, priority: 17 },
    { productPriority: -5, intent: 'validate', facts: { runs: { alpha: RECENT } }, priority: 5 },
    { productPriority: 100, intent: 'regenerate_report', facts: { runs: { alpha: RECENT } }, priority: 104 },
    { productPriority: -100, intent: 'validate', facts: {}, priority: -60 },
    { productPriority: 3, intent: 'test', facts: { pending: pending(1) }, priority: 40 },
  ] as Array<{ productPriority: number; intent: string; facts: Facts; priority: number }>)(
    'product priority $productPriority, $intent → $priority',
    ({ productPriority, intent, facts, priority }) => {
      expect(only(context([product('alpha', { priority: productPriority })], facts), 'alpha', intent).priority).toBe(priority)
    },
  )
})

describe('candidatesFor: report staleness and lag', () => {
  /** The report finished `hours` ago; validate and test before it, so it is not behind. */
  const reportAt = (hours: number): Runs => ({
    validate: { exit_status: 'ok', finished_at: ago(hours + 2) },
    test: { exit_status: 'ok', finished_at: ago(hours + 1) },
    regenerate_report: { exit_status: 'ok', finished_at: ago(hours) },
  })

  it.each([
    { hours: 1, max: 24, priority: 4, reasons: ['routine regenerate_report'] },
    { hours: 24, max: 24, priority: 4, reasons: ['routine regenerate_report'] },
    { hours: 24.01, max: 24, priority: 19, reasons: [stale(24.01, 24)] },
    { hours: 25, max: 24, priority: 19, reasons: [stale(25, 24)] },
    { hours: 25.9, max: 24, priority: 19, reasons: [stale(25.9, 24)] },
    { hours: 2, max: 1, priority: 19, reasons: [stale(2, 1)] },
    { hours: 1, max: 0.5, priority: 19, reasons: [stale(1, 0.5)] },
    { hours: 0.1, max: 0, priority: 19, reasons: [stale(0.1, 0)] },
    { hours: 47, max: 48, priority: 4, reasons: ['routine regenerate_report'] },
  ])('report $hours h old, limit $max h → $priority', ({ hours, max, priority, reasons }) => {
    const order = only(context([product('alpha')], { runs: { alpha: reportAt(hours) } }, { reportMaxAgeHours: max }), 'alpha', 'regenerate_report')
    expect(order.priority).toBe(priority)
    expect(order.inputs.reasons).toEqual(reasons)
  })

  it('measures the age from the injected clock', () => {
    const runs = reportAt(1)
    expect(only(context([product('alpha')], { runs: { alpha: runs } }), 'alpha', 'regenerate_report').priority).toBe(4)
    expect(only(context([product('alpha')], { runs: { alpha: runs } }, { now: NOW + 30 * HOUR }), 'alpha', 'regenerate_report').inputs.reasons).toEqual([stale(1, 24)])
  })

  it.each([
    { name: 'test ran since', runs: { validate: ago(3), regenerate_report: ago(2), test: ago(1) }, priority: 14, reasons: ['test ran since the last report'] },
    { name: 'test and validate ran since, by name', runs: { regenerate_report: ago(3), validate: ago(1), test: ago(2) }, priority: 14, reasons: ['test, validate ran since the last report'] },
    { name: 'an intent the config has no command for counts', runs: { validate: ago(4), test: ago(3), regenerate_report: ago(2), gc_runs: ago(1) }, priority: 14, reasons: ['gc_runs ran since the last report'] },
    { name: 'the same instant is not since', runs: { validate: ago(3), test: ago(1), regenerate_report: ago(1) }, priority: 4, reasons: ['routine regenerate_report'] },
    { name: 'never ran: no staleness, no lag', runs: { validate: ago(3), test: ago(1) }, priority: 24, reasons: ['no regenerate_report run on record'] },
    {
      name: 'stale 15 and behind 10',
      runs: { validate: ago(40), regenerate_report: ago(30), test: ago(1) },
      priority: 29,
      reasons: [stale(30, 24), 'test ran since the last report'],
    },
  ])('$name → $priority', ({ runs, priority, reasons }) => {
    const asRuns: Runs = Object.fromEntries(Object.entries(runs).map(([intent, finished_at]) => [intent, { exit_status: 'ok' as ExitStatus, finished_at }]))
    const order = only(context([product('alpha')], { runs: { alpha: asRuns } }), 'alpha', 'regenerate_report')
    expect(order.priority).toBe(priority)
    expect(order.inputs.reasons).toEqual(reasons)
    expect(order.inputs.sources).toEqual(reasons[0]!.startsWith('routine') ? [] : ['dash/runs/alpha/last_run.json'])
  })

  // The schema takes any RFC 3339 date-time (last_run.json may be written by another tool or by
  // hand): "since" must compare instants, not strings.
  it.each([
    {
      name: 'an offset report before a UTC test (11:30Z vs 11:45Z)',
      runs: { validate: '2026-03-10T09:00:00.000Z', regenerate_report: '2026-03-10T13:30:00+02:00', test: '2026-03-10T11:45:00.000Z' },
      priority: 14,
      reasons: ['test ran since the last report'],
    },
    {
      name: 'an offset validate before a UTC report (11:40Z vs 11:50Z)',
      runs: { test: '2026-03-10T09:00:00.000Z', validate: '2026-03-10T13:40:00+02:00', regenerate_report: '2026-03-10T11:50:00.000Z' },
      priority: 4,
      reasons: ['routine regenerate_report'],
    },
    {
      name: 'a report without fraction before a test 0.5 s later',
      runs: { validate: '2026-03-10T09:00:00.000Z', regenerate_report: '2026-03-10T11:00:00Z', test: '2026-03-10T11:00:00.500Z' },
      priority: 14,
      reasons: ['test ran since the last report'],
    },
  ])('compares instants, not strings: $name', ({ runs, priority, reasons }) => {
    const asRuns: Runs = Object.fromEntries(Object.entries(runs).map(([intent, finished_at]) => [intent, { exit_status: 'ok' as ExitStatus, finished_at }]))
    const order = only(context([product('alpha')], { runs: { alpha: asRuns } }), 'alpha', 'regenerate_report')
    expect(order.inputs.reasons).toEqual(reasons)
    expect(order.priority).toBe(priority)
  })
})
