// From facts to candidates, with contexts built by hand: who is held, which intents, the priority
// arithmetic (base + product priority + each raise), the reasons and sources, and stable job ids.


import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import type { ProductConfig } from '../options.js'
import { type Health, WorkOrder } from '../schema/artifacts.js'
import { type PlanContext, candidatesFor } from './candidates.js'
import { ago, context, dossier, type Facts, intentsOf, only, pending, product, RECENT } from './_fixtures/context.js'

describe('candidatesFor: who gets candidates', () => {
  it('gives every product a candidate for each intent it has a command for, in config and intent order', () => {
    const { candidates, held } = candidatesFor(context([product('beta'), product('alpha')], { runs: { alpha: RECENT, beta: RECENT } }))
    expect(intentsOf(candidates)).toEqual(['beta.validate', 'beta.test', 'beta.regenerate_report', 'alpha.validate', 'alpha.test', 'alpha.regenerate_report'])
    expect(held).toEqual([])
  })

  it.each([
    { commands: {}, intents: [] },
    { commands: { validate: 'v' }, intents: ['validate'] },
    { commands: { test: 't' }, intents: ['test'] },
    { commands: { regenerate_report: ['r'] }, intents: ['regenerate_report'] },
    { commands: { regenerate_report: 'r', validate: 'v' }, intents: ['validate', 'regenerate_report'] },
    { commands: { test: 't', regenerate_report: 'r', validate: ['v'] }, intents: ['validate', 'test', 'regenerate_report'] },
  ])('commands $commands → $intents', ({ commands, intents }) => {
    const { candidates, held } = candidatesFor(context([product('alpha', { commands })]))
    expect(candidates.map((c) => c.order.intent)).toEqual(intents)
    expect(held).toEqual([])
  })

  it.each([
    { name: 'with a reason', kill: { enabled: true, reason: 'maintenance', set_by: 'ops' }, reason: 'kill switch on: maintenance' },
    { name: 'without a reason', kill: { enabled: true }, reason: 'kill switch on' },
  ])('a kill-switched product ($name) gets no candidates and a held entry naming the file', ({ kill, reason }) => {
    const { candidates, held } = candidatesFor(context([product('alpha'), product('beta')], { kill: { alpha: kill } }))
    expect(intentsOf(candidates)).toEqual(['beta.validate', 'beta.test', 'beta.regenerate_report'])
    expect(held).toEqual([{ product_id: 'alpha', intents: ['validate', 'test', 'regenerate_report'], reason, source: 'dash/kill_switch/alpha.json' }])
  })

  it('a kill switch that is off holds nothing', () => {
    const { candidates, held } = candidatesFor(context([product('alpha')], { kill: { alpha: { enabled: false, reason: 'was maintenance' } } }))
    expect(intentsOf(candidates)).toEqual(['alpha.validate', 'alpha.test', 'alpha.regenerate_report'])
    expect(held).toEqual([])
  })

  it('a kill switch holds only the intents the product has commands for', () => {
    const { candidates, held } = candidatesFor(context([product('alpha', { commands: { test: 'npm test' } })], { kill: { alpha: { enabled: true } } }))
    expect(candidates).toEqual([])
    expect(held).toEqual([{ product_id: 'alpha', intents: ['test'], reason: 'kill switch on', source: 'dash/kill_switch/alpha.json' }])
  })

  it('a kill switch wins over an unhealthy status: one held entry, no validate', () => {
    const { candidates, held } = candidatesFor(context([product('alpha')], { kill: { alpha: { enabled: true } }, health: { alpha: { status: 'unhealthy' } } }))
    expect(candidates).toEqual([])
    expect(held).toEqual([{ product_id: 'alpha', intents: ['validate', 'test', 'regenerate_report'], reason: 'kill switch on', source: 'dash/kill_switch/alpha.json' }])
  })

  it.each([
    {
      name: 'all commands',
      commands: undefined,
      health: { status: 'unhealthy', detail: 'db down' } as Health,
      intents: ['validate'],
      held: [{ product_id: 'alpha', intents: ['test', 'regenerate_report'], reason: 'unhealthy: db down; only validate runs', source: 'dash/health/alpha.json' }],
    },
    {
      name: 'no detail',
      commands: undefined,
      health: { status: 'unhealthy' } as Health,
      intents: ['validate'],
      held: [{ product_id: 'alpha', intents: ['test', 'regenerate_report'], reason: 'unhealthy; only validate runs', source: 'dash/health/alpha.json' }],
    },
    {
      name: 'no validate command',
      commands: { test: 't', regenerate_report: 'r' },
      health: { status: 'unhealthy', detail: 'db down' } as Health,
      intents: [],
      held: [{ product_id: 'alpha', intents: ['test', 'regenerate_report'], reason: 'unhealthy: db down; only validate runs', source: 'dash/health/alpha.json' }],
    },
    { name: 'only a validate command', commands: { validate: 'v' }, health: { status: 'unhealthy', detail: 'db down' } as Health, intents: ['validate'], held: [] },
    { name: 'unknown health holds nothing', commands: undefined, health: { status: 'unknown' } as Health, intents: ['validate', 'test', 'regenerate_report'], held: [] },
    { name: 'healthy holds nothing', commands: undefined, health: { status: 'healthy', exit_code: 0 } as Health, intents: ['validate', 'test', 'regenerate_report'], held: [] },
  ])('health: $name', ({ commands, health, intents, held }) => {
    const result = candidatesFor(context([product('alpha', commands ? { commands } : {})], { health: { alpha: health } }))
    expect(result.candidates.map((c) => c.order.intent)).toEqual(intents)
    expect(result.held).toEqual(held)
  })

  it.each([
    { maxWorkOrders: undefined, perProduct: 2, cap: 2 },
    { maxWorkOrders: undefined, perProduct: 0, cap: 0 },
    { maxWorkOrders: 0, perProduct: 2, cap: 0 },
    { maxWorkOrders: 5, perProduct: 2, cap: 5 },
  ])('cap: caps.maxWorkOrders $maxWorkOrders, perProduct $perProduct → $cap', ({ maxWorkOrders, perProduct, cap }) => {
    const caps = maxWorkOrders === undefined ? {} : { maxWorkOrders }
    const { candidates } = candidatesFor(context([product('alpha', { caps })], {}, { perProduct }))
    expect(candidates.map((c) => c.cap)).toEqual([cap, cap, cap])
  })
})

