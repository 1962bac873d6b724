// Benchmark: `oracle dash` on a synthetic fleet of 1,000 products (5 runs each, health, schedules,
// drift, heal, kill switches), the built CLI and plugin, each server in a process of its own.
// (a) API answer time (median and p95 of 200 keep-alive GETs per endpoint, after 20 warm-up ones),
//     budget ≤ 50 ms; baseline: a bare `http` server answering a pre-serialised JSON of the same
//     size as the overview's.
// (b) The overview of 1,000 products in headless Chromium (Debian's, via playwright-core):
//     navigation start → the table's last row in the DOM, budget ≤ 1 s; baseline: the same table
//     as static HTML with no script, from the bare server.
// Reproduce: npm run bench -- dash   (or: node tools/bench/dash.bench.mjs)
// BENCH_DASH_PRODUCTS (default 1000), BENCH_REPEAT (default 5: page loads per page).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { Agent, get } from 'node:http'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const PRODUCTS = Number(process.env.BENCH_DASH_PRODUCTS ?? 1000)
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const RUNS = 5
const REQUESTS = 200
const WARMUP = 20
const API_BUDGET_MS = 50
const RENDER_BUDGET_MS = 1000
const NOW = '2026-11-22T06:00:00Z'
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

for (const [file, what] of [[join(REPO_ROOT, 'plugins/dash/dist/index.js'), 'plugins/dash/dist: build it first (npm run build)'], [CHROMIUM, `no chromium at ${CHROMIUM}: apt-get install chromium`]]) {
  if (!existsSync(file)) {
    console.error(what)
    process.exit(2)
  }
}

const id = (p) => `product-${String(p).padStart(4, '0')}`
const at = (hours) => new Date(Date.parse(NOW) - hours * 3_600_000).toISOString()

/** The fleet's Dash files: every product with 5 runs and a last_run.json, most with health and a schedule. */
function fleetFiles() {
  const files = {}
  const json = (rel, value) => (files[rel] = JSON.stringify(value, null, 2))
  for (let p = 0; p < PRODUCTS; p++) {
    const product = id(p)
    const intents = {}
    for (let r = 0; r < RUNS; r++) {
      const intent = ['validate', 'test', 'regenerate_report'][r % 3]
      const runId = `${product}.${intent}.${(p * RUNS + r).toString(16).padStart(8, '0')}`
      const status = (p + r) % 9 === 0 ? `failed_${intent === 'regenerate_report' ? 'report' : intent}` : 'ok'
      const finished = at(RUNS - r + (p % 24))
      json(`dash/runs/${product}/${runId}/evidence.json`, { schema_version: 1, run_id: runId, job_id: runId, product_id: product, intent, exit_status: status, exit_code: status === 'ok' ? 0 : 1, attempt: 1, reason: status === 'ok' ? null : 'exited 1', started_at: finished, finished_at: finished, duration_ms: 100 + ((p * 37 + r * 11) % 900) })
      intents[intent] = { run_id: runId, exit_status: status, finished_at: finished }
      if (r === RUNS - 1) json(`dash/runs/${product}/last_run.json`, { schema_version: 1, product_id: product, run_id: runId, job_id: runId, intent, exit_status: status, exit_code: 0, started_at: finished, finished_at: finished, duration_ms: 250, evidence: `dash/runs/${product}/${runId}/evidence.json`, intents })
    }
    json(`dash/health/${product}.json`, { status: p % 10 === 3 ? 'unhealthy' : 'healthy', checked_at: at(2), detail: p % 10 === 3 ? 'index shard unreachable' : 'ok' })
    if (p % 50 === 7) json(`dash/kill_switch/${product}.json`, { enabled: true, reason: 'frozen for a migration', set_by: 'ops', set_at: at(30) })
    json(`dash/schedules/${product}.json`, { schema_version: 1, product_id: product, timezone: p % 2 ? 'Europe/Berlin' : 'UTC', entries: [{ intent: 'validate', cadence: 'daily', time: '06:00' }, { intent: 'test', cadence: 'every_n_hours', hours: 6 }] })
    if (p % 5 === 0) json(`dash/drift/${product}.json`, { schema_version: 1, product_id: product, checked_at: at(3), exit_code: p % 10 ? 0 : 2, summary: { checked: 2, drift: p % 10 ? 0 : 1, errors: 0, ignored: 0 }, items: [{ kind: 'env', key: 'PATH', expected: 'set', actual: 'set', status: 'ok' }], errors: [], ignored: [] })
    if (p % 20 === 11) json(`dash/heal/${product}.json`, { schema_version: 1, product_id: product, intents: { test: { state: 'stopped', attempts: 2, stopped_at: at(4), job_id: null, reason: 'exited 1' } } })
  }
  const products = Array.from({ length: PRODUCTS }, (_, p) => `{ id: '${id(p)}', root: 'products/${id(p)}' }`).join(',\n      ')
  files['oracle.config.mjs'] = `import { defineConfig } from '@oraclekit/kernel'
import dash from '@oraclekit/dash'
import workOrderPlanner from '@oraclekit/work-order-planner'
export default defineConfig({ plugins: [workOrderPlanner({ products: [\n      ${products}\n    ] }), dash()] })\n`
  return files
}

