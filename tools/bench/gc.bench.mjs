// Benchmark: gc_runs over 1,000 products × 50 runs each (budget ≤ 3 s), compared in the same run
// with the floor: fs.rmSync of the same run folders, one by one, with nothing read or decided.
// The gc module is bundled alone with esbuild (the plugin's entry may be mid-change) and timed as
// `oracle fleet gc` runs it: planGc then applyGc, product after product.
// Reproduce: npm run bench -- gc   (or: node tools/bench/gc.bench.mjs)
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const PRODUCTS = Number(process.env.BENCH_GC_PRODUCTS ?? 1000)
const RUNS = 50
const KEEP = 10
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)
const BUDGET_MS = 3000
const MARKED = 20
// Per product: the newest run is ok (the last successful, protected and not counted), the 10
// newest after it, and run 20, marked KEEP, stay; the other 38 go.
const KEPT = KEEP + 2
const BASE = Date.UTC(2026, 2, 1)

const productId = (p) => `product-${String(p).padStart(4, '0')}`
const runId = (p, r) => `${productId(p)}.test.${(p * RUNS + r).toString(16).padStart(8, '0')}`
const stdout = 'x'.repeat(2048)

function evidence(p, r) {
  const at = new Date(BASE + r * 3_600_000).toISOString()
  const status = r === RUNS - 1 || r % 7 !== 3 ? 'ok' : 'failed_test'
  return JSON.stringify({ schema_version: 1, run_id: runId(p, r), job_id: runId(p, r), product_id: productId(p), intent: 'test', exit_status: status, started_at: at, finished_at: at, stdout: 'stdout.log', stderr: 'stderr.log' })
}

/** The fleet's runs folder: every run with an evidence.json and a 2 KB stdout.log. */
function writeFleet(root) {
  for (let p = 0; p < PRODUCTS; p++) {
    const dir = join(root, 'dash/runs', productId(p))
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'last_run.json'), '{}')
    for (let r = 0; r < RUNS; r++) {
      const run = join(dir, runId(p, r))
      mkdirSync(run)
      writeFileSync(join(run, 'evidence.json'), evidence(p, r))
      writeFileSync(join(run, 'stdout.log'), stdout)
      if (r === MARKED) writeFileSync(join(run, 'KEEP'), '')
    }
  }
}

/** The runs gc deletes, by path: runs 0–37 of each product but run 20, which is marked KEEP. */
function doomed(root) {
  const folders = []
  for (let p = 0; p < PRODUCTS; p++) {
    for (let r = 0; r < RUNS - KEEP - 1; r++) if (r !== MARKED) folders.push(join(root, 'dash/runs', productId(p), runId(p, r)))
  }
  return folders
}

/** sync(1): dirty pages to disk before a timed part. */
const flush = () => spawnSync('sync', { stdio: 'ignore' })

const ws = await makeWorkspace({})
try {
  // Beside the workspace's node_modules, so that the bundle's @oraclekit/kernel import resolves.
  const bundle = join(ws.dir, 'gc.mjs')
  const built = spawnSync(
    join(REPO_ROOT, 'node_modules/.bin/esbuild'),
    [join(REPO_ROOT, 'plugins/fleet-ops/src/gc/collect.ts'), '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--external:@oraclekit/kernel', '--log-level=warning'],
    { encoding: 'utf8' },
  )
  if (built.status !== 0) throw new Error(`esbuild failed: ${built.stderr}`)
  const { planGc, applyGc } = await import(pathToFileURL(bundle).href)

  const expected = PRODUCTS * (RUNS - KEPT)
  const rows = { baseline: [], plan: [], apply: [], total: [] }
  let deletedRuns = 0
  for (let i = 0; i < REPEAT; i++) {
    const root = join(ws.dir, `fleet-${i}`)
    const floor = join(ws.dir, `floor-${i}`)
    writeFleet(root)
    writeFleet(floor)
    const folders = doomed(floor)
    if (folders.length !== expected) throw new Error(`the baseline has ${folders.length} folders, not ${expected}`)

    // Each timed part starts with nothing left to write back, so neither pays for the other's writes.
    flush()
    let start = performance.now()
    for (const dir of folders) rmSync(dir, { recursive: true })
    rows.baseline.push(performance.now() - start)

    flush()
    let planMs = 0
    let applyMs = 0
    deletedRuns = 0
    const products = readdirSync(join(root, 'dash/runs')).sort()
    for (const product of products) {
      start = performance.now()
      const plan = await planGc({ rootDir: root, runsDir: 'dash/runs', productId: product, keep: KEEP })
      const mid = performance.now()
      const outcome = await applyGc(plan, { rootDir: root })
      applyMs += performance.now() - mid
      planMs += mid - start
      deletedRuns += outcome.deleted.length
    }
    rows.plan.push(planMs)
    rows.apply.push(applyMs)
    rows.total.push(planMs + applyMs)

    const left = products.reduce((n, product) => n + readdirSync(join(root, 'dash/runs', product)).length - 1, 0)
    if (deletedRuns !== expected || left !== PRODUCTS * KEPT) throw new Error(`gc deleted ${deletedRuns} runs and left ${left}; expected ${expected} and ${PRODUCTS * KEPT}`)
    rmSync(root, { recursive: true, force: true })
    rmSync(floor, { recursive: true, force: true })
  }

  const base = median(rows.baseline)
  const total = median(rows.total)
  const worst = Math.max(...rows.total)
  const ok = worst <= BUDGET_MS
  const row = (label, values, deleted) => [label, `${fmt(median(values))} ms`, `${fmt(Math.max(...values))} ms`, deleted, `${fmt(median(values) / base, 2)}×`]
  const md = [
    '### GC of run folders',
    '',
    `Command: \`npm run bench -- gc\` (median of ${REPEAT}; ${machine()}).`,
    `${PRODUCTS.toLocaleString('en')} products × ${RUNS} runs (${(PRODUCTS * RUNS).toLocaleString('en')} run folders, each an evidence.json and a 2 KB stdout.log; run ${MARKED} of each product marked KEEP, the newest ok), keep ${KEEP}: per product ${KEPT} runs stay and ${RUNS - KEPT} go. ` +
      'gc is `planGc` (list the product folder, read every run folder and its evidence.json, decide) then `applyGc` (check every folder again with lstat and realpath, then `fs.rm`), product after product, in one warm process; the gc module is bundled alone with esbuild. Each timed part starts after `sync`, with the trees just written (warm caches). ' +
      'The baseline is the floor: the same fleet written again, and `fs.rmSync` of the very folders gc deletes, one by one, in a loop, with nothing read or checked.',
    '',
    table(
      ['run', 'median', 'worst', 'runs deleted', 'ratio to baseline'],
      [
        row('baseline: `fs.rmSync` of each folder in a loop', rows.baseline, expected.toLocaleString('en')),
        row('`planGc`: read and decide', rows.plan, '—'),
        row('`applyGc`: re-check and delete', rows.apply, deletedRuns.toLocaleString('en')),
        row('gc: plan + apply', rows.total, deletedRuns.toLocaleString('en')),
      ],
    ),
    '',
    `Budget: plan + apply ≤ ${BUDGET_MS} ms — **${ok ? 'met' : 'NOT met'}** (worst ${fmt(worst)} ms, median ${fmt(total)} ms).` +
      (base > BUDGET_MS ? ` The floor alone is over the budget on this machine: ${fmt((base * 1000) / expected, 0)} µs to remove one folder of two files.` : ''),
  ].join('\n')
  writeSection('gc', md)
  process.exitCode = report('gc', md, ok)
} finally {
  await ws.cleanup()
}
