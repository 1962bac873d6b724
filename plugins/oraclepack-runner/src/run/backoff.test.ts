// The retry schedule of a pack run: the kernel's exponential backoff with full jitter, under the
// run's retry budget (config `run.retries`), on top of the OpenAI SDK's own 3 attempts inside oracle.
import { ConfigSchema, backoffDelay, checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'

const defaults = (checkValue(ConfigSchema, {}).value as { run: { retries: { baseDelayMs: number; maxDelayMs: number; factor: number; jitter: boolean } } }).run.retries

describe('backoff schedule with the default run.retries', () => {
  it('uses base 500 ms, factor 2, cap 30 s, full jitter', () => {
    expect(defaults).toMatchObject({ baseDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: true })
  })

  it.each([
    // retry, random draw, delay (ms)
    [1, 1, 500],
    [2, 1, 1_000],
    [3, 1, 2_000],
    [4, 1, 4_000],
    [5, 1, 8_000],
    [6, 1, 16_000],
    [7, 1, 30_000],
    [10, 1, 30_000],
    [3, 0.5, 1_000],
    [3, 0, 0],
    [7, 0.25, 7_500],
  ])('retry %i with draw %d waits %i ms', (retry, draw, delay) => {
    expect(backoffDelay(retry, defaults, () => draw)).toBe(delay)
  })

  it('without jitter the delay is the capped exponential', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(retry, { ...defaults, jitter: false }))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000])
  })
})
