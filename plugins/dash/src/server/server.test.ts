// The HTTP server over a copy of the example: routes, read-only methods, no path to traverse, the
// Host check, ETags, and a change pushed over SSE.

import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Copy, clock, copyExample, sourceOf } from '../_test/workspace.js'
import { watchedRoots } from '../commands/source.js'
import { VIEWS } from '../model/types.js'
import { type LiveModel, createLiveModel } from './live.js'
import { type DashServer, route, startServer } from './server.js'

let ws: Copy
let live: LiveModel
let server: DashServer

beforeAll(async () => {
  ws = await copyExample()
  const source = sourceOf(ws.dir)
  live = await createLiveModel({ source, clock, roots: watchedRoots(source.paths), debounceMs: 50 })
  server = await startServer({ live, host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await server.close()
  live.close()
  await ws.cleanup()
})

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request: the path goes on the wire as written (no URL normalisation by a client). */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('routes', () => {
  it('serves every view as a page and as JSON, with the security headers', async () => {
    for (const view of VIEWS) {
      const page = await raw('GET', view === 'overview' ? '/' : `/${view}/`)
      expect(page.status, view).toBe(200)
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(page.headers['content-security-policy']).toContain("script-src 'self'")
      expect(page.body).toContain(`data-view="${view}"`)
      const api = await raw('GET', `/api/${view}.json`)
      expect(JSON.parse(api.body)).toMatchObject({ view, version: 1, now: '2026-11-22T06:00:00.000Z' })
    }
    expect((await raw('GET', '/runs/index.html')).status).toBe(200)
    expect((await raw('GET', '/assets/dash.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(JSON.parse((await raw('GET', '/api/index.json')).body).views).toHaveLength(VIEWS.length)
  })

  it('is read-only: anything but GET and HEAD is refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await raw(method, '/api/overview')
      expect(answer.status, method).toBe(405)
      expect(answer.headers.allow).toBe('GET, HEAD')
    }
    const head = await raw('HEAD', '/api/overview')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('maps no URL to a file: traversal attempts are 404s', async () => {
    for (const path of ['/../../../../etc/passwd', '/assets/../package.json', '/assets/..%2f..%2fpackage.json', '/api/..%2F..%2Foracle.config.ts', '/dash/science_index.json', '/%2e%2e/%2e%2e/etc/passwd', '/orchestrator.yml']) {
      const answer = await raw('GET', path)
      expect(answer.status, path).toBe(404)
      expect(answer.body).not.toContain('root:')
    }
    expect(route('/runs/../science')).toBeUndefined()
  })

  it('refuses a foreign Host header (DNS rebinding) on a loopback server', async () => {
    expect((await raw('GET', '/', { Host: 'evil.example:80' })).status).toBe(421)
    expect((await raw('GET', '/', { Host: `localhost:${server.port}` })).status).toBe(200)
  })

  it('answers 304 for an unchanged view', async () => {
    const first = await raw('GET', '/api/science')
    const again = await raw('GET', '/api/science', { 'If-None-Match': first.headers.etag as string })
    expect(again.status).toBe(304)
  })
})

describe('live updates', () => {
  it('pushes the new version over SSE after an artifact changes, and the API answers the new data', async () => {
    const messages: string[] = []
    const got = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events' }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          messages.push(chunk)
          if (messages.join('').includes('data: 2')) {
            req.destroy()
            resolve()
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    await ws.write('dash/health/search-indexer.json', JSON.stringify({ status: 'healthy', detail: 'shard 2 is back' }))
    await got
    expect(messages.join('')).toContain('data: 1')
    const overview = JSON.parse((await raw('GET', '/api/overview')).body)
    expect(overview.version).toBe(2)
    expect(overview.data.products.find((p: { id: string }) => p.id === 'search-indexer').health.detail).toBe('shard 2 is back')
  })

  it('does not bump the version when a file is touched without a change', async () => {
    const version = live.current().version
    await ws.write('dash/health/billing-api.json', await ws.read('dash/health/billing-api.json'))
    expect(await live.refresh()).toBe(false)
    expect(live.current().version).toBe(version)
  })
})
