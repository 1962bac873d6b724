// Bounded auto-heal through `oracle run`: a failed validate or test is retried (the policy comes
// from another plugin at the work-order-planner.heal extension point), then healing stops for that
// product and intent, recorded in the evidence and in dash/heal/<product>.json with how to re-arm.

import { afterEach, describe, expect, it } from 'vitest'
import { byStatus, cleanupFleets, evidenceDir, planned, runJson } from './_test/run-kit.js'
import { type FleetSpec, step } from './_test/fleet.js'

afterEach(cleanupFleets)

const healPlugin = (limit: number) => `{ name: 'heal-policy', extensions: { 'work-order-planner.heal': { limit: ${limit}, intents: ['validate', 'test'], delayMs: 10, stateDir: 'dash/heal' } } }`
const fleetWith = (test: string[], plugins: string[]): FleetSpec => ({ products: [{ id: 'p', commands: { test } }], plugins })

describe('auto-heal', () => {
  it('retries a failed test once; the retry passes: ok on attempt 2, the first attempt kept, healing armed', async () => {
    const { f, orders } = await planned(fleetWith(step('failonce', 'state/failed-once', 'print', 'tests pass'), [healPlugin(1)]))
    const result = await runJson(f)
    expect(result.code).toBe(0)
    expect(byStatus(result.data.jobs, 'ok')).toEqual(['p.test'])
    const dir = evidenceDir(orders[0]!)
    expect(f.json(`${dir}/evidence.json`)).toMatchObject({ exit_status: 'ok', attempt: 2, reason: null })
    expect(f.json(`${dir}/attempts/1.json`)).toMatchObject({ exit_status: 'failed_test', attempt: 1, exit_code: 1 })
    expect(f.json('dash/heal/p.json')).toMatchObject({ product_id: 'p', intents: { test: { state: 'armed', attempts: 2 } } })
  })

  it('stops healing after its retry fails too: retry_exhausted, how to re-arm, the run stopped by the failed test', async () => {
    const { f, orders } = await planned(fleetWith(step('eprint', 'still broken', 'exit', 1), [healPlugin(1)]))
    const result = await runJson(f)
    expect(result.code).toBe(4)
    expect(result.data.stop_reason?.kind).toBe('test_failed')
    const evidence = f.json(`${evidenceDir(orders[0]!)}/evidence.json`)
    expect(evidence).toMatchObject({ exit_status: 'retry_exhausted', attempt: 2 })
    expect(evidence.reason).toContain('auto-heal stopped: re-arm with `oracle fleet heal rearm p --intent test`')
    expect(f.json('dash/heal/p.json').intents.test).toMatchObject({ state: 'stopped', attempts: 2, job_id: orders[0]!.job_id })
  })

  it('does not retry while healing is stopped for the product and intent', async () => {
    const stopped = { schema_version: 1, product_id: 'p', intents: { test: { state: 'stopped', attempts: 2, stopped_at: '2026-11-20T00:00:00.000Z', job_id: 'x', reason: 'exit 1' } } }
    const spec = { ...fleetWith(step('failonce', 'state/failed-once', 'print', 'tests pass'), [healPlugin(1)]), files: { 'dash/heal/p.json': JSON.stringify(stopped) } }
    const { f, orders } = await planned(spec)
    const result = await runJson(f)
    expect(result.code).toBe(4)
    expect(f.json(`${evidenceDir(orders[0]!)}/evidence.json`)).toMatchObject({ exit_status: 'failed_test', attempt: 1 })
  })

  it('retries nothing without a heal policy (fleet-ops not configured)', async () => {
    const { f, orders } = await planned(fleetWith(step('failonce', 'state/failed-once', 'print', 'tests pass'), []))
    const result = await runJson(f)
    expect(result.code).toBe(4)
    expect(f.json(`${evidenceDir(orders[0]!)}/evidence.json`)).toMatchObject({ exit_status: 'failed_test', attempt: 1 })
    expect(f.exists('dash/heal')).toBe(false)
  })
})
