// The ordering and the caps: priority (high first), then intent rank (validate, test,
// drift_check, regenerate_report, gc_runs), then product_id, then job_id, in code-unit order.
// Then the global cap (the budget) and each product's cap, taken greedily in that order.

import { compareCodeUnits } from '@oraclekit/kernel'
import { INTENT_RANK, type WorkOrder } from '../schema/artifacts.js'
import type { Candidate } from './candidates.js'

/** Intents no rank is known for go after the known ones, by name. */
const UNRANKED = 100

export function intentRank(intent: string, extra: Readonly<Record<string, number>> = {}): number {
  return extra[intent] ?? INTENT_RANK[intent] ?? UNRANKED
}

/** What the order is decided on: numbers first, strings only to break ties. */
interface Ranked {
  priority: number
  intent: string
  product_id: string
}

function compareRanked(a: Ranked, b: Ranked, ranks: Readonly<Record<string, number>>): number {
  return b.priority - a.priority || intentRank(a.intent, ranks) - intentRank(b.intent, ranks) || compareCodeUnits(a.intent, b.intent) || compareCodeUnits(a.product_id, b.product_id)
}

export function compareOrders(a: WorkOrder, b: WorkOrder, ranks: Readonly<Record<string, number>> = {}): number {
  return compareRanked(a, b, ranks) || compareCodeUnits(a.job_id, b.job_id)
}

/** A candidate that was not planned. No job id: it is a hash of the order, built only for planned ones. */
export interface Skipped {
  product_id: string
  intent: string
  priority: number
  reason: 'budget' | 'product_cap'
}

export interface Selection {
  selected: WorkOrder[]
  skipped: Skipped[]
}

/**
 * At most `budget` orders, at most each product's cap, best first. A plan's candidates are unique
 * per (product, intent), so the job id never decides between two of them; it only would for
 * orders from different plans.
 */
export function selectOrders(candidates: readonly Candidate[], budget: number, ranks: Readonly<Record<string, number>> = {}): Selection {
  const sorted = [...candidates].sort((a, b) => compareRanked(a, b, ranks) || compareCodeUnits(a.order.job_id, b.order.job_id))
  const perProduct = new Map<string, number>()
  const selected: WorkOrder[] = []
  const skipped: Skipped[] = []
  for (const candidate of sorted) {
    const { product_id, intent, priority, cap } = candidate
    const taken = perProduct.get(product_id) ?? 0
    const reason = selected.length >= budget ? 'budget' : taken >= cap ? 'product_cap' : undefined
    if (reason) {
      skipped.push({ product_id, intent, priority, reason })
      continue
    }
    perProduct.set(product_id, taken + 1)
    selected.push(candidate.order)
  }
  return { selected, skipped }
}
