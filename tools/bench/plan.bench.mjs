// Benchmark: `oracle plan --budget 3` over generated fleets of 100, 1,000 and 10,000 products
// (budget at 10,000: worst ≤ 2 s and peak RSS ≤ 300 MB), compared in the same run with a bare
// Node process that reads and parses the same artifact files.
// Reproduce: npm run bench -- plan   (or: node tools/bench/plan.bench.mjs)
// BENCH_REPEAT (default 5) sets the runs per size; BENCH_PLAN_SIZES (e.g. "100,1000") the sizes.
// At 10,000 products a budget miss (or BENCH_PROFILE=1) adds a CPU profile of one run, summarised
// by self time; BENCH_PROFILE_OUT=<file> keeps the .cpuprofile.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, profileSelfTime, report, table, writeSection } from './lib.mjs'

const SIZES = (process.env.BENCH_PLAN_SIZES ?? '100,1000,10000').split(',').map(Number)
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const BUDGET_SIZE = 10_000
const BUDGET_MS = 2000
const BUDGET_RSS_MB = 300
const NOW = '2026-11-20T08:00:00.000Z'
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN_DIST = join(REPO_ROOT, 'plugins/work-order-planner/dist/index.js')
const PLUGIN = pathToFileURL(PLUGIN_DIST).href
const HOUR = 3_600_000
const DAY = 24 * HOUR

if (!existsSync(PLUGIN_DIST)) {
  console.error('plugins/work-order-planner/dist is missing: build it first (cd plugins/work-order-planner && npx tsup)')
  process.exit(2)
}

// ---------------------------------------------------------------------------------------------
// The fleet, generated from a seed: the same files on every run.

/** mulberry32: a small seeded PRNG, so the fleet is the same on every run and machine. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` distinct indices of 0..n-1, chosen by the seed (exact shares, not approximate ones). */
function pick(rand, n, count) {
  const all = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[all[i], all[j]] = [all[j], all[i]]
  }
  return new Set(all.slice(0, count))
}

const AREAS = ['billing', 'checkout', 'search', 'catalog', 'accounts', 'reports', 'ledger', 'notify', 'inventory', 'pricing', 'shipping', 'auth']
const KINDS = ['api', 'app', 'worker', 'indexer', 'service', 'sync', 'etl', 'gateway']
const OWNERS = ['payments', 'storefront', 'search', 'platform', 'data', 'growth', 'ops']

