// Test code only: a loopback server that speaks enough of the Messages API for the real SDK
// (research/fleet-and-supervisor.md §3). Replies come from a script, in order; every request is
// recorded so tests can assert what the client sent (system prompt, model, auth header…).

import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export type FakeReply =
  | { kind: 'ok'; text: string; model?: string; requestId?: string; stopReason?: string; usage?: { input_tokens: number; output_tokens: number } }
  | { kind: 'error'; status: number; type: string; message?: string; headers?: Record<string, string>; requestId?: string }
  /** Holds the request for `ms` before answering `then` (default: ok): the client times out first. */
  | { kind: 'slow'; ms: number; then?: FakeReply }

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  rawBody: string
  /** The parsed JSON body (undefined when it was not JSON). */
  body: any
}

export interface FakeAnthropic {
  /** Pass as the SDK's baseURL. */
  readonly baseURL: string
  readonly requests: RecordedRequest[]
  enqueue(...replies: FakeReply[]): void
  /** Replies not yet used. */
  remaining(): number
  close(): Promise<void>
}

export const ok = (text: string, extra: Partial<Extract<FakeReply, { kind: 'ok' }>> = {}): FakeReply => ({ kind: 'ok', text, ...extra })
export const rateLimited = (headers: Record<string, string> = {}): FakeReply => ({ kind: 'error', status: 429, type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit', headers })
export const overloaded = (): FakeReply => ({ kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' })
export const serverError = (headers: Record<string, string> = {}): FakeReply => ({ kind: 'error', status: 500, type: 'api_error', message: 'Internal server error', headers })
export const slow = (ms: number, then?: FakeReply): FakeReply => ({ kind: 'slow', ms, ...(then ? { then } : {}) })

let counter = 0

export async function startFakeAnthropic(replies: FakeReply[] = []): Promise<FakeAnthropic> {
  const queue = [...replies]
  const requests: RecordedRequest[] = []
  const timers = new Set<NodeJS.Timeout>()

  const send = (res: ServerResponse, reply: FakeReply): void => {
    // The client may have given up (timeout) while the reply was held back.
    if (res.destroyed || res.writableEnded) return
    if (reply.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer)
        send(res, reply.then ?? ok('late answer'))
      }, reply.ms)
      timers.add(timer)
      return
    }
    counter += 1
    const requestId = reply.requestId ?? `req_fake_${counter}`
    if (reply.kind === 'ok') {
      const body = {
        id: `msg_fake_${counter}`,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? 'claude-test',
        content: [{ type: 'text', text: reply.text }],
        stop_reason: reply.stopReason ?? 'end_turn',
        stop_sequence: null,
        usage: reply.usage ?? { input_tokens: 11, output_tokens: 7 },
      }
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId })
      res.end(JSON.stringify(body))
      return
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': requestId, ...reply.headers })
    res.end(JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message ?? reply.type } }))
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = JSON.parse(rawBody)
      } catch {
        body = undefined
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body })
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
        send(res, { kind: 'error', status: 404, type: 'not_found_error', message: `fake: no route ${req.method} ${req.url}` })
        return
      }
      // An empty script answers 500 with x-should-retry: false, so a test that forgot a reply fails at once.
      send(res, queue.shift() ?? serverError({ 'x-should-retry': 'false' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...more) => void queue.push(...more),
    remaining: () => queue.length,
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