/** Starts a server process and resolves with its URL (the first http://… it prints). */
function startProcess(args, cwd) {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ORACLE_NOW: NOW, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      out += chunk
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0]
      if (url) resolve({ url, child, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGINT'))) })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk) => (out += chunk))
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 })
function timedGet(url) {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    get(url, { agent }, (res) => {
      let bytes = 0
      res.on('data', (chunk) => (bytes += chunk.length))
      res.on('end', () => resolve({ ms: performance.now() - start, bytes, status: res.statusCode }))
    }).on('error', reject)
  })
}

async function answerTimes(url) {
  for (let i = 0; i < WARMUP; i++) await timedGet(url)
  const times = []
  let bytes = 0
  for (let i = 0; i < REQUESTS; i++) {
    const answer = await timedGet(url)
    if (answer.status !== 200) throw new Error(`${url}: HTTP ${answer.status}`)
    times.push(answer.ms)
    bytes = answer.bytes
  }
  times.sort((a, b) => a - b)
  return { median: median(times), p95: times[Math.floor(times.length * 0.95)], bytes }
}

/** ms from navigation start until the table has all its rows (checked every animation frame). */
async function renderTime(page, url) {
  await page.goto('about:blank')
  await page.goto(url, { waitUntil: 'commit' })
  const handle = await page.waitForFunction((n) => (document.querySelectorAll('table tbody tr').length >= n ? performance.now() : false), PRODUCTS, { polling: 'raf', timeout: 30_000 })
  return handle.jsonValue()
}

/** The baseline server: the same bytes, pre-serialised, from a bare `http` server with nothing else. */
const BARE_SERVER = `
const { createServer } = require('node:http'); const { readFileSync } = require('node:fs')
const json = readFileSync(process.argv[1]); const html = readFileSync(process.argv[2])
createServer((req, res) => {
  const page = req.url === '/table.html'
  res.writeHead(200, { 'Content-Type': page ? 'text/html; charset=utf-8' : 'application/json', 'Content-Length': (page ? html : json).length })
  res.end(page ? html : json)
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port + '/') })`

