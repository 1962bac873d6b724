// The planner's order (priority, intent rank, product, job id) and its caps (the budget, then
// each product's cap), as tables.

import { describe, expect, it } from 'vitest'
import type { WorkOrder } from '../schema/artifacts.js'
import type { Candidate } from './candidates.js'
import { type Skipped, compareOrders, intentRank, selectOrders } from './select.js'

interface Key {
  product_id?: string
  intent?: string
  priority?: number
  job_id?: string
}

/** A work order that differs from the others only in its sort keys. */
function order({ product_id = 'alpha', intent = 'test', priority = 10, job_id }: Key = {}): WorkOrder {
  return {
    schema_version: 1,
    job_id: job_id ?? `${product_id}.${intent}.${String(priority).padStart(8, '0')}`,
    product_id,
    intent,
    inputs: { reasons: [], sources: [] },
    budget: { max_time_ms: 1000, max_attempts: 1 },
    stop_conditions: ['kill_switch'],
    priority,
    evidence_expectations: [],
  }
}

const candidate = (key: Key, cap = 10): Candidate => {
  const o = order(key)
  return { product_id: o.product_id, intent: o.intent, priority: o.priority, cap, order: o }
}
const ids = (orders: readonly WorkOrder[]) => orders.map((o) => o.job_id)
/** A skipped candidate has no job id (that is built only for planned ones): the test ids, rebuilt. */
const skippedId = (s: Skipped) => `${s.product_id}.${s.intent}.${String(s.priority).padStart(8, '0')}`

