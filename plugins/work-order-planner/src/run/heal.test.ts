// Auto-heal's rules as tables: how many retries a job gets, and the state after it ends.

import { describe, expect, it } from 'vitest'
import { type HealPolicy, type HealState, nextHealState, rearmCommand, retriesFor } from './heal.js'

const POLICY: HealPolicy = { limit: 1, intents: ['validate', 'test'], delayMs: 0, stateDir: 'dash/heal' }
const stopped: HealState = { schema_version: 1, product_id: 'alpha', intents: { test: { state: 'stopped', attempts: 2, stopped_at: '2026-03-10T12:00:00.000Z', job_id: 'alpha.test.1', reason: 'exit 1' } } }
const armed: HealState = { schema_version: 1, product_id: 'alpha', intents: { test: { state: 'armed', attempts: 1, stopped_at: null, job_id: 'alpha.test.0', reason: null } } }

describe('retriesFor', () => {
  it.each([
    { name: 'no policy (fleet-ops not configured)', policy: undefined, state: undefined, intent: 'test', retries: 0 },
    { name: 'a healed intent, no state yet', policy: POLICY, state: undefined, intent: 'test', retries: 1 },
    { name: 'a healed intent, armed', policy: POLICY, state: armed, intent: 'test', retries: 1 },
    { name: 'a healed intent, stopped: no retry until re-armed', policy: POLICY, state: stopped, intent: 'test', retries: 0 },
    { name: 'stopped for test, validate still heals', policy: POLICY, state: stopped, intent: 'validate', retries: 1 },
    { name: 'an intent not healed', policy: POLICY, state: undefined, intent: 'regenerate_report', retries: 0 },
    { name: 'limit 0: off', policy: { ...POLICY, limit: 0 }, state: undefined, intent: 'test', retries: 0 },
    { name: 'limit 3', policy: { ...POLICY, limit: 3 }, state: armed, intent: 'test', retries: 3 },
  ])('$name → $retries', ({ policy, state, intent, retries }) => {
    expect(retriesFor(policy, state, intent)).toBe(retries)
  })
})

describe('nextHealState', () => {
  const at = '2026-03-11T08:00:00.000Z'
  it.each([
    { name: 'ok on the first attempt: armed', prev: undefined, outcome: { ok: true, attempts: 1, retries: 1 }, state: 'armed', attempts: 1 },
    { name: 'ok after a retry (healed): armed', prev: undefined, outcome: { ok: true, attempts: 2, retries: 1 }, state: 'armed', attempts: 2 },
    { name: 'failed after its retry: stopped', prev: armed, outcome: { ok: false, attempts: 2, retries: 1 }, state: 'stopped', attempts: 2 },
    { name: 'ok while stopped: armed again (the product recovered)', prev: stopped, outcome: { ok: true, attempts: 1, retries: 0 }, state: 'armed', attempts: 1 },
    { name: 'failed without retries (stopped, or not healed): unchanged', prev: stopped, outcome: { ok: false, attempts: 1, retries: 0 }, state: 'stopped', attempts: 2 },
  ])('$name', ({ prev, outcome, state, attempts }) => {
    const next = nextHealState(prev, 'alpha', 'test', { ...outcome, jobId: 'alpha.test.9', at, reason: outcome.ok ? null : 'exit 1' })
    expect(next.intents.test?.state).toBe(state)
    expect(next.intents.test?.attempts).toBe(attempts)
    if (state === 'stopped' && outcome.retries > 0) expect(next.intents.test).toMatchObject({ stopped_at: at, job_id: 'alpha.test.9', reason: 'exit 1' })
  })

  it('keeps the other intents as they were', () => {
    const prev: HealState = { ...stopped, intents: { ...stopped.intents, validate: { state: 'armed', attempts: 1, stopped_at: null, job_id: 'v', reason: null } } }
    expect(nextHealState(prev, 'alpha', 'test', { ok: true, attempts: 1, retries: 1, jobId: 'j', at, reason: null }).intents.validate).toEqual(prev.intents.validate)
  })

  it('says how to re-arm', () => {
    expect(rearmCommand('alpha', 'test')).toBe('oracle fleet heal rearm alpha --intent test')
  })
})