function generateFleet(size, seed) {
  const rand = prng(seed)
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1))
  const hex = () => Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0')
  const now = Date.parse(NOW)
  const compact = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '.000Z')

  const killed = pick(rand, size, Math.round(size * 0.05))
  const unhealthy = pick(rand, size, Math.round(size * 0.05))
  const withDossier = pick(rand, size, Math.round(size * 0.1))
  const onRoadmap = pick(rand, size, Math.max(1, Math.round(size * 0.01)))

  const files = {}
  const products = []
  const roadmap = { now: [], next: [], later: [] }
  let expectedCandidates = 0
  let held = 0
  let pendingRows = 0

  for (let i = 0; i < size; i++) {
    const area = AREAS[i % AREAS.length]
    const kind = KINDS[Math.floor(i / AREAS.length) % KINDS.length]
    const id = `${area}-${kind}-${String(i + 1).padStart(5, '0')}`
    const owner = OWNERS[int(0, OWNERS.length - 1)]
    const product = {
      id,
      root: `products/${id}`,
      commands: {
        validate: ['node', 'scripts/validate.mjs'],
        test: ['node', '--test', `test/${area}.test.mjs`],
        regenerate_report: ['node', 'scripts/report.mjs', '--out', 'report/summary.json'],
      },
    }
    if (unhealthy.has(i) || rand() < 0.15) product.health = { command: ['node', 'scripts/health.mjs'], timeoutMs: 5000 }
    if (rand() < 0.1) product.priority = [5, 10, -5][int(0, 2)]
    if (rand() < 0.05) product.caps = { maxWorkOrders: 1 }
    if (rand() < 0.05) product.env = { NODE_ENV: 'test', TZ: 'UTC' }
    products.push(product)

    // dash/runs/<id>/last_run.json: validate, test and report, each with its latest job.
    const validateEnd = now - int(10 * 60_000, 48 * HOUR)
    const validateStatus = rand() < 0.08 ? 'failed_validate' : 'ok'
    const testEnd = validateStatus === 'ok' ? validateEnd + int(1000, 120_000) : validateEnd - int(HOUR, 72 * HOUR)
    const testStatus = rand() < 0.12 ? 'failed_test' : 'ok'
    const reportEnd = now - int(5 * 60_000, 7 * DAY)
    const jobs = [
      { intent: 'validate', status: validateStatus, end: validateEnd, ms: int(300, 5000) },
      { intent: 'test', status: testStatus, end: testEnd, ms: int(1000, 120_000) },
      { intent: 'regenerate_report', status: 'ok', end: reportEnd, ms: int(200, 8000) },
    ].map((job) => ({ ...job, run_id: `${compact(job.end - job.ms)}-${hex()}` }))
    const latest = jobs.reduce((a, b) => (b.end > a.end ? b : a))
    files[`dash/runs/${id}/last_run.json`] = `${JSON.stringify(
      {
        schema_version: 1,
        product_id: id,
        run_id: latest.run_id,
        job_id: `${id}.${latest.intent}.${latest.run_id.slice(-8)}`,
        intent: latest.intent,
        exit_status: latest.status,
        exit_code: latest.status === 'ok' ? 0 : 1,
        started_at: new Date(latest.end - latest.ms).toISOString(),
        finished_at: new Date(latest.end).toISOString(),
        duration_ms: latest.ms,
        evidence: `dash/runs/${id}/${latest.run_id}/evidence.json`,
        intents: Object.fromEntries(jobs.map((job) => [job.intent, { run_id: job.run_id, exit_status: job.status, finished_at: new Date(job.end).toISOString() }])),
      },
      null,
      2,
    )}\n`

    if (killed.has(i)) {
      files[`dash/kill_switch/${id}.json`] = `${JSON.stringify({ enabled: true, reason: 'frozen during the data migration', set_by: `${owner}@example.com`, set_at: new Date(now - int(HOUR, 5 * DAY)).toISOString() }, null, 2)}\n`
    }
    if (unhealthy.has(i)) {
      files[`dash/health/${id}.json`] = `${JSON.stringify({ status: 'unhealthy', checked_at: new Date(now - int(60_000, 6 * HOUR)).toISOString(), detail: `${kind} shard ${int(1, 8)} unreachable`, exit_code: 1 }, null, 2)}\n`
    }
    if (killed.has(i)) held++
    else if (unhealthy.has(i)) {
      held++
      expectedCandidates += 1
    } else expectedCandidates += 3

    const dossierId = `DOS-202610${String(int(1, 28)).padStart(2, '0')}-${id}`
    if (withDossier.has(i)) {
      files[`docs/pm/dossiers/${dossierId}.md`] = dossier(dossierId, id, area, kind, owner, ['approved', 'in_progress', 'approved', 'draft'][i % 4])
      files[`docs/pm/specs/${id}.md`] = spec(dossierId, id, area, owner)
      pendingRows += 2
    }
    if (onRoadmap.has(i)) {
      const lane = ['now', 'next', 'later'][(roadmap.now.length + roadmap.next.length + roadmap.later.length) % 3]
      roadmap[lane].push(`- ${id}: ${area} ${kind} — ship the next milestone${withDossier.has(i) ? ` (${dossierId})` : ''}.`)
    }
  }
  files['docs/pm/ROADMAP.md'] = [
    '# Roadmap',
    '',
    "The fleet's product priorities. Each line names one product and, where there is one, its dossier.",
    '',
    '## Now',
    ...roadmap.now,
    '',
    '## Next',
    ...roadmap.next,
    '',
    '## Later',
    ...roadmap.later,
    '',
  ].join('\n')
  // The config: the plugin's dist by file URL, and the fleet as one literal.
  files['oracle.config.mjs'] = `import workOrderPlanner from ${JSON.stringify(PLUGIN)}\n\nexport default {\n  plugins: [\n    workOrderPlanner({\n      products: ${JSON.stringify(products, null, 1)},\n    }),\n  ],\n}\n`
  return { files, expectedCandidates, held, pendingRows, roadmapLines: onRoadmap.size }
}

