import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isolateSdkEnvironment, recordingSleep } from '../_test/env.js'
import { type FakeAnthropic, ok, overloaded, rateLimited, serverError, slow, startFakeAnthropic } from '../_test/fake-anthropic.js'
import { type AskClaudeOptions, type RetryEvent, askClaude, retryAfterMs } from './client.js'

const KEY = 'test-key-5f2a9c'
let fake: FakeAnthropic

beforeEach(async () => {
  isolateSdkEnvironment()
  fake = await startFakeAnthropic()
})
afterEach(async () => {
  await fake.close()
  vi.unstubAllEnvs()
})

function options(extra: Partial<AskClaudeOptions> = {}): AskClaudeOptions & { delays: number[]; events: RetryEvent[] } {
  const { sleep, delays } = recordingSleep()
  const events: RetryEvent[] = []
  return { system: 'SYSTEM', prompt: 'PROMPT', model: 'claude-test-model', maxTokens: 321, apiKey: KEY, baseURL: fake.baseURL, timeoutMs: 5_000, retries: 3, sleep, onRetry: (e) => void events.push(e), delays, events, ...extra }
}

async function failure(promise: Promise<unknown>): Promise<any> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeDefined()
  return error
}

describe('askClaude', () => {
  it('sends one Messages request and returns text, usage and request id', async () => {
    fake.enqueue(ok('### Root Cause\nx', { requestId: 'req_abc', usage: { input_tokens: 40, output_tokens: 12 } }))
    const answer = await askClaude(options())
    expect(answer).toEqual({ text: '### Root Cause\nx', model: 'claude-test', stopReason: 'end_turn', usage: { inputTokens: 40, outputTokens: 12 }, requestId: 'req_abc', attempts: 1 })
    expect(fake.requests).toHaveLength(1)
    const [request] = fake.requests
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/v1/messages')
    expect(request?.body).toMatchObject({ model: 'claude-test-model', max_tokens: 321, system: 'SYSTEM', messages: [{ role: 'user', content: 'PROMPT' }] })
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`)
    // The key travels in the header only.
    expect(request?.rawBody).not.toContain(KEY)
    expect(request?.url).not.toContain(KEY)
  })

  it('waits what a 429 asks in retry-after-ms, then succeeds', async () => {
    fake.enqueue(rateLimited({ 'retry-after-ms': '1500' }), ok('fine'))
    const opts = options()
    const answer = await askClaude(opts)
    expect(answer.text).toBe('fine')
    expect(answer.attempts).toBe(2)
    expect(opts.delays).toEqual([1500])
    expect(opts.events).toEqual([{ attempt: 1, delayMs: 1500, reason: 'rate_limit', status: 429, requestId: expect.stringMatching(/^req_fake_/) }])
  })

  it.each([
    ['retry-after in seconds', { 'retry-after': '2' }, 2000],
    ['no header: backoff', {}, 1000],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
  ])('429 with %s', async (_name, headers, expected) => {
    fake.enqueue(rateLimited(headers), ok('fine'))
    const opts = options()
    await askClaude(opts)
    expect(opts.delays).toEqual([expected])
  })

  it('backs off 1 s, 2 s on 529 overloaded, then succeeds', async () => {
    fake.enqueue(overloaded(), overloaded(), ok('fine'))
    const opts = options()
    const answer = await askClaude(opts)
    expect(answer.attempts).toBe(3)
    expect(opts.delays).toEqual([1000, 2000])
    expect(opts.events.map((e) => [e.reason, e.status])).toEqual([['overloaded', 529], ['overloaded', 529]])
  })

  it('gives up after 3 retries of a 500, with a coded error', async () => {
    fake.enqueue(serverError(), serverError(), serverError(), serverError())
    const opts = options()
    const error = await failure(askClaude(opts))
    expect(error.code).toBe('ORACLE_DEVFACTORY_API')
    expect(error.message).toContain('HTTP 500, 4 attempts')
    expect(error.message).toContain('api_error')
    expect(opts.delays).toEqual([1000, 2000, 4000])
    expect(fake.requests).toHaveLength(4)
  })

  it('retries timeouts, then fails with the attempts counted', async () => {
    fake.enqueue(slow(2_000), slow(2_000), slow(2_000))
    const opts = options({ timeoutMs: 100, retries: 2 })
    const error = await failure(askClaude(opts))
    expect(error.code).toBe('ORACLE_DEVFACTORY_API')
    expect(error.message).toBe('Claude API request failed (no response, 3 attempts): the request timed out')
    expect(opts.delays).toEqual([1000, 2000])
    expect(opts.events.every((e) => e.reason === 'timeout')).toBe(true)
    expect(fake.requests).toHaveLength(3)
  })

  it('does not retry another 4xx, and names the status', async () => {
    fake.enqueue({ kind: 'error', status: 400, type: 'invalid_request_error', message: 'max_tokens: too large' })
    const opts = options()
    const error = await failure(askClaude(opts))
    expect(error.code).toBe('ORACLE_DEVFACTORY_API')
    expect(error.message).toBe('Claude API request failed (HTTP 400, 1 attempt): invalid_request_error: max_tokens: too large')
    expect(error.hint).toContain('model and maxTokens')
    expect(opts.delays).toEqual([])
    expect(fake.requests).toHaveLength(1)
  })

  it('never lets the key into an error, even when the server echoes it', async () => {
    fake.enqueue({ kind: 'error', status: 401, type: 'authentication_error', message: `invalid key ${KEY} (Bearer ${KEY})` })
    const error = await failure(askClaude(options()))
    expect(error.message).toContain('authentication_error')
    expect(JSON.stringify(error.toJSON())).not.toContain(KEY)
    expect(String(error.stack)).not.toContain(KEY)
    expect(error.cause).toBeUndefined()
  })

  it('honours x-should-retry: false', async () => {
    fake.enqueue(serverError({ 'x-should-retry': 'false' }))
    const opts = options()
    await failure(askClaude(opts))
    expect(opts.delays).toEqual([])
  })

  it('does not sleep through a retry-after longer than the limit', async () => {
    fake.enqueue(rateLimited({ 'retry-after': '600' }))
    const opts = options()
    const error = await failure(askClaude(opts))
    expect(error.message).toContain('the API asks to wait 600 s; the oracle waits at most 60 s')
    expect(error.hint).toContain('Rate limited')
    expect(opts.delays).toEqual([])
  })

  it('retries connection errors', async () => {
    const closed = await startFakeAnthropic()
    const baseURL = closed.baseURL
    await closed.close()
    const opts = options({ baseURL, retries: 1 })
    const error = await failure(askClaude(opts))
    expect(error.message).toMatch(/^Claude API request failed \(no response, 2 attempts\): connection error/)
    expect(opts.events.map((e) => e.reason)).toEqual(['connection'])
  })

  it('fails on an answer without text', async () => {
    fake.enqueue(ok('', { stopReason: 'refusal' }))
    const error = await failure(askClaude(options()))
    expect(error.message).toContain('the answer has no text (stop_reason refusal)')
  })

  it.each([undefined, '', '   '])('refuses to call without a key (%j)', async (apiKey) => {
    const error = await failure(askClaude(options({ apiKey, apiKeyEnv: 'MY_ORACLE_KEY' })))
    expect(error.code).toBe('ORACLE_DEVFACTORY_NO_API_KEY')
    expect(error.message).toContain('MY_ORACLE_KEY')
    expect(error.hint).toContain('MY_ORACLE_KEY')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-21T12:00:00Z')
  it.each([
    ['1500', null, 1500],
    ['0', null, 0],
    ['12.3', '5', 13],
    [null, '3', 3000],
    [null, '0.5', 500],
    ['junk', '2', 2000],
    [null, 'Sat, 21 Nov 2026 12:00:10 GMT', 10_000],
    [null, 'Sat, 21 Nov 2026 11:00:00 GMT', 0],
    [null, 'soon', undefined],
    [null, null, undefined],
    ['-5', null, undefined],
  ] as const)('retry-after-ms %j, retry-after %j → %j', (ms, header, expected) => {
    expect(retryAfterMs(ms, header, now)).toBe(expected)
  })
})
