// One Messages API call with the oracle's own retry policy (seed 3, Error Handling). The SDK's
// retries are off (maxRetries: 0) so that every wait goes through the injected `sleep`, is
// reported through `onRetry`, and follows one documented schedule:
//   timeout, connection error, 408, 5xx, 529 overloaded → exponential backoff 1 s, 2 s, 4 s…
//   429 rate limit → the server's retry-after-ms / retry-after (backoff when it sends neither);
//                    a wait longer than maxRetryAfterMs is not slept: the call fails and the next
//                    check of the monitor loop asks again
//   any other 4xx → no retry.
// All of these share one budget of `retries` (default 3). No jitter: one oracle process makes
// one call at a time, so there is no herd to spread, and the schedule stays testable.

import type * as AnthropicSdk from '@anthropic-ai/sdk'
import type { AnthropicError } from '@anthropic-ai/sdk'
import { backoffDelay, redactSecrets } from '@oraclekit/kernel'
import { setTimeout as delay } from 'node:timers/promises'
import { errorApi, errorNoApiKey } from '../errors.js'

export type RetryReason = 'timeout' | 'connection' | 'rate_limit' | 'overloaded' | 'server_error'

/** Reported before each wait; never carries the key or the prompt. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first call). */
  attempt: number
  delayMs: number
  reason: RetryReason
  status?: number
  requestId?: string
}

export interface AskClaudeOptions {
  system: string
  prompt: string
  model: string
  maxTokens: number
  /** The key itself (read from the environment by the caller); empty or undefined → NO_API_KEY. */
  apiKey: string | undefined
  /** The variable the key is read from, named in the missing-key error (default ANTHROPIC_API_KEY). */
  apiKeyEnv?: string
  /** Unset: the SDK's default (ANTHROPIC_BASE_URL, else https://api.anthropic.com). */
  baseURL?: string
  /** Per attempt. */
  timeoutMs: number
  /** Retries after the first attempt (default 3). */
  retries?: number
  /** Longest retry-after a 429 may ask for and still be waited out (default 60 s). */
  maxRetryAfterMs?: number
  sleep?: (ms: number) => Promise<void>
  onRetry?: (event: RetryEvent) => void
  signal?: AbortSignal
}

export interface ClaudeAnswer {
  text: string
  model: string
  stopReason: string | null
  usage: { inputTokens: number; outputTokens: number }
  requestId?: string
  /** How many requests it took (1 = no retry). */
  attempts: number
}

export const BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000, factor: 2, jitter: false } as const
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000

type Verdict = { retry: false; detail: string; status?: number; requestId?: string } | { retry: true; reason: RetryReason; waitMs?: number; detail: string; status?: number; requestId?: string }