describe('candidatesFor: the order body', () => {
  it('carries the command as an argv, the product root, the budget and the schema version', () => {
    const [validate, test] = candidatesFor(context([product('alpha')], {}, { jobTimeMs: 90_000 })).candidates.map((c) => c.order)
    expect(validate).toMatchObject({
      schema_version: 1,
      product_id: 'alpha',
      intent: 'validate',
      inputs: { command: ['node', 'scripts/validate.mjs'], cwd: 'products/alpha' },
      budget: { max_time_ms: 90_000, max_attempts: 1 },
    })
    expect(test?.inputs.command).toEqual(['node', '--test', 'test/'])
  })

  it.each([
    { health: false, intent: 'validate', stop: ['kill_switch', 'test_failed', 'budget_exhausted', 'run_timeout'] },
    { health: false, intent: 'test', stop: ['kill_switch', 'test_failed', 'budget_exhausted', 'run_timeout'] },
    { health: false, intent: 'regenerate_report', stop: ['kill_switch', 'test_failed', 'budget_exhausted', 'run_timeout'] },
    { health: true, intent: 'validate', stop: ['kill_switch', 'test_failed', 'budget_exhausted', 'run_timeout'] },
    { health: true, intent: 'test', stop: ['kill_switch', 'health_check_failed', 'test_failed', 'budget_exhausted', 'run_timeout'] },
    { health: true, intent: 'regenerate_report', stop: ['kill_switch', 'health_check_failed', 'test_failed', 'budget_exhausted', 'run_timeout'] },
  ])('stop conditions: health check $health, $intent', ({ health, intent, stop }) => {
    const p = product('alpha', health ? { health: { command: 'node scripts/health.mjs', timeoutMs: 5000 } } : {})
    expect(only(context([p]), 'alpha', intent).stop_conditions).toEqual(stop)
  })

  it.each([
    { dashDir: 'dash', productId: 'alpha' },
    { dashDir: 'ops/dash', productId: 'web.app' },
  ])('evidence expectations under $dashDir/runs/$productId/<job_id>/', ({ dashDir, productId }) => {
    const { candidates } = candidatesFor(context([product(productId)], {}, { dashDir }))
    expect(candidates).toHaveLength(3)
    for (const { order } of candidates) {
      expect(order.evidence_expectations).toEqual([
        `${dashDir}/runs/${productId}/${order.job_id}/evidence.json`,
        `${dashDir}/runs/${productId}/${order.job_id}/stdout.log`,
        `${dashDir}/runs/${productId}/${order.job_id}/stderr.log`,
        `${dashDir}/runs/${productId}/last_run.json`,
      ])
    }
  })
})