function dossier(dossierId, id, area, kind, owner, status) {
  return `---
schema_version: "0.1"
dossier_id: "${dossierId}"
product_id: "${id}"
owner: "${owner}"
status: "${status}"
created_at: "2026-10-01"
hypothesis:
  problem: "The ${area} ${kind} drops requests it could have served when a dependency is briefly unavailable."
  claim: "Retrying transient failures with capped backoff recovers most of them without duplicate side effects."
  falsification: "If fewer than half of the transient failures succeed on retry, or if a request is applied twice."
mvp_boundary:
  in_scope:
    - "Retry policy file with max attempts, base and max delay"
    - "Backoff schedule computed from the policy"
  non_goals:
    - "Changing the public API"
acceptance_proofs:
  - text: "Proof 1: backoff delays double per retry and stop at max_delay_ms"
    status: "pass"
    evidence:
      - "products/${id}/test/${area}.test.mjs"
  - "Proof 2: a Retry-After header overrides the computed delay"
  - "Proof 3: the report lists the worst-case wait per policy"
evidence:
  links:
    - "docs/pm/specs/${id}.md"
constitution_refs:
  - "docs/pm/ROADMAP.md"
---

# Design Dossier: ${area} ${kind} retries

## 1. Context & Problem

${id} gives up after the first failure, including failures its dependencies mark as transient.

## 2. Hypothesis

If ${id} retries transient failures with capped exponential backoff, most of them succeed
without a second action, and permanent failures are still never retried.

## 3. Evidence Plan

| Artifact | Purpose |
|----------|---------|
| \`products/${id}/test/${area}.test.mjs\` | Backoff and retryable-status tests |
| \`dash/runs/${id}/last_run.json\` | Latest validate, test and report runs |
`
}

function spec(dossierId, id, area, owner) {
  return `# Spec: ${area} retries

Product: ${id}
Dossier: ${dossierId}
Status: Approved
Owner: ${owner}

## 1. Intent
Transient failures are retried with capped exponential backoff; permanent ones never are.

## 2. Functional Requirements
- **FR-001**: The retry policy gives max attempts, base and max delay; delays double per retry up to the max.
- **FR-002**: A \`Retry-After\` header overrides the computed delay, within max_delay_ms.
- **FR-003**: \`scripts/report.mjs\` writes the retry schedule and its worst-case wait.

## 3. Traceability Map
| Requirement | File/Component | Test Case | Status |
|-------------|----------------|-----------|--------|
| FR-001 | \`products/${id}/src/retry.mjs\` | \`products/${id}/test/${area}.test.mjs\` | Done |
| FR-002 | \`products/${id}/src/retry.mjs\` | \`products/${id}/test/retry-after.test.mjs\` | Pending |
| FR-003 | \`products/${id}/scripts/report.mjs\` | \`products/${id}/test/report.test.mjs\` | Pending |
`
}

// The baseline: Node start-up, then every artifact file the plan reads, read and (JSON) parsed.
const BASELINE = `import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
let files = 0
let bytes = 0
function walk(dir) {
  let entries
  try { entries = readdirSync(dir, { withFileTypes: true }) } catch { return }
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else {
      const text = readFileSync(path, 'utf8')
      if (entry.name.endsWith('.json')) JSON.parse(text)
      files++
      bytes += text.length
    }
  }
}
walk('dash')
walk('docs/pm')
console.log(JSON.stringify({ files, bytes }))
`

// ---------------------------------------------------------------------------------------------
// Measuring: wall time of the whole process, and its peak RSS.

// GNU time prints the peak RSS in KB; without it, a preload records process.resourceUsage().maxRSS.
const gnuTime = existsSync('/usr/bin/time') && /^\d+\s*$/.test(String(spawnSync('/usr/bin/time', ['-f', '%M', 'true']).stderr ?? ''))
const scratch = mkdtempSync(join(tmpdir(), 'oraclekit-bench-plan-'))
const RSS_FILE = join(scratch, 'maxrss')
const PRELOAD = join(scratch, 'maxrss.mjs')
writeFileSync(PRELOAD, `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))\n`)

