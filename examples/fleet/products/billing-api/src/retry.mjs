// Retry policy for failed card charges: exponential backoff, capped, on retryable statuses only.

/** The delays before each retry, in ms: base, 2×base, 4×base, … capped at max_delay_ms. */
export function backoffDelays(policy) {
  const delays = []
  for (let retry = 0; retry < policy.max_attempts - 1; retry++) {
    delays.push(Math.min(policy.base_delay_ms * 2 ** retry, policy.max_delay_ms))
  }
  return delays
}

/** Whether a charge that failed with `status` on attempt `attempt` (1-based) is tried again. */
export function shouldRetry(status, attempt, policy) {
  return attempt < policy.max_attempts && policy.retry_on.includes(status)
}

/** The problems of a policy object; empty when it is valid. */
export function checkPolicy(policy) {
  const problems = []
  for (const key of ['max_attempts', 'base_delay_ms', 'max_delay_ms']) {
    if (!Number.isInteger(policy[key]) || policy[key] < 1) problems.push(`${key} must be a positive integer`)
  }
  if (policy.max_delay_ms < policy.base_delay_ms) problems.push('max_delay_ms must be at least base_delay_ms')
  if (!Array.isArray(policy.retry_on) || policy.retry_on.some((s) => !Number.isInteger(s) || s < 400 || s > 599)) {
    problems.push('retry_on must list HTTP statuses 400-599')
  }
  return problems
}