describe('candidatesFor: sources', () => {
  it('lists each source once, in the order of the reasons', () => {
    const facts: Facts = {
      pending: [...pending(1), ...pending(1, 'alpha', 'docs/pm/specs/other.md')],
      dossiers: [dossier('DOS-1', 'approved', ['pending', 'pending', 'fail'])],
      roadmap: { alpha: 'next' },
    }
    const order = only(context([product('alpha')], facts), 'alpha', 'test')
    // never ran 25, failing 10, roadmap 10, pending proofs 8, pending requirements 8
    expect(order.priority).toBe(8 + 25 + 10 + 10 + 8 + 8)
    expect(order.inputs.reasons).toEqual([
      'no test run on record',
      '1 failing acceptance proof in DOS-1',
      'on the roadmap: next',
      '2 pending requirements (FR-001, FR-001)',
      '2 pending acceptance proofs in DOS-1',
    ])
    expect(order.inputs.sources).toEqual(['dash/runs/alpha/last_run.json', 'docs/pm/dossiers/DOS-1.md:1', 'docs/pm/ROADMAP.md:7', 'docs/pm/specs/alpha.md:12'])
  })

  it.each([
    { name: 'a routine order has none', facts: { runs: { alpha: RECENT } }, dashDir: 'dash', sources: [] },
    { name: 'never ran: the last_run.json it would be in', facts: {}, dashDir: 'ops/dash', sources: ['ops/dash/runs/alpha/last_run.json'] },
    { name: 'the health file for an unhealthy validate', facts: { runs: { alpha: RECENT }, health: { alpha: { status: 'unhealthy' } } }, dashDir: 'dash', sources: ['dash/health/alpha.json'] },
    {
      name: 'the last run (50 points) before the health file (40)',
      facts: { runs: { alpha: { ...RECENT, validate: { exit_status: 'error', finished_at: ago(3) } } }, health: { alpha: { status: 'unhealthy' } } },
      dashDir: 'dash',
      sources: ['dash/runs/alpha/last_run.json', 'dash/health/alpha.json'],
    },
  ] as Array<{ name: string; facts: Facts; dashDir: string; sources: string[] }>)('validate: $name', ({ facts, dashDir, sources }) => {
    expect(only(context([product('alpha')], facts, { dashDir }), 'alpha', 'validate').inputs.sources).toEqual(sources)
  })
})

