import { describe, expect, it } from 'vitest'
import type { RunConfig } from '../config/schema.js'
import { backoffDelay, mayRetry, resolveBudget } from './budget.js'
import type { BudgetOverrides, RetryBudget } from './types.js'

const policy = { baseDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: false }

describe('backoffDelay', () => {
  it.each([
    // retry, overrides of the policy, random → delay
    { retry: 1, change: {}, random: 0.5, delay: 100 },
    { retry: 2, change: {}, random: 0.5, delay: 200 },
    { retry: 3, change: {}, random: 0.5, delay: 400 },
    { retry: 4, change: {}, random: 0.5, delay: 800 },
    { retry: 5, change: {}, random: 0.5, delay: 1_000 }, // capped at maxDelayMs
    { retry: 50, change: {}, random: 0.5, delay: 1_000 },
    { retry: 0, change: {}, random: 0.5, delay: 100 }, // never below the base
    { retry: 3, change: { factor: 1 }, random: 0.5, delay: 100 },
    { retry: 3, change: { factor: 3 }, random: 0.5, delay: 900 },
    { retry: 2, change: { baseDelayMs: 0 }, random: 0.5, delay: 0 },
    { retry: 2, change: { maxDelayMs: 150 }, random: 0.5, delay: 150 },
    { retry: 1, change: { factor: 1.5, baseDelayMs: 3 }, random: 0.5, delay: 3 },
    { retry: 2, change: { factor: 1.5, baseDelayMs: 3 }, random: 0.5, delay: 5 }, // 4.5 rounds up
    // full jitter: uniform in [0, capped delay]
    { retry: 1, change: { jitter: true }, random: 0, delay: 0 },
    { retry: 1, change: { jitter: true }, random: 0.5, delay: 50 },
    { retry: 3, change: { jitter: true }, random: 0.25, delay: 100 },
    { retry: 3, change: { jitter: true }, random: 0.999, delay: 400 },
    { retry: 9, change: { jitter: true }, random: 0.5, delay: 500 }, // jitter applies to the capped delay
  ])('retry $retry with $change and random $random → $delay ms', ({ retry, change, random, delay }) => {
    expect(backoffDelay(retry, { ...policy, ...change }, () => random)).toBe(delay)
  })

  it('ignores random when jitter is off', () => {
    let calls = 0
    expect(backoffDelay(2, policy, () => (calls++, 0))).toBe(200)
    expect(calls).toBe(0)
  })

  it('stays within [0, capped delay] with the default random source', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(4, { ...policy, jitter: true })
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(800)
    }
  })
})

describe('mayRetry', () => {
  it.each([
    // attempts made so far by the job, retries used by the whole run, budget → allowed
    { attempts: 1, used: 0, perJob: 2, max: 10, allowed: true },
    { attempts: 2, used: 1, perJob: 2, max: 10, allowed: true },
    { attempts: 3, used: 2, perJob: 2, max: 10, allowed: false }, // perJob 2 → at most 3 attempts
    { attempts: 1, used: 0, perJob: 0, max: 10, allowed: false },
    { attempts: 1, used: 9, perJob: 2, max: 10, allowed: true },
    { attempts: 1, used: 10, perJob: 2, max: 10, allowed: false }, // run-wide budget spent
    { attempts: 1, used: 0, perJob: 2, max: 0, allowed: false },
    { attempts: 2, used: 5, perJob: 5, max: 6, allowed: true },
    { attempts: 6, used: 5, perJob: 5, max: 100, allowed: false },
  ])('attempt $attempts, $used used, perJob $perJob, max $max → $allowed', ({ attempts, used, perJob, max, allowed }) => {
    expect(mayRetry(attempts, used, { perJob, max })).toBe(allowed)
  })
})

describe('resolveBudget', () => {
  const retries: RetryBudget = { max: 10, perJob: 2, baseDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: true }
  const defaults: RunConfig = {
    maxParallel: 2,
    maxJobs: 1_000,
    maxJobTimeMs: 600_000,
    maxRunTimeMs: 3_600_000,
    killGraceMs: 1_000,
    retries,
    killSwitchFile: '.oracle/kill-switch',
    stopOnFailureKinds: [],
    dir: '.oracle/runs',
  }
  const base = { maxParallel: 2, maxJobs: 1_000, maxJobTimeMs: 600_000, maxRunTimeMs: 3_600_000, killGraceMs: 1_000, retries }

  it.each<{ name: string; overrides: BudgetOverrides | undefined; expected: object }>([
    { name: 'no overrides → the config', overrides: undefined, expected: base },
    { name: 'empty overrides → the config', overrides: {}, expected: base },
    {
      name: 'top-level fields',
      overrides: { maxParallel: 4, maxJobs: 3, maxJobTimeMs: 50, maxRunTimeMs: 70, killGraceMs: 0 },
      expected: { ...base, maxParallel: 4, maxJobs: 3, maxJobTimeMs: 50, maxRunTimeMs: 70, killGraceMs: 0 },
    },
    { name: 'one retry field keeps the others', overrides: { retries: { perJob: 5 } }, expected: { ...base, retries: { ...retries, perJob: 5 } } },
    {
      name: 'falsy retry values still override',
      overrides: { retries: { max: 0, baseDelayMs: 0, jitter: false } },
      expected: { ...base, retries: { ...retries, max: 0, baseDelayMs: 0, jitter: false } },
    },
    { name: 'undefined fields do not override', overrides: { maxParallel: undefined, retries: { factor: undefined } }, expected: base },
    { name: 'a memory limit', overrides: { maxMemoryMb: 64 }, expected: { ...base, maxMemoryMb: 64 } },
  ])('$name', ({ overrides, expected }) => {
    expect(resolveBudget(defaults, overrides)).toEqual(expected)
  })

  it('takes the memory limit from the config unless overridden, and leaves it out when unset', () => {
    expect(resolveBudget({ ...defaults, maxMemoryMb: 128 }).maxMemoryMb).toBe(128)
    expect(resolveBudget({ ...defaults, maxMemoryMb: 128 }, { maxMemoryMb: 32 }).maxMemoryMb).toBe(32)
    expect('maxMemoryMb' in resolveBudget(defaults)).toBe(false)
  })

  it('does not share the retry object with the config', () => {
    const budget = resolveBudget(defaults, { retries: { max: 1 } })
    budget.retries.perJob = 99
    expect(defaults.retries.perJob).toBe(2)
  })
})