/** Sends one user message and returns the text of the answer, retrying as the header says. */
export async function askClaude(options: AskClaudeOptions): Promise<ClaudeAnswer> {
  const apiKey = options.apiKey?.trim()
  if (!apiKey) throw errorNoApiKey(options.apiKeyEnv ?? 'ANTHROPIC_API_KEY')
  // Loaded on the first request, not with the module: a watch that never needs guidance (and every
  // other command) does without the SDK's module graph in its heap.
  const sdk = await import('@anthropic-ai/sdk')
  const client = new sdk.default({
    apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries: 0,
    timeout: options.timeoutMs,
    // Plugins never print: the SDK's own logger writes to the console.
    logLevel: 'off',
  })
  const retries = options.retries ?? 3
  const sleep = options.sleep ?? ((ms: number) => delay(ms))
  const scrub = (text: string) => redactSecrets(apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text)
  for (let attempt = 1; ; attempt++) {
    let verdict: Verdict
    try {
      const message = await client.messages.create(
        { model: options.model, max_tokens: options.maxTokens, system: options.system, messages: [{ role: 'user', content: options.prompt }] },
        options.signal ? { signal: options.signal } : {},
      )
      const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n')
      const requestId = message._request_id ?? undefined
      if (text.trim() === '') {
        throw errorApi(`the answer has no text (stop_reason ${message.stop_reason ?? 'null'})`, { attempts: attempt, ...(requestId ? { requestId } : {}) })
      }
      return {
        text,
        model: message.model,
        stopReason: message.stop_reason,
        usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
        ...(requestId ? { requestId } : {}),
        attempts: attempt,
      }
    } catch (error) {
      if (!(error instanceof sdk.AnthropicError)) throw error
      verdict = judge(sdk, error, scrub)
    }
    const maxRetryAfter = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
    const tooLong = verdict.retry && verdict.waitMs !== undefined && verdict.waitMs > maxRetryAfter
    if (!verdict.retry || attempt > retries || tooLong) {
      const detail = tooLong && verdict.retry ? `${verdict.detail} (the API asks to wait ${Math.ceil((verdict.waitMs ?? 0) / 1000)} s; the oracle waits at most ${Math.round(maxRetryAfter / 1000)} s)` : verdict.detail
      // The SDK error is not kept as the cause: only scrubbed text leaves this function.
      throw errorApi(detail, {
        attempts: attempt,
        ...(verdict.status === undefined ? {} : { status: verdict.status }),
        ...(verdict.requestId ? { requestId: verdict.requestId } : {}),
      })
    }
    const delayMs = verdict.waitMs ?? backoffDelay(attempt, BACKOFF)
    options.onRetry?.({
      attempt,
      delayMs,
      reason: verdict.reason,
      ...(verdict.status === undefined ? {} : { status: verdict.status }),
      ...(verdict.requestId ? { requestId: verdict.requestId } : {}),
    })
    await sleep(delayMs)
  }
}

function judge(sdk: typeof AnthropicSdk, error: AnthropicError, scrub: (text: string) => string): Verdict {
  if (error instanceof sdk.APIUserAbortError) return { retry: false, detail: 'the request was aborted' }
  if (error instanceof sdk.APIConnectionTimeoutError) return { retry: true, reason: 'timeout', detail: 'the request timed out' }
  if (error instanceof sdk.APIConnectionError) return { retry: true, reason: 'connection', detail: `connection error: ${scrub(error.message)}` }
  if (!(error instanceof sdk.APIError) || error.status === undefined) return { retry: false, detail: scrub(error.message) }
  const status = error.status
  const requestId = error.requestID ?? undefined
  const base = { status, ...(requestId ? { requestId } : {}), detail: scrub(`${error.type ?? 'error'}: ${error.apiMessage ?? error.message}`) }
  const header = (name: string) => (error.headers instanceof Headers ? error.headers.get(name) : null)
  // The server may say outright whether a retry can help; it knows better than the status.
  const shouldRetry = header('x-should-retry')
  if (shouldRetry === 'false') return { retry: false, ...base }
  if (status === 429) {
    const waitMs = retryAfterMs(header('retry-after-ms'), header('retry-after'))
    return { retry: true, reason: 'rate_limit', ...base, ...(waitMs === undefined ? {} : { waitMs }) }
  }
  if (status === 529) return { retry: true, reason: 'overloaded', ...base }
  if (status === 408) return { retry: true, reason: 'timeout', ...base }
  if (status >= 500 || shouldRetry === 'true') return { retry: true, reason: 'server_error', ...base }
  return { retry: false, ...base }
}

/** `retry-after-ms` (ms), else `retry-after` (seconds or an HTTP date); undefined when neither reads. */
export function retryAfterMs(msHeader: string | null, header: string | null, now: number = Date.now()): number | undefined {
  const ms = msHeader === null ? Number.NaN : Number(msHeader)
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms)
  if (header === null || header.trim() === '') return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000)
  const date = Date.parse(header)
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined
}

/** askClaude with fixed settings: what the engine calls for each guidance. */
export type ClaudeAsk = (request: { system: string; prompt: string }) => Promise<ClaudeAnswer>

export function createClaudeAsk(settings: Omit<AskClaudeOptions, 'system' | 'prompt'>): ClaudeAsk {
  return (request) => askClaude({ ...settings, ...request })
}