describe('compareOrders', () => {
  it.each([
    { name: 'higher priority first', a: { priority: 20 }, b: { priority: 10 } },
    { name: 'negative priorities: -1 before -2', a: { priority: -1 }, b: { priority: -2 } },
    { name: 'priority beats intent rank', a: { priority: 11, intent: 'gc_runs' }, b: { priority: 10, intent: 'validate' } },
    { name: 'priority beats product id', a: { priority: 11, product_id: 'zeta' }, b: { priority: 10, product_id: 'alpha' } },
    { name: 'validate before test', a: { intent: 'validate' }, b: { intent: 'test' } },
    { name: 'test before drift_check', a: { intent: 'test' }, b: { intent: 'drift_check' } },
    { name: 'drift_check before regenerate_report', a: { intent: 'drift_check' }, b: { intent: 'regenerate_report' } },
    { name: 'regenerate_report before gc_runs', a: { intent: 'regenerate_report' }, b: { intent: 'gc_runs' } },
    { name: 'validate before gc_runs', a: { intent: 'validate' }, b: { intent: 'gc_runs' } },
    { name: 'a known intent before an unknown one', a: { intent: 'gc_runs' }, b: { intent: 'audit' } },
    { name: 'unknown intents by name', a: { intent: 'audit' }, b: { intent: 'lint' } },
    { name: 'intent rank beats product id', a: { intent: 'validate', product_id: 'zeta' }, b: { intent: 'test', product_id: 'alpha' } },
    { name: 'product id in code-unit order', a: { product_id: 'alpha' }, b: { product_id: 'beta' } },
    { name: 'product id: upper case before lower case ("B" < "a")', a: { product_id: 'B' }, b: { product_id: 'a' } },
    { name: 'product id: "web-app" before "web.app" ("-" < ".")', a: { product_id: 'web-app' }, b: { product_id: 'web.app' } },
    { name: 'product id beats job id', a: { product_id: 'alpha', job_id: 'z' }, b: { product_id: 'beta', job_id: 'a' } },
    { name: 'job id in code-unit order', a: { job_id: 'alpha.test.0000000a' }, b: { job_id: 'alpha.test.0000000b' } },
    { name: 'job id: "item10" before "item9" (no natural sort)', a: { job_id: 'item10' }, b: { job_id: 'item9' } },
    { name: 'job id: "B" before "a"', a: { job_id: 'B' }, b: { job_id: 'a' } },
  ])('$name', ({ a, b }) => {
    expect(compareOrders(order(a), order(b))).toBeLessThan(0)
    expect(compareOrders(order(b), order(a))).toBeGreaterThan(0)
  })

  it('gives 0 only for equal keys', () => {
    expect(compareOrders(order({ job_id: 'x' }), order({ job_id: 'x' }))).toBe(0)
  })

  it('sorts a mixed list by every key in turn', () => {
    const orders = [
      order({ product_id: 'b', intent: 'test', priority: 5, job_id: 'b.test.1' }),
      order({ product_id: 'a', intent: 'audit', priority: 5, job_id: 'a.audit.1' }),
      order({ product_id: 'a', intent: 'test', priority: 5, job_id: 'a.test.2' }),
      order({ product_id: 'a', intent: 'gc_runs', priority: 5, job_id: 'a.gc_runs.1' }),
      order({ product_id: 'a', intent: 'test', priority: 5, job_id: 'a.test.10' }),
      order({ product_id: 'z', intent: 'regenerate_report', priority: 9, job_id: 'z.regenerate_report.1' }),
      order({ product_id: 'a', intent: 'validate', priority: 5, job_id: 'a.validate.1' }),
      order({ product_id: 'a', intent: 'drift_check', priority: 5, job_id: 'a.drift_check.1' }),
      order({ product_id: 'a', intent: 'archive', priority: 5, job_id: 'a.archive.1' }),
    ]
    expect(ids([...orders].sort((x, y) => compareOrders(x, y)))).toEqual([
      'z.regenerate_report.1',
      'a.validate.1',
      'a.test.10',
      'a.test.2',
      'b.test.1',
      'a.drift_check.1',
      'a.gc_runs.1',
      'a.archive.1',
      'a.audit.1',
    ])
  })

  describe('the ranks argument', () => {
    it.each([
      { name: 'a lower rank moves a known intent forward', ranks: { gc_runs: -1 }, a: 'gc_runs', b: 'validate' },
      { name: 'a rank places an unknown intent among the known ones', ranks: { audit: 1.5 }, a: 'audit', b: 'drift_check' },
      { name: 'a ranked unknown intent still follows a lower known one', ranks: { audit: 1.5 }, a: 'test', b: 'audit' },
      { name: 'a higher rank moves a known intent back', ranks: { validate: 9 }, a: 'gc_runs', b: 'validate' },
      { name: 'equal ranks fall back to the intent name', ranks: { test: 0 }, a: 'test', b: 'validate' },
      { name: 'unranked intents still go after ranked ones, whatever their name', ranks: { sweep: 50 }, a: 'sweep', b: 'audit' },
    ] as Array<{ name: string; ranks: Record<string, number>; a: string; b: string }>)('$name', ({ ranks, a, b }) => {
      expect(compareOrders(order({ intent: a }), order({ intent: b }), ranks)).toBeLessThan(0)
      expect(compareOrders(order({ intent: b }), order({ intent: a }), ranks)).toBeGreaterThan(0)
    })

    it.each([
      { intent: 'validate', ranks: {}, rank: 0 },
      { intent: 'test', ranks: {}, rank: 1 },
      { intent: 'drift_check', ranks: {}, rank: 2 },
      { intent: 'regenerate_report', ranks: {}, rank: 3 },
      { intent: 'gc_runs', ranks: {}, rank: 4 },
      { intent: 'audit', ranks: {}, rank: 100 },
      { intent: 'audit', ranks: { audit: 7 }, rank: 7 },
      { intent: 'test', ranks: { test: 0 }, rank: 0 },
    ] as Array<{ intent: string; ranks: Record<string, number>; rank: number }>)('intentRank($intent, $ranks) = $rank', ({ intent, ranks, rank }) => {
      expect(intentRank(intent, ranks)).toBe(rank)
    })
  })
})

