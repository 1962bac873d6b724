// Browser code, the entry of the page's script: draw the view from the JSON the page embeds, then
// (served live) follow the server's version over SSE and draw again from /api/<view>.json when
// it changes. A view that fails to draw shows the error in its place, never a blank page.

import type { ViewEnvelope, ViewName } from '../../model/types.js'
import { type Child, h, panel } from './dom.js'
import { renderOverview, renderRuns, renderSchedules, renderWorkOrders } from './views-fleet.js'
import { renderScience } from './views-science.js'
import { renderDevfactory, renderOrchestrator, renderPacks } from './views-work.js'

type Renderer = (env: ViewEnvelope<any>) => Child[]

const RENDERERS: Record<ViewName, Renderer> = {
  overview: renderOverview,
  runs: renderRuns,
  'work-orders': renderWorkOrders,
  schedules: renderSchedules,
  packs: renderPacks,
  orchestrator: renderOrchestrator,
  devfactory: renderDevfactory,
  science: renderScience,
}

function setStatus(text: string, state: string): void {
  const el = document.getElementById('live')
  if (!el) return
  el.textContent = text
  el.setAttribute('data-state', state)
}

export function draw(env: ViewEnvelope): void {
  const root = document.getElementById('view')
  if (!root) return
  // Keep what the reader opened (details) and where they were across a redraw.
  const opened = new Map<string, boolean>()
  root.querySelectorAll('details[data-key]').forEach((d) => opened.set(d.getAttribute('data-key') as string, (d as HTMLDetailsElement).open))
  let content: Child[]
  try {
    const render = RENDERERS[env.view]
    if (!render) throw new Error(`unknown view "${String(env.view)}"`)
    content = render(env)
  } catch (error) {
    content = [panel('This view could not be drawn', [], h('p', { class: 'problems corrupt', role: 'alert' }, String((error as Error).message)))]
  }
  const nodes = content.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c))
  root.replaceChildren(...nodes)
  root.querySelectorAll('details[data-key]').forEach((d) => {
    const was = opened.get(d.getAttribute('data-key') as string)
    if (was !== undefined) (d as HTMLDetailsElement).open = was
  })
  document.body.setAttribute('data-version', String(env.version))
  const asof = document.getElementById('asof')
  if (asof) asof.textContent = `as of ${env.now.slice(0, 16).replace('T', ' ')} UTC`
}

function follow(base: string, view: ViewName, start: number): void {
  let shown = start
  let wanted = start
  let busy = false
  const refresh = async (): Promise<void> => {
    if (busy || wanted <= shown) return
    busy = true
    try {
      const response = await fetch(`${base}api/${view}.json`, { cache: 'no-store' })
      if (response.ok) {
        const env = (await response.json()) as ViewEnvelope
        shown = env.version
        draw(env)
      }
    } catch {
      setStatus('offline', 'error')
    } finally {
      busy = false
      if (wanted > shown) setTimeout(() => void refresh(), 50)
    }
  }
  const seen = (version: number): void => {
    if (Number.isFinite(version) && version > wanted) wanted = version
    void refresh()
  }
  if (typeof EventSource === 'undefined') {
    setStatus('live (polling)', 'live')
    setInterval(() => {
      fetch(`${base}api/version.json`, { cache: 'no-store' })
        .then((r) => r.json())
        .then((v: { version: number }) => seen(v.version))
        .catch(() => setStatus('offline', 'error'))
    }, 1000)
    return
  }
  const events = new EventSource(`${base}api/events`)
  events.onopen = () => setStatus('live', 'live')
  events.onerror = () => setStatus('reconnecting…', 'error')
  events.onmessage = (message) => {
    setStatus('live', 'live')
    seen(Number(message.data))
  }
}

export function main(): void {
  const body = document.body
  const base = body.getAttribute('data-base') ?? ''
  const script = document.getElementById('dash-data')
  let env: ViewEnvelope
  try {
    env = JSON.parse(script?.textContent ?? '') as ViewEnvelope
  } catch (error) {
    document.getElementById('view')?.replaceChildren(panel('No data', [], h('p', { class: 'problems corrupt', role: 'alert' }, `The page's data could not be read: ${(error as Error).message}`)))
    return
  }
  draw(env)
  if (body.getAttribute('data-live') === '1') follow(base, env.view, env.version)
  else setStatus('snapshot', 'static')
}

main()
