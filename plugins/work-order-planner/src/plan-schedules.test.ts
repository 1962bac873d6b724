// `oracle plan --from-schedules`: the jobs a source plugin says are due (fleet-ops' schedules),
// ranked, held and capped by the planner's own rules. Here the source is a stand-in plugin that
// offers fixed due jobs at the work-order-planner.sources extension point.

import { afterEach, describe, expect, it } from 'vitest'
import { cleanupFleets, fleet } from './_test/run-kit.js'
import { type FleetSpec, plan, step } from './_test/fleet.js'
import type { WorkOrder } from './schema/artifacts.js'

afterEach(cleanupFleets)

const due = [
  { product_id: 'a', intent: 'test', reason: 'scheduled weekly on monday at 07:00 UTC, due since 2026-11-16T07:00:00.000Z', source: 'dash/schedules/a.json', occurrence: '2026-11-16T07:00:00.000Z' },
  { product_id: 'b', intent: 'validate', reason: 'scheduled weekdays at 06:00 UTC, due since 2026-11-20T06:00:00.000Z', source: 'dash/schedules/b.json', occurrence: '2026-11-20T06:00:00.000Z' },
  { product_id: 'b', intent: 'regenerate_report', reason: 'scheduled monthly', source: 'dash/schedules/b.json', occurrence: '2026-11-01T00:00:00.000Z' },
  { product_id: 'c', intent: 'test', reason: 'scheduled daily', source: 'dash/schedules/c.json', occurrence: '2026-11-20T06:00:00.000Z' },
]
const source = `{ name: 'schedules-stand-in', extensions: { 'work-order-planner.sources': { name: 'schedules', due: async () => ${JSON.stringify(due)} } } }`
const spec = (plugins: string[]): FleetSpec => ({
  products: [
    { id: 'a', commands: { validate: step('print', 'ok'), test: step('print', 'ok') } },
    { id: 'b', commands: { validate: step('print', 'ok'), test: step('print', 'ok') } },
    { id: 'c', commands: { validate: step('print', 'ok'), test: step('print', 'ok') } },
  ],
  files: { 'dash/kill_switch/c.json': JSON.stringify({ enabled: true, reason: 'frozen' }) },
  plugins,
})

describe('oracle plan --from-schedules', () => {
  it('plans only what is due, with the schedule among its reasons and its occurrence in the order', async () => {
    const f = await fleet(spec([source]))
    const result = await plan(f.dir, ['--from-schedules', '--budget', '5', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const planned = JSON.parse(result.stdout) as { work_orders: WorkOrder[]; held: Array<{ product_id: string; intents: string[] }> }
    expect(planned.work_orders.map((o) => `${o.product_id}.${o.intent}`).sort()).toEqual(['a.test', 'b.validate'])
    const test = planned.work_orders.find((o) => o.product_id === 'a') as WorkOrder
    expect(test.inputs.reasons).toContain(due[0]!.reason)
    expect(test.inputs.scheduled).toBe('2026-11-16T07:00:00.000Z')
    expect(test.inputs.sources).toContain('dash/schedules/a.json')
    // b has no report command; c is kill-switched: both held, with the reason
    expect(planned.held.map((h) => `${h.product_id}:${h.intents.join(',')}`).sort()).toEqual(['b:regenerate_report', 'c:test'])
  })

  it('without a schedules source, is a usage error (exit 2) that says to add fleet-ops', async () => {
    const f = await fleet(spec([]))
    const result = await plan(f.dir, ['--from-schedules'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--from-schedules: no plugin offers schedules')
    expect(result.stderr).toContain('fleet-ops')
    expect(f.orders()).toEqual([])
  })
})