/** Runs `node <args>` in `cwd`; returns its wall time (ms), peak RSS (MB) and stdout. */
function measure(cwd, args) {
  const env = { ...process.env, NO_COLOR: '1', ORACLE_NOW: NOW, BENCH_RSS_FILE: RSS_FILE }
  const [command, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', process.execPath, ...args]] : [process.execPath, ['--import', pathToFileURL(PRELOAD).href, ...args]]
  const start = performance.now()
  const result = spawnSync(command, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ms = performance.now() - start
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout.slice(0, 2000)}`)
  const kb = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number(readFileSync(RSS_FILE, 'utf8'))
  return { ms, rssMb: kb / 1024, stdout: result.stdout }
}

/** One plan run under --cpu-prof; self time summed by function, top 25. */
function cpuProfile(cwd) {
  const dir = join(scratch, 'prof')
  const result = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...PLAN], { cwd, env: { ...process.env, NO_COLOR: '1', ORACLE_NOW: NOW }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) throw new Error(`profiled plan exited ${result.status}: ${result.stderr}`)
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(prof))
  return profileSelfTime(prof)
}

const PLAN = [CLI, 'plan', '--budget', '3']
const HELP = [CLI, '--help']

const results = []
let profile
try {
  for (const size of SIZES) {
    const fleet = generateFleet(size, 20261120 + size)
    const writeStart = performance.now()
    const ws = await makeWorkspace({ ...fleet.files, 'baseline.mjs': BASELINE })
    const writeMs = performance.now() - writeStart
    try {
      // One untimed run: checks the plan reads the whole fleet, and warms the file cache.
      const first = measure(ws.dir, PLAN)
      const head = /^(\d+) work order\(s\) of (\d+) candidate\(s\)/.exec(first.stdout)
      const heldLines = first.stdout.split('\n').filter((line) => line.startsWith('  held: ')).length
      if (!head || Number(head[1]) !== 3 || Number(head[2]) !== fleet.expectedCandidates || heldLines !== fleet.held) {
        throw new Error(`unexpected plan at ${size} products (expected 3 of ${fleet.expectedCandidates} candidates, ${fleet.held} held):\n${first.stdout.slice(0, 2000)}`)
      }
      const read = JSON.parse(measure(ws.dir, ['baseline.mjs']).stdout)
      const plans = []
      const baselines = []
      const helps = []
      for (let i = 0; i < REPEAT; i++) {
        baselines.push(measure(ws.dir, ['baseline.mjs']))
        helps.push(measure(ws.dir, HELP))
        plans.push(measure(ws.dir, PLAN))
      }
      const configKb = Buffer.byteLength(fleet.files['oracle.config.mjs']) / 1024
      results.push({ size, fleet, read, writeMs, configKb, plans, baselines, helps, candidates: Number(head[2]) })
      console.log(`${size} products: plan median ${fmt(median(plans.map((r) => r.ms)))} ms, peak RSS ${fmt(Math.max(...plans.map((r) => r.rssMb)))} MB (workspace written in ${fmt(writeMs / 1000, 2)} s)`)
      if (size === BUDGET_SIZE) {
        const worst = Math.max(...plans.map((r) => r.ms))
        const rss = Math.max(...plans.map((r) => r.rssMb))
        if (worst > BUDGET_MS || rss > BUDGET_RSS_MB || process.env.BENCH_PROFILE) profile = cpuProfile(ws.dir)
      }
    } finally {
      await ws.cleanup()
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

// ---------------------------------------------------------------------------------------------
// Report

const rows = []
const baseRows = []
let previous
for (const r of results) {
  const planMs = median(r.plans.map((x) => x.ms))
  const worst = Math.max(...r.plans.map((x) => x.ms))
  const rss = Math.max(...r.plans.map((x) => x.rssMb))
  const base = median(r.baselines.map((x) => x.ms))
  const help = median(r.helps.map((x) => x.ms))
  const scaling = previous ? `${fmt(planMs / previous.planMs, 2)}× for ${fmt(r.size / previous.size, 0)}× the products` : '—'
  rows.push([r.size.toLocaleString('en-US'), `${fmt(planMs)} ms`, `${fmt(worst)} ms`, `${fmt(rss)} MB`, `${fmt(planMs / base, 2)}×`, `${fmt((planMs * 1000) / r.size, 0)} µs`, scaling])
  baseRows.push([
    r.size.toLocaleString('en-US'),
    `${r.read.files.toLocaleString('en-US')} files, ${fmt(r.read.bytes / 1024 / 1024, 1)} MB of artifacts; config ${r.configKb >= 1024 ? `${fmt(r.configKb / 1024, 1)} MB` : `${fmt(r.configKb, 0)} KB`}`,
    `${fmt(base)} ms (${fmt(Math.max(...r.baselines.map((x) => x.rssMb)))} MB)`,
    `${fmt(help)} ms (${fmt(Math.max(...r.helps.map((x) => x.rssMb)))} MB)`,
    `${fmt(planMs - help)} ms`,
  ])
  previous = { size: r.size, planMs }
}

const at = results.find((r) => r.size === BUDGET_SIZE)
const worstAt = at ? Math.max(...at.plans.map((x) => x.ms)) : NaN
const rssAt = at ? Math.max(...at.plans.map((x) => x.rssMb)) : NaN
const okTime = worstAt <= BUDGET_MS
const okRss = rssAt <= BUDGET_RSS_MB
const ok = Boolean(at) && okTime && okRss
const rssHow = gnuTime ? 'GNU `/usr/bin/time -f %M`' : 'a preload writing `process.resourceUsage().maxRSS` at exit'
const sample = results.at(-1)?.fleet

const md = [
  '### Work-order planning at fleet scale',
  '',
  `Command: \`npm run bench -- plan\` (median of ${REPEAT} per size, interleaved with the baseline, after one untimed run; ${machine()}).`,
  `A realistic, seeded fleet per size: every product declares validate, test and regenerate_report commands (argv arrays; some have a health command, a priority, a cap or env) and has a \`dash/runs/<id>/last_run.json\` (latest validate / test / report jobs: mostly ok, 8 % failed_validate, 12 % failed_test; reports 5 min to 7 days old, so many are stale); 5 % have a kill switch on, 5 % an unhealthy health file; 10 % have a dossier (YAML front matter, 3 acceptance proofs) and a spec whose traceability table has 3 rows, 2 Pending; one ROADMAP.md names 1 % of the products under Now / Next / Later. The config is an \`oracle.config.mjs\` with the products as one literal. Each run is the whole \`oracle plan --budget 3\` process with \`ORACLE_NOW\` pinned: Node and CLI start-up, loading and validating the config, reading every artifact, ranking, writing 3 work orders${sample ? ` (at ${results.at(-1).size.toLocaleString('en-US')} products: ${results.at(-1).candidates.toLocaleString('en-US')} candidates, ${sample.held.toLocaleString('en-US')} products held, ${sample.pendingRows.toLocaleString('en-US')} pending rows)` : ''}. Peak RSS is measured with ${rssHow}. The baseline is a bare \`node\` process that walks dash/ and docs/pm/ and reads every file (\`JSON.parse\` of the .json ones): the floor for a process that reads the same artifacts.`,
  '',
  table(['products', '`oracle plan --budget 3` median', 'worst', 'peak RSS', 'ratio to baseline', 'time per product', 'scaling vs the size before'], rows),
  '',
  'Where the time goes: the baseline, and `oracle --help` in the same workspace (start-up plus loading and validating the config of the whole fleet, no artifact read).',
  '',
  table(['products', 'artifacts read by the baseline', 'baseline median (peak RSS)', '`oracle --help` median (peak RSS)', 'plan − help'], baseRows),
  '',
  `Budget at ${BUDGET_SIZE.toLocaleString('en-US')} products: worst ≤ ${BUDGET_MS} ms and peak RSS ≤ ${BUDGET_RSS_MB} MB — **${ok ? 'met' : 'NOT met'}** (worst ${fmt(worstAt)} ms — ${okTime ? 'met' : 'NOT met'}; peak RSS ${fmt(rssAt)} MB — ${okRss ? 'met' : 'NOT met'}).`,
  ...(profile && !ok
    ? ['', `CPU profile of one plan run at ${BUDGET_SIZE.toLocaleString('en-US')} products (\`node --cpu-prof\`, ${fmt(profile.total)} ms sampled), top 10 by self time:`, '', table(['function', 'self'], profile.top.slice(0, 10).map(([name, ms]) => [`\`${name}\``, `${fmt(ms)} ms (${fmt((100 * ms) / profile.total)} %)`]))]
    : []),
].join('\n')

if (profile) {
  console.log(`\nCPU profile, one plan run at ${BUDGET_SIZE} products (${fmt(profile.total)} ms sampled), top 25 by self time:`)
  for (const [name, ms] of profile.top) console.log(`${fmt(ms).padStart(8)} ms ${fmt((100 * ms) / profile.total).padStart(5)} %  ${name}`)
}
writeSection('plan', md)
process.exitCode = report('plan', md, ok)
