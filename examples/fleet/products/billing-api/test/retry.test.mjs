import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelays, checkPolicy, shouldRetry } from '../src/retry.mjs'

const policy = { max_attempts: 4, base_delay_ms: 200, max_delay_ms: 1000, retry_on: [429, 502, 503, 504] }

test('delays double per retry and stop at the cap', () => {
  assert.deepEqual(backoffDelays(policy), [200, 400, 800])
  assert.deepEqual(backoffDelays({ ...policy, max_attempts: 6 }), [200, 400, 800, 1000, 1000])
})

test('only retryable statuses are retried, and never past max_attempts', () => {
  assert.equal(shouldRetry(503, 1, policy), true)
  assert.equal(shouldRetry(402, 1, policy), false)
  assert.equal(shouldRetry(503, 4, policy), false)
})

test('an invalid policy is reported', () => {
  assert.deepEqual(checkPolicy(policy), [])
  assert.equal(checkPolicy({ ...policy, max_delay_ms: 100 }).length, 1)
})
