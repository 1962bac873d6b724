import type { RunConfig } from '../config/schema.js'
import type { Budget, BudgetOverrides, RetryBudget } from './types.js'

/** The run's budget: the config's `run` defaults, overridden field by field by the request. */
export function resolveBudget(defaults: RunConfig, overrides: BudgetOverrides = {}): Budget {
  const { retries, ...rest } = overrides
  const budget: Budget = {
    maxParallel: rest.maxParallel ?? defaults.maxParallel,
    maxJobs: rest.maxJobs ?? defaults.maxJobs,
    maxJobTimeMs: rest.maxJobTimeMs ?? defaults.maxJobTimeMs,
    maxRunTimeMs: rest.maxRunTimeMs ?? defaults.maxRunTimeMs,
    killGraceMs: rest.killGraceMs ?? defaults.killGraceMs,
    retries: { ...defaults.retries, ...stripUndefined(retries ?? {}) } as RetryBudget,
  }
  const maxMemoryMb = rest.maxMemoryMb ?? defaults.maxMemoryMb
  if (maxMemoryMb !== undefined) budget.maxMemoryMb = maxMemoryMb
  return budget
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * Delay before retry number `retry` (1 for the first retry): exponential, capped, and with full
 * jitter (uniform in [0, delay]) unless jitter is off. `random` is injectable for tests.
 */
export function backoffDelay(retry: number, policy: Pick<RetryBudget, 'baseDelayMs' | 'maxDelayMs' | 'factor' | 'jitter'>, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1)
  const capped = Math.min(policy.maxDelayMs, exponential)
  return Math.round(policy.jitter ? random() * capped : capped)
}

/** Whether a transient failure may be retried, given the job's attempts and the run's retries so far. */
export function mayRetry(attempts: number, retriesUsed: number, policy: Pick<RetryBudget, 'max' | 'perJob'>): boolean {
  return attempts <= policy.perJob && retriesUsed < policy.max
}