const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
function staticTable(overview) {
  const cell = (p) => [p.id, `${p.health?.status ?? ''} ${p.health?.detail ?? ''}`, p.kill_switch?.enabled ? `on ${p.kill_switch.reason ?? ''}` : 'off', p.last_run ? `${p.last_run.exit_status} ${p.last_run.intent} ${p.last_run.finished_at}` : 'no runs', p.schedule?.next ? `next ${p.schedule.next.intent} ${p.schedule.next.at}` : '', p.drift?.verdict ?? 'not checked', p.heal_stopped.join(', ')]
  const rows = overview.data.products.map((p) => `<tr>${cell(p).map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>static</title></head><body><table><thead><tr><th>product</th><th>health</th><th>kill switch</th><th>last run</th><th>next</th><th>drift</th><th>heal</th></tr></thead><tbody>\n${rows}\n</tbody></table></body></html>`
}

const ws = await makeWorkspace(fleetFiles())
let dash
let bare
let browser
try {
  const t0 = performance.now()
  dash = await startProcess([CLI, 'dash', '--port', '0'], ws.dir)
  const startMs = performance.now() - t0
  const overview = await (await fetch(`${dash.url}api/overview.json`)).json()
  if (overview.data.products.length !== PRODUCTS) throw new Error(`the overview has ${overview.data.products.length} products`)
  mkdirSync(join(ws.dir, 'bare'))
  const overviewJson = JSON.stringify(overview)
  writeFileSync(join(ws.dir, 'bare/overview.json'), overviewJson)
  writeFileSync(join(ws.dir, 'bare/table.html'), staticTable(overview))
  bare = await startProcess(['-e', BARE_SERVER, join(ws.dir, 'bare/overview.json'), join(ws.dir, 'bare/table.html')], ws.dir)

  const api = {
    baseline: await answerTimes(`${bare.url}overview.json`),
    overview: await answerTimes(`${dash.url}api/overview.json`),
    runs: await answerTimes(`${dash.url}api/runs.json`),
    schedules: await answerTimes(`${dash.url}api/schedules.json`),
    page: await answerTimes(dash.url),
  }

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  const page = await browser.newPage()
  const render = { baseline: [], dash: [] }
  await renderTime(page, `${bare.url}table.html`)
  await renderTime(page, dash.url)
  for (let i = 0; i < REPEAT; i++) {
    render.baseline.push(await renderTime(page, `${bare.url}table.html`))
    render.dash.push(await renderTime(page, dash.url))
  }

  const worstApi = Math.max(api.overview.p95, api.runs.p95, api.schedules.p95, api.page.p95)
  const worstRender = Math.max(...render.dash)
  const ok = worstApi <= API_BUDGET_MS && worstRender <= RENDER_BUDGET_MS
  const kb = (n) => `${fmt(n / 1024, 0)} KB`
  const apiRow = (label, a) => [label, kb(a.bytes), `${fmt(a.median, 2)} ms`, `${fmt(a.p95, 2)} ms`, `${fmt(a.median / api.baseline.median, 2)}×`]
  const renderRow = (label, values) => [label, `${fmt(median(values), 0)} ms`, `${fmt(Math.max(...values), 0)} ms`, `${fmt(median(values) / median(render.baseline), 2)}×`]
  const md = [
    '### dash: the JSON API and the overview page',
    '',
    `Command: \`npm run bench -- dash\` (${machine()}; ${new Intl.NumberFormat('en').format(PRODUCTS)} products × ${RUNS} runs, with health, schedules, drift, heal and kill switches; \`oracle dash\` started by the built CLI in ${fmt(startMs / 1000, 1)} s, model included; clock pinned).`,
    '',
    `**API.** ${REQUESTS} GETs per endpoint, one at a time on a keep-alive connection, after ${WARMUP} warm-up ones; each server in a process of its own. The baseline is the floor: a bare \`http\` server answering a pre-serialised JSON of the overview's size, nothing else. The dash answers from the model it keeps in memory, each view's JSON serialised once per change.`,
    '',
    table(['endpoint', 'size', 'median', 'p95', 'ratio to baseline (median)'], [
      apiRow('baseline: bare `http`, pre-serialised JSON', api.baseline),
      apiRow('`/api/overview.json`', api.overview),
      apiRow('`/api/runs.json` (newest 500 runs)', api.runs),
      apiRow('`/api/schedules.json`', api.schedules),
      apiRow('`/` (the overview page, data embedded)', api.page),
    ]),
    '',
    `**Overview in Chromium.** Headless Chromium ${browser.version()} (Debian's, via playwright-core); from navigation start until the table's ${new Intl.NumberFormat('en').format(PRODUCTS)}th row is in the DOM (checked every animation frame), median and worst of ${REPEAT} loads after one warm-up each. The dash's page embeds the view's JSON and draws it with its script (one script, one stylesheet); the baseline is the same table as static HTML with no script, from the bare server.`,
    '',
    table(['page', 'median', 'worst', 'ratio to baseline'], [renderRow('baseline: static HTML table, no script', render.baseline), renderRow('`oracle dash` overview', render.dash)]),
    '',
    `Budgets: API ≤ ${API_BUDGET_MS} ms — **${worstApi <= API_BUDGET_MS ? 'met' : 'NOT met'}** (worst p95 ${fmt(worstApi, 2)} ms); overview ≤ ${RENDER_BUDGET_MS} ms — **${worstRender <= RENDER_BUDGET_MS ? 'met' : 'NOT met'}** (worst ${fmt(worstRender, 0)} ms).`,
  ].join('\n')
  writeSection('dash', md)
  process.exitCode = report('dash', md, ok)
} finally {
  await browser?.close()
  await dash?.stop()
  await bare?.stop()
  agent.destroy()
  await ws.cleanup()
}
