// A model at one version, rendered on demand and kept: each view's JSON and HTML is built once per
// version, so answering a request is a lookup (the API budget is 50 ms on 1,000 products).

import { createHash } from 'node:crypto'
import { type EnvelopeMeta, envelope } from '../model/model.js'
import type { DashModel, ViewName } from '../model/types.js'
import { CLIENT_JS } from '../ui/client.generated.js'
import { renderPage } from '../ui/page.js'
import { CSS } from '../ui/styles.js'

export const ASSETS = {
  'dash.js': { type: 'text/javascript; charset=utf-8', body: CLIENT_JS },
  'dash.css': { type: 'text/css; charset=utf-8', body: CSS },
} as const

export interface Snapshot {
  readonly version: number
  /** The view's envelope as JSON. */
  json(view: ViewName): string
  html(view: ViewName, live: boolean): string
  /** The view's JSON or live page as UTF-8 bytes, encoded once per version (what the server sends). */
  bytes(view: ViewName, kind: 'json' | 'page'): Buffer
  /** A strong validator of the view's JSON at this version. */
  etag(view: ViewName): string
}

export function createSnapshot(model: DashModel, meta: EnvelopeMeta): Snapshot {
  const json = new Map<ViewName, string>()
  const html = new Map<string, string>()
  const etags = new Map<ViewName, string>()
  const buffers = new Map<string, Buffer>()
  const jsonOf = (view: ViewName): string => {
    let text = json.get(view)
    if (text === undefined) {
      text = JSON.stringify(envelope(model, view, meta))
      json.set(view, text)
    }
    return text
  }
  return {
    version: meta.version,
    json: jsonOf,
    html(view, live) {
      const key = `${view}:${live}`
      let text = html.get(key)
      if (text === undefined) {
        text = renderPage({ view, json: jsonOf(view), workspace: envelope(model, view, meta).workspace, live })
        html.set(key, text)
      }
      return text
    },
    bytes(view, kind) {
      const key = `${view}:${kind}`
      let buffer = buffers.get(key)
      if (buffer === undefined) {
        buffer = Buffer.from(kind === 'json' ? jsonOf(view) : this.html(view, true))
        buffers.set(key, buffer)
      }
      return buffer
    },
    etag(view) {
      let tag = etags.get(view)
      if (tag === undefined) {
        tag = `"${createHash('sha1').update(jsonOf(view)).digest('hex').slice(0, 20)}"`
        etags.set(view, tag)
      }
      return tag
    },
  }
}