describe('candidatesFor: job ids', () => {
  const base: Facts = { runs: { alpha: RECENT, beta: RECENT }, health: { alpha: { status: 'healthy' } } }
  const idsOf = (ctx: PlanContext) => Object.fromEntries(candidatesFor(ctx).candidates.map((c) => [`${c.order.product_id}.${c.order.intent}`, c.order.job_id]))
  const products = () => [product('alpha'), product('beta')]

  it('are <product>.<intent>.<8 hex>', () => {
    for (const id of Object.values(idsOf(context(products(), base)))) expect(id).toMatch(/^(alpha|beta)\.(validate|test|regenerate_report)\.[0-9a-f]{8}$/)
  })

  it('are the same for the same context, and for a context rebuilt from the same facts', () => {
    const ctx = context(products(), base)
    const first = idsOf(ctx)
    expect(idsOf(ctx)).toEqual(first)
    expect(idsOf(context(products(), structuredClone(base)))).toEqual(first)
    expect(new Set(Object.values(first)).size).toBe(6)
  })

  it.each([
    { name: 'validate failed', facts: { ...base, runs: { ...base.runs, alpha: { ...RECENT, validate: { exit_status: 'failed_validate', finished_at: ago(3) } } } }, changed: ['alpha.validate'] },
    { name: 'a pending requirement appears', facts: { ...base, pending: pending(1) }, changed: ['alpha.test'] },
    { name: 'a pending requirement of beta appears', facts: { ...base, pending: pending(1, 'beta') }, changed: ['beta.test'] },
    { name: 'alpha goes on the roadmap', facts: { ...base, roadmap: { alpha: 'now' } }, changed: ['alpha.validate', 'alpha.test', 'alpha.regenerate_report'] },
    { name: 'alpha turns unhealthy', facts: { ...base, health: { alpha: { status: 'unhealthy', detail: 'db down' } } }, changed: ['alpha.validate'] },
    { name: 'test ran after the report', facts: { ...base, runs: { ...base.runs, beta: { ...RECENT, test: { exit_status: 'ok', finished_at: ago(0.5) } } } }, changed: ['beta.regenerate_report'] },
    { name: 'nothing that counts (validate ran ok again, later)', facts: { ...base, runs: { ...base.runs, alpha: { ...RECENT, validate: { exit_status: 'ok', finished_at: ago(2.5) } } } }, changed: [] },
  ] as Array<{ name: string; facts: Facts; changed: string[] }>)('change when a fact changes: $name', ({ facts, changed }) => {
    const before = idsOf(context(products(), base))
    const after = idsOf(context(products(), facts))
    // alpha is unhealthy in one row: compare only the orders both contexts have
    const differs = Object.keys(before).filter((key) => key in after && after[key] !== before[key])
    expect(differs).toEqual(changed)
  })

  it.each([
    { name: 'the product priority', change: (p: ProductConfig): ProductConfig => ({ ...p, priority: 1 }), changed: ['alpha.validate', 'alpha.test', 'alpha.regenerate_report'] },
    { name: 'the test command', change: (p: ProductConfig): ProductConfig => ({ ...p, commands: { ...p.commands, test: 'npm test' } }), changed: ['alpha.test'] },
    { name: 'the root', change: (p: ProductConfig): ProductConfig => ({ ...p, root: 'apps/alpha' }), changed: ['alpha.validate', 'alpha.test', 'alpha.regenerate_report'] },
    { name: 'the env (not part of the order)', change: (p: ProductConfig): ProductConfig => ({ ...p, env: { CI: '0' } }), changed: [] },
  ])('change when the config changes: $name', ({ change, changed }) => {
    const before = idsOf(context(products(), base))
    const after = idsOf(context([change(product('alpha')), product('beta')], base))
    expect(Object.keys(before).filter((key) => after[key] !== before[key])).toEqual(changed)
  })

  it('change with the job time budget', () => {
    const before = idsOf(context(products(), base))
    const after = idsOf(context(products(), base, { jobTimeMs: 1000 }))
    expect(Object.keys(before).filter((key) => after[key] !== before[key])).toHaveLength(6)
  })
})

describe('candidatesFor: every order is a valid WorkOrder', () => {
  it('for a fleet with every kind of fact', () => {
    const products = [
      product('alpha', { health: { command: ['node', 'health.mjs'], timeoutMs: 60_000 }, priority: 100 }),
      product('web.app', { priority: -100, caps: { maxWorkOrders: 1 } }),
      product('b_2', { commands: { test: 'npm test' } }),
      product('down', { health: { command: 'true', timeoutMs: 100 } }),
      product('held', {}),
    ]
    const facts: Facts = {
      runs: {
        alpha: { ...RECENT, validate: { exit_status: 'timeout', finished_at: ago(50) } },
        'web.app': { regenerate_report: { exit_status: 'ok', finished_at: ago(100) }, test: { exit_status: 'retry_exhausted', finished_at: ago(1) } },
      },
      health: { down: { status: 'unhealthy', detail: 'exit 1' }, alpha: { status: 'healthy' } },
      kill: { held: { enabled: true, reason: 'freeze' } },
      pending: [...pending(7), ...pending(2, 'b_2')],
      dossiers: [dossier('DOS-1', 'approved', ['pending', 'fail', 'pass']), dossier('DOS-2', 'in_progress', ['fail'], 'web.app')],
      roadmap: { alpha: 'now', 'web.app': 'next', b_2: 'later' },
    }
    const { candidates, held } = candidatesFor(context(products, facts))
    expect(intentsOf(candidates)).toEqual(['alpha.validate', 'alpha.test', 'alpha.regenerate_report', 'web.app.validate', 'web.app.test', 'web.app.regenerate_report', 'b_2.test', 'down.validate'])
    expect(held.map((h) => h.product_id)).toEqual(['down', 'held'])
    for (const { order } of candidates) {
      const checked = checkValue(WorkOrder, order)
      expect(checked.problems).toEqual([])
      expect(checked.ok).toBe(true)
    }
  })
})
