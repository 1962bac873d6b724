// The HTML of a view: a fixed shell (header, navigation, an empty main) with the view's data
// embedded as JSON and the page script, which draws the view from it. The same page is served
// live and written by `dash build`; links and fetches are relative, so it works from any folder
// of a static host and from file://.

import { VIEWS, type ViewName } from '../model/types.js'

export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  overview: 'Fleet',
  runs: 'Runs',
  'work-orders': 'Work orders',
  schedules: 'Schedules & drift',
  packs: 'Packs & actions',
  orchestrator: 'DAG',
  devfactory: 'DevFactory',
  science: 'Science Lane',
}

/** Where a view's page lives, relative to the site's root. */
export const viewPath = (view: ViewName): string => (view === 'overview' ? 'index.html' : `${view}/index.html`)

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/**
 * JSON that is safe inside <script>: `<`, `>` and `&` as \\u escapes (so no `</script>` or `<!--`
 * can end or bend the element), and the two line separators JavaScript once disallowed.
 */
export function scriptJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

export interface PageOptions {
  view: ViewName
  /** The view's envelope as JSON (what /api/<view>.json answers). */
  json: string
  workspace: string
  /** Served by `oracle dash`: follow the server's changes. */
  live: boolean
}

export function renderPage({ view, json, workspace, live }: PageOptions): string {
  const base = view === 'overview' ? '' : '../'
  const nav = VIEWS.map((v) => `<a href="${base}${viewPath(v)}"${v === view ? ' aria-current="page"' : ''}>${escapeHtml(VIEW_TITLES[v])}</a>`).join('')
  const title = `${VIEW_TITLES[view]} · ${workspace} · oracle dash`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${base}assets/dash.css">
</head>
<body data-view="${view}" data-base="${base}" data-live="${live ? 1 : 0}">
<header class="top"><span class="brand">oracle dash</span><span class="ws">${escapeHtml(workspace)}</span><span class="spacer"></span><span id="asof"></span><span id="live" data-state="static">${live ? 'connecting…' : 'snapshot'}</span></header>
<nav aria-label="Views">${nav}</nav>
<main><h1>${escapeHtml(VIEW_TITLES[view])}</h1><div id="view"><noscript><p>This dashboard draws its views with JavaScript. The data is in <a href="${base}api/${view}.json">api/${view}.json</a>.</p></noscript></div></main>
<script id="dash-data" type="application/json">${scriptJson(json)}</script>
<script src="${base}assets/dash.js"></script>
</body>
</html>
`
}
