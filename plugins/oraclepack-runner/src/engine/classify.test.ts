import { describe, expect, it } from 'vitest'
import { TRANSIENT, classifyFailure, failureSummary } from './classify.js'

// The texts are what oracle 0.21.2 prints (research C), plus network errors from Node.
describe('classifyFailure', () => {
  it.each([
    ['🧿 oracle 0.21.2 — tagline\nERROR: Rate limit reached for requests\nTransport: api-error — transport error', 'rate_limit'],
    ['ERROR: 429 Too Many Requests', 'rate_limit'],
    ['ERROR: The server is overloaded\nTransport: api-error — transport error', 'overloaded'],
    ['ERROR: 503 Service Unavailable', 'overloaded'],
    ['ERROR: 502 Bad Gateway', 'overloaded'],
    ['Client-side timeout: OpenAI streaming call exceeded the 5s deadline.\nERROR: OpenAI request timed out before completion.\nTransport: client-timeout', 'timeout'],
    ['ERROR: Connection error.\nTransport: connection-lost', 'connection'],
    ['ERROR: fetch failed (ECONNREFUSED 127.0.0.1:9)', 'connection'],
    ['A session with the same prompt is already running (strategist-question-01).', 'duplicate_session'],
    ['✖ Missing file or directory: src/nope.ts', 'fatal'],
    ["error: unknown option '--bogus'", 'fatal'],
    ["error: option '--timeout <seconds>' argument 'soon' is invalid", 'fatal'],
    ['ERROR: Missing OPENAI_API_KEY\nUser error (prompt-validation): set a key', 'fatal'],
    ['✖ The following files exceed the 1 MB limit:', 'fatal'],
    // A prompt that talks about rate limits is not a rate limit.
    ['Question: how do we handle a rate limit?\n✖ Missing file or directory: x', 'fatal'],
  ])('%j is %s', (output, kind) => {
    expect(classifyFailure(output)).toBe(kind)
  })

  it('retries provider and network trouble, never a bad request', () => {
    expect([...TRANSIENT].sort()).toEqual(['connection', 'duplicate_session', 'overloaded', 'rate_limit', 'timeout'])
  })
})

describe('failureSummary', () => {
  it.each([
    ['🧿 oracle 0.21.2 — x\nERROR: The server is overloaded\nTransport: api-error — transport error', 'ERROR: The server is overloaded | Transport: api-error — transport error'],
    ['just some text\nmore', 'just some text | more'],
    ['', ''],
  ])('%j → %j', (output, summary) => {
    expect(failureSummary(output)).toBe(summary)
  })
})
