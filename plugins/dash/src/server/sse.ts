// Server-sent events on /api/events: each message is the model's version, nothing else, so a
// page learns that something changed and fetches its own view. A comment every 15 s keeps
// proxies and idle timeouts from closing the stream.

import type { IncomingMessage, ServerResponse } from 'node:http'

export interface EventStream {
  open(req: IncomingMessage, res: ServerResponse, version: number, headers: Record<string, string>): void
  send(version: number): void
  /** Ends every stream (the server is stopping). */
  close(): void
  readonly clients: number
}

export function createEventStream(heartbeatMs = 15_000): EventStream {
  const clients = new Set<ServerResponse>()
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': ping\n\n')
  }, heartbeatMs)
  heartbeat.unref()
  return {
    open(req, res, version, headers) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
      res.write(`retry: 1000\ndata: ${version}\n\n`)
      clients.add(res)
      req.on('close', () => clients.delete(res))
    },
    send(version) {
      for (const res of clients) res.write(`data: ${version}\n\n`)
    },
    close() {
      clearInterval(heartbeat)
      for (const res of clients) res.end()
      clients.clear()
    },
    get clients() {
      return clients.size
    },
  }
}