describe('selectOrders: the budget', () => {
  // Best first: a.validate (50), b.validate (40), a.test (30), c.test (20), b.test (10).
  const pool = [
    candidate({ product_id: 'b', intent: 'test', priority: 10 }),
    candidate({ product_id: 'a', intent: 'validate', priority: 50 }),
    candidate({ product_id: 'c', intent: 'test', priority: 20 }),
    candidate({ product_id: 'b', intent: 'validate', priority: 40 }),
    candidate({ product_id: 'a', intent: 'test', priority: 30 }),
  ]
  const best = ['a.validate.00000050', 'b.validate.00000040', 'a.test.00000030', 'c.test.00000020', 'b.test.00000010']

  it.each([
    { budget: 0, selected: 0 },
    { budget: 1, selected: 1 },
    { budget: 3, selected: 3 },
    { budget: 5, selected: 5 },
    { budget: 6, selected: 5 },
    { budget: 100, selected: 5 },
  ])('budget $budget selects the best $selected of 5', ({ budget, selected }) => {
    const result = selectOrders(pool, budget)
    expect(ids(result.selected)).toEqual(best.slice(0, selected))
    expect(result.skipped.map(skippedId)).toEqual(best.slice(selected))
    expect(result.skipped.every((s) => s.reason === 'budget')).toBe(true)
  })

  it('records what it skipped with its key fields', () => {
    expect(selectOrders(pool, 4).skipped).toEqual([{ product_id: 'b', intent: 'test', priority: 10, reason: 'budget' }])
  })

  it('selects nothing from no candidates', () => {
    expect(selectOrders([], 3)).toEqual({ selected: [], skipped: [] })
  })

  it('does not reorder or change its input', () => {
    const copy = structuredClone(pool)
    selectOrders(pool, 2)
    expect(pool).toEqual(copy)
  })
})

describe('selectOrders: per-product caps', () => {
  // One product, three orders; the budget is not the limit.
  const three = (cap: number) => [
    candidate({ intent: 'regenerate_report', priority: 10 }, cap),
    candidate({ intent: 'validate', priority: 10 }, cap),
    candidate({ intent: 'test', priority: 10 }, cap),
  ]
  const best = ['alpha.validate.00000010', 'alpha.test.00000010', 'alpha.regenerate_report.00000010']

  it.each([
    { cap: 0, selected: 0 },
    { cap: 1, selected: 1 },
    { cap: 2, selected: 2 },
    { cap: 3, selected: 3 },
  ])('cap $cap gives the product its best $selected', ({ cap, selected }) => {
    const result = selectOrders(three(cap), 10)
    expect(ids(result.selected)).toEqual(best.slice(0, selected))
    expect(result.skipped.map((s) => [skippedId(s), s.reason])).toEqual(best.slice(selected).map((id) => [id, 'product_cap']))
  })

  it('counts each product against its own cap', () => {
    const result = selectOrders(
      [
        candidate({ product_id: 'a', intent: 'validate' }, 1),
        candidate({ product_id: 'a', intent: 'test' }, 1),
        candidate({ product_id: 'b', intent: 'validate' }, 2),
        candidate({ product_id: 'b', intent: 'test' }, 2),
        candidate({ product_id: 'c', intent: 'test' }, 0),
      ],
      10,
    )
    expect(ids(result.selected)).toEqual(['a.validate.00000010', 'b.validate.00000010', 'b.test.00000010'])
    expect(result.skipped.map((s) => [skippedId(s), s.reason])).toEqual([
      ['a.test.00000010', 'product_cap'],
      ['c.test.00000010', 'product_cap'],
    ])
  })
})

