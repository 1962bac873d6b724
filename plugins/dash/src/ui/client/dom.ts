// Browser code. DOM helpers: every artifact string goes into the page as a text node or an
// attribute value, never as markup (there is no innerHTML anywhere in the client).

import type { Problem } from '../../model/types.js'

export type Child = Node | string | number | null | undefined | false
type Attrs = Record<string, string | number | undefined | null>

function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'number' ? String(child) : child)
  }
}

/** An element with attributes (set as values) and children (strings become text nodes). */
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs ?? {})) if (value !== undefined && value !== null) el.setAttribute(key, String(value))
  append(el, children)
  return el
}

export function s(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag)
  for (const [key, value] of Object.entries(attrs ?? {})) if (value !== undefined && value !== null) el.setAttribute(key, String(value))
  append(el, children)
  return el
}

/** good, bad, warn, info or muted: the colour family of a status word. */
export function tone(status: string): string {
  const word = status.toLowerCase()
  if (/^(ok|healthy|completed?|proven|pass|resolved|none|armed|idle|no drift)$/.test(word)) return 'good'
  if (/^(failed.*|fail|failing|error|timeout|unhealthy|stuck|retry_exhausted|drift|unreadable|needs_human|escalated|kill switch on|stopped)$/.test(word)) return 'bad'
  if (/^(awaiting.*|stopped_.*|due|oracle_takeover|waiting|conflict|blocked|takeover|escalation)$/.test(word)) return 'warn'
  if (/^(running|in.progress|working|actionable|guidance)$/.test(word)) return 'info'
  return 'muted'
}

export function badge(status: string, label?: string): HTMLElement {
  return h('span', { class: `badge ${tone(status)}`, 'data-status': status }, label ?? status.replace(/_/g, ' '))
}

/** `2026-11-20 07:10 UTC`, with the full ISO time as a tooltip. */
export function when(iso: string | null, now?: string): HTMLElement | string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (!Number.isFinite(t)) return iso
  const text = new Date(t).toISOString().slice(0, 16).replace('T', ' ')
  const ago = now === undefined ? '' : relative(Date.parse(now) - t)
  return h('time', { datetime: iso, title: iso }, `${text} UTC`, ago ? h('span', { class: 'ago' }, ` (${ago})`) : null)
}

function relative(ms: number): string {
  if (!Number.isFinite(ms)) return ''
  const future = ms < 0
  const a = Math.abs(ms)
  const text = a < 60_000 ? 'now' : a < 3_600_000 ? `${Math.round(a / 60_000)} min` : a < 172_800_000 ? `${Math.round(a / 3_600_000)} h` : `${Math.round(a / 86_400_000)} d`
  return text === 'now' ? text : future ? `in ${text}` : `${text} ago`
}

export function duration(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  return `${(ms / 60_000).toFixed(1)} min`
}

/** The problems of a panel: one line per file, its line when known. Null when there are none. */
export function problemsBox(problems: readonly Problem[]): HTMLElement | null {
  if (problems.length === 0) return null
  const corrupt = problems.some((p) => p.kind === 'corrupt')
  return h(
    'div',
    { class: `problems ${corrupt ? 'corrupt' : 'missing'}`, role: corrupt ? 'alert' : 'status' },
    h(
      'ul',
      null,
      ...problems.map((p) => h('li', null, h('code', null, p.line === undefined ? p.file : `${p.file}:${p.line}`), ' ', p.message)),
    ),
  )
}

/** A panel: a titled section, its problems first, then its content. */
export function panel(title: string, problems: readonly Problem[], ...body: Child[]): HTMLElement {
  return h('section', { class: 'panel', 'data-panel': title }, h('h2', null, title), problemsBox(problems), ...body)
}

export type Column<T> = [label: string, cell: (row: T) => Child, cls?: string]

export function table<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], empty: string, rowClass?: (row: T) => string | undefined): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty)
  const head = h('tr', null, ...columns.map(([label, , cls]) => h('th', { class: cls }, label)))
  const body = h('tbody')
  for (const row of rows) body.append(h('tr', { class: rowClass?.(row) }, ...columns.map(([, cell, cls]) => h('td', { class: cls }, cell(row)))))
  return h('div', { class: 'scroll' }, h('table', null, h('thead', null, head), body))
}

/** A row of labelled numbers. */
export function stats(items: ReadonlyArray<[label: string, value: string | number, toneName?: string]>): HTMLElement {
  return h('dl', { class: 'stats' }, ...items.map(([label, value, t]) => h('div', { class: `stat ${t ?? ''}` }, h('dt', null, label), h('dd', null, String(value)))))
}

export function code(text: string | null): HTMLElement | string {
  return text === null ? '—' : h('code', null, text)
}
