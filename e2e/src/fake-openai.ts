// A loopback stand-in for the OpenAI HTTP API, for running the real `@steipete/oracle` CLI offline.
// With a non-OpenAI base URL, oracle 0.21.2 routes every model through Chat Completions
// (`POST /v1/chat/completions`, `stream: true`), so that is the one endpoint spoken here, in the
// real wire format: SSE `data: <chunk>` lines ending with `data: [DONE]`, and OpenAI-style error
// bodies that the OpenAI SDK inside oracle turns into its usual errors and retries.
import { randomUUID } from 'node:crypto'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import { type AddressInfo } from 'node:net'

/** What the script sees of one request. `attempt` counts requests with the same prompt, from 1. */
export interface FakeRequest {
  path: string
  body: Record<string, unknown>
  prompt: string
  attempt: number
}

/** An HTTP error reply; `error` is the body's `error` object, `headers` add to or override the defaults. */
export interface FakeError {
  status: number
  error: { message: string; type?: string | null; param?: string | null; code?: string | null }
  headers?: Record<string, string>
}

/** A script's reply: the answer text, or an HTTP error. */
export type FakeReply = string | FakeError

/** Decides each reply; may be async to hold a request open. */
export type FakeScript = (request: FakeRequest) => FakeReply | Promise<FakeReply>

/** One request as received (the authorization header left out). */
export interface RecordedRequest extends FakeRequest {
  method: string
  headers: Record<string, string>
  /** The OpenAI SDK's `x-stainless-retry-count`: 0 on a first try, 1 and 2 on its own retries. */
  retryCount: number | undefined
  /** The status the fake server answered with. */
  status: number
}

export interface FakeOpenAI {
  /** The base URL to pass as `--base-url`, e.g. `http://127.0.0.1:40123/v1`. */
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

// A tiny retry-after keeps the SDK's three attempts fast; real OpenAI sends seconds.
const QUICK_RETRY = { 'retry-after': '0', 'retry-after-ms': '10' }

/** 429 as OpenAI sends it for a request-rate limit. */
export function rateLimited(headers: Record<string, string> = {}): FakeError {
  return { status: 429, error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' }, headers: { ...QUICK_RETRY, ...headers } }
}

/** 503 as OpenAI sends it when overloaded. */
export function overloaded(headers: Record<string, string> = {}): FakeError {
  return { status: 503, error: { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null }, headers: { ...QUICK_RETRY, ...headers } }
}

/** 500 as OpenAI sends it for an internal error. */
export function serverError(headers: Record<string, string> = {}): FakeError {
  return { status: 500, error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }, headers: { ...QUICK_RETRY, ...headers } }
}

/** Starts the fake server on 127.0.0.1 (a free port). Without a script every request gets `Fake answer.` */
export async function startFakeOpenAI(script: FakeScript = () => 'Fake answer.'): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = []
  const attempts = new Map<string, number>()

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { status: 500, error: { message: `fake-openai: ${String(error)}`, type: 'server_error' } })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const raw = await readBody(req)
    let body: Record<string, unknown> = {}
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}
    } catch {
      body = { raw }
    }
    const prompt = promptOf(body)
    const attempt = (attempts.get(prompt) ?? 0) + 1
    attempts.set(prompt, attempt)
    const retryHeader = req.headers['x-stainless-retry-count']
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: headersOf(req), body, prompt, attempt, retryCount: retryHeader === undefined ? undefined : Number(retryHeader), status: 0 }
    requests.push(record)

    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      record.status = 404
      return sendError(res, { status: 404, error: { message: `fake-openai: no route for ${req.method} ${path}`, type: 'invalid_request_error', code: 'unknown_url' } })
    }
    const reply = await script({ path, body, prompt, attempt })
    if (typeof reply !== 'string') {
      record.status = reply.status
      return sendError(res, reply)
    }
    record.status = 200
    const model = typeof body.model === 'string' ? body.model : 'gpt-5.1'
    if (body.stream === true) return sendStream(res, model, reply, Boolean((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage), prompt)
    return sendJson(res, 200, completion(model, reply, prompt))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** The user's text of a Chat Completions body: its user messages, joined. */
function promptOf(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : []
  return messages
    .filter((message) => message.role === 'user')
    .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)))
    .join('\n\n')
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue
    headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomUUID().replaceAll('-', '')}`, ...headers })
  res.end(JSON.stringify(value))
}

function sendError(res: ServerResponse, reply: FakeError): void {
  sendJson(res, reply.status, { error: { type: null, param: null, code: null, ...reply.error } }, reply.headers)
}

// Rough but stable: oracle only reports these numbers.
const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4))

function usage(prompt: string, answer: string) {
  return { prompt_tokens: tokens(prompt), completion_tokens: tokens(answer), total_tokens: tokens(prompt) + tokens(answer) }
}

function completion(model: string, answer: string, prompt: string) {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: usage(prompt, answer),
  }
}

/** Streams `answer` as `chat.completion.chunk` events: a role delta, content deltas, a stop, then `[DONE]`. */
function sendStream(res: ServerResponse, model: string, answer: string, includeUsage: boolean, prompt: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` })
  const base = { id: `chatcmpl-${randomUUID()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, system_fingerprint: 'fp_fake' }
  const event = (choices: unknown[], extra: Record<string, unknown> = {}): void => {
    res.write(`data: ${JSON.stringify({ ...base, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`)
  }
  const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finish })
  event([choice({ role: 'assistant', content: '', refusal: null })])
  // Several deltas, split after whitespace, so the client really reassembles a stream.
  for (const piece of answer.match(/\S*\s*/g)?.filter(Boolean) ?? []) event([choice({ content: piece })])
  event([choice({}, 'stop')])
  if (includeUsage) event([], { usage: usage(prompt, answer) })
  res.end('data: [DONE]\n\n')
}