describe('selectOrders: budget and caps together', () => {
  // Sorted: a90 a80 a70 b60 b50 c40 c30. a's cap is 1, b's 2, c's 2.
  const pool = [
    candidate({ product_id: 'c', priority: 30 }, 2),
    candidate({ product_id: 'a', priority: 70 }, 1),
    candidate({ product_id: 'b', priority: 50 }, 2),
    candidate({ product_id: 'a', priority: 90 }, 1),
    candidate({ product_id: 'c', priority: 40 }, 2),
    candidate({ product_id: 'b', priority: 60 }, 2),
    candidate({ product_id: 'a', priority: 80 }, 1),
  ]

  it.each([
    {
      budget: 0,
      selected: [],
      skipped: [['a', 90, 'budget'], ['a', 80, 'budget'], ['a', 70, 'budget'], ['b', 60, 'budget'], ['b', 50, 'budget'], ['c', 40, 'budget'], ['c', 30, 'budget']],
    },
    {
      // the budget is checked first: a80 is over a's cap too, but the budget is what stops it
      budget: 1,
      selected: [['a', 90]],
      skipped: [['a', 80, 'budget'], ['a', 70, 'budget'], ['b', 60, 'budget'], ['b', 50, 'budget'], ['c', 40, 'budget'], ['c', 30, 'budget']],
    },
    {
      // a80 and a70 hit a's cap without using the budget: b60 and b50 take the two places left
      budget: 3,
      selected: [['a', 90], ['b', 60], ['b', 50]],
      skipped: [['a', 80, 'product_cap'], ['a', 70, 'product_cap'], ['c', 40, 'budget'], ['c', 30, 'budget']],
    },
    {
      budget: 4,
      selected: [['a', 90], ['b', 60], ['b', 50], ['c', 40]],
      skipped: [['a', 80, 'product_cap'], ['a', 70, 'product_cap'], ['c', 30, 'budget']],
    },
    {
      budget: 10,
      selected: [['a', 90], ['b', 60], ['b', 50], ['c', 40], ['c', 30]],
      skipped: [['a', 80, 'product_cap'], ['a', 70, 'product_cap']],
    },
  ])('budget $budget', ({ budget, selected, skipped }) => {
    const result = selectOrders(pool, budget)
    expect(result.selected.map((o) => [o.product_id, o.priority])).toEqual(selected)
    expect(result.skipped.map((s) => [s.product_id, s.priority, s.reason])).toEqual(skipped)
  })
})

describe('selectOrders: deterministic', () => {
  // Ties on priority, so intent, product and job id decide; caps and the budget both bite.
  const pool: Candidate[] = [
    candidate({ product_id: 'a', intent: 'test', priority: 20, job_id: 'a.test.2' }, 2),
    candidate({ product_id: 'a', intent: 'test', priority: 20, job_id: 'a.test.10' }, 2),
    candidate({ product_id: 'a', intent: 'validate', priority: 20, job_id: 'a.validate.1' }, 2),
    candidate({ product_id: 'b', intent: 'test', priority: 20, job_id: 'b.test.1' }, 1),
    candidate({ product_id: 'b', intent: 'gc_runs', priority: 20, job_id: 'b.gc_runs.1' }, 1),
    candidate({ product_id: 'c', intent: 'audit', priority: 20, job_id: 'c.audit.1' }, 2),
    candidate({ product_id: 'c', intent: 'validate', priority: 5, job_id: 'c.validate.1' }, 2),
  ]

  function* permutations<T>(items: readonly T[]): Generator<T[]> {
    if (items.length <= 1) {
      yield [...items]
      return
    }
    for (let i = 0; i < items.length; i++) {
      for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [items[i] as T, ...rest]
    }
  }

  it('gives the expected selection', () => {
    const result = selectOrders(pool, 4)
    expect(ids(result.selected)).toEqual(['a.validate.1', 'a.test.10', 'b.test.1', 'c.audit.1'])
    expect(result.skipped.map((s) => [s.product_id, s.intent, s.priority, s.reason])).toEqual([
      ['a', 'test', 20, 'product_cap'],
      ['b', 'gc_runs', 20, 'product_cap'],
      ['c', 'validate', 5, 'budget'],
    ])
  })

  it('gives the same selection for every order of the same candidates (all 5040)', () => {
    const expected = selectOrders(pool, 4)
    let count = 0
    for (const shuffled of permutations(pool)) {
      expect(selectOrders(shuffled, 4)).toEqual(expected)
      count++
    }
    expect(count).toBe(5040)
  })
})
