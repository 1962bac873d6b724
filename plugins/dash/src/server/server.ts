// The dash's HTTP server: Node's own `http`, read-only by construction. Only GET and HEAD, only
// a fixed set of routes answered from memory (no URL is ever mapped to a file, so there is no
// path to traverse), a Host check against DNS rebinding when bound to loopback, and a strict
// Content-Security-Policy: the page runs its own script and nothing else.

import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errorListen } from '../errors.js'
import { VIEWS, type ViewName } from '../model/types.js'
import { ASSETS } from '../site/snapshot.js'
import type { LiveModel } from './live.js'
import { createEventStream } from './sse.js'

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

export interface DashServer {
  url: string
  port: number
  close(): Promise<void>
}

export interface DashServerOptions {
  live: LiveModel
  host: string
  port: number
  /** A request that failed inside the server (a bug): answered 500 and reported here. */
  onError?: (error: unknown) => void
}

type Route = { kind: 'page'; view: ViewName } | { kind: 'api'; view: ViewName } | { kind: 'asset'; name: keyof typeof ASSETS } | { kind: 'version' } | { kind: 'index' } | { kind: 'events' }

/** The route of a path, or undefined (404). Exact matches only. */
export function route(pathname: string): Route | undefined {
  if (pathname === '/' || pathname === '/index.html') return { kind: 'page', view: 'overview' }
  if (pathname === '/api/events') return { kind: 'events' }
  if (pathname === '/api/version' || pathname === '/api/version.json') return { kind: 'version' }
  if (pathname === '/api' || pathname === '/api/' || pathname === '/api/index.json') return { kind: 'index' }
  const asset = /^\/assets\/(dash\.js|dash\.css)$/.exec(pathname)?.[1] as keyof typeof ASSETS | undefined
  if (asset) return { kind: 'asset', name: asset }
  const api = /^\/api\/([a-z-]+?)(?:\.json)?$/.exec(pathname)?.[1]
  if (api && (VIEWS as readonly string[]).includes(api)) return { kind: 'api', view: api as ViewName }
  const page = /^\/([a-z-]+)(?:\/|\/index\.html)?$/.exec(pathname)?.[1]
  if (page && page !== 'overview' && (VIEWS as readonly string[]).includes(page)) return { kind: 'page', view: page as ViewName }
  return undefined
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache', 'Content-Length': String(Buffer.byteLength(body)), ...extra })
  res.end(req.method === 'HEAD' ? undefined : body)
}

export async function startServer(options: DashServerOptions): Promise<DashServer> {
  const { live } = options
  const events = createEventStream()
  const unsubscribe = live.subscribe((version) => events.send(version))
  let port = options.port
  const hostAllowed = (header: string | undefined): boolean => {
    if (!LOOPBACK.has(options.host)) return true
    const name = (header ?? '').replace(/:\d+$/, '')
    return LOOPBACK.has(name)
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, 'text/plain; charset=utf-8', 'The dash is read-only: GET and HEAD only.\n', { Allow: 'GET, HEAD' })
    if (!hostAllowed(req.headers.host)) return send(req, res, 421, 'text/plain; charset=utf-8', 'Unexpected Host header.\n')
    const pathname = new URL(req.url ?? '/', 'http://dash.invalid').pathname
    const found = route(pathname)
    const snapshot = live.current()
    switch (found?.kind) {
      case 'page':
        return send(req, res, 200, 'text/html; charset=utf-8', snapshot.bytes(found.view, 'page'))
      case 'api': {
        const etag = snapshot.etag(found.view)
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { ...SECURITY_HEADERS, ETag: etag, 'Cache-Control': 'no-cache' })
          return void res.end()
        }
        return send(req, res, 200, 'application/json; charset=utf-8', snapshot.bytes(found.view, 'json'), { ETag: etag })
      }
      case 'asset':
        return send(req, res, 200, ASSETS[found.name].type, ASSETS[found.name].body)
      case 'version':
        return send(req, res, 200, 'application/json; charset=utf-8', JSON.stringify({ version: snapshot.version }))
      case 'index':
        return send(req, res, 200, 'application/json; charset=utf-8', JSON.stringify({ version: snapshot.version, views: VIEWS.map((v) => ({ view: v, api: `/api/${v}.json` })), events: '/api/events' }))
      case 'events':
        if (req.method === 'HEAD') return send(req, res, 200, 'text/event-stream; charset=utf-8', '')
        return events.open(req, res, snapshot.version, SECURITY_HEADERS)
      default:
        return send(req, res, 404, 'text/plain; charset=utf-8', 'Not found.\n')
    }
  }

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res)
    } catch (error) {
      options.onError?.(error)
      if (!res.headersSent) send(req, res, 500, 'text/plain; charset=utf-8', 'Internal error.\n')
      else res.end()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(errorListen(options.host, options.port, error)))
    server.listen(options.port, options.host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${hostForUrl}:${port}/`,
    port,
    async close() {
      unsubscribe()
      events.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
