// The fleet overview (one row per product) and the schedules view, both from the product facts.

import { compareCodeUnits } from '@oraclekit/kernel'
import type { ProductFacts } from './fleet.js'
import type { OverviewData, ProductRow, Problem, SchedulesData } from './types.js'

export function overviewOf(facts: readonly ProductFacts[], problems: Problem[]): OverviewData {
  const products = facts.map(productRow)
  return {
    counts: {
      products: products.length,
      unhealthy: products.filter((p) => p.health?.status === 'unhealthy').length,
      kill_switched: products.filter((p) => p.kill_switch?.enabled).length,
      failing: products.filter((p) => p.last_run && p.last_run.exit_status !== 'ok').length,
      drifting: products.filter((p) => p.drift && p.drift.verdict !== 'none').length,
      due: products.filter((p) => (p.schedule?.due.length ?? 0) > 0).length,
    },
    products,
    problems,
  }
}

function productRow(f: ProductFacts): ProductRow {
  let schedule: ProductRow['schedule'] = null
  if (f.schedule) {
    const due = f.schedule.entries.filter((e) => e.due && e.last !== null).map((e) => ({ intent: e.intent, since: e.last as string }))
    const upcoming = f.schedule.entries
      .filter((e) => e.next !== null)
      .map((e) => ({ intent: e.intent, at: e.next as string }))
      .sort((a, b) => compareCodeUnits(a.at, b.at) || compareCodeUnits(a.intent, b.intent))
    schedule = { timezone: f.schedule.timezone, due, next: upcoming[0] ?? null }
  }
  return {
    id: f.id,
    declared: f.declared,
    health: f.health,
    kill_switch: f.killSwitch,
    last_run: f.lastRun,
    schedule,
    drift: f.drift ? { verdict: f.drift.verdict, checked_at: f.drift.checked_at, drift: f.drift.drift, errors: f.drift.errors } : null,
    heal_stopped: f.heal.filter((h) => h.state === 'stopped').map((h) => h.intent),
    problems: f.problems,
  }
}

export function schedulesOf(facts: readonly ProductFacts[], problems: Problem[]): SchedulesData {
  return {
    products: facts
      .filter((f) => f.schedule || f.drift || f.heal.length > 0 || f.problems.length > 0)
      .map((f) => ({ id: f.id, schedule: f.schedule, drift: f.drift && { file: f.drift.file, checked_at: f.drift.checked_at, exit_code: f.drift.exit_code, items: f.drift.items }, heal: f.heal, problems: f.problems })),
    problems,
  }
}
