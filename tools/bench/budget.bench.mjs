// Benchmark: budget precision. A run with a 500 ms wall-time budget over jobs that never end (each
// waits on a child process that never exits) must stop within 600 ms, its processes gone.
// Reproduce: npm run bench -- budget   (or: node tools/bench/budget.bench.mjs)
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createKernel, isAlive } from '@oraclekit/kernel'
import { fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const REPEAT = Number(process.env.BENCH_REPEAT ?? 10)
const BUDGET_MS = 500
const LIMIT_MS = 600

const ws = await makeWorkspace({
  // Each job starts a shell that records its pid and becomes `sleep 1000`, plus a grandchild.
  'forever.mjs': `export default async function forever(input, ctx) {
  await ctx.exec('sh', ['-c', 'sleep 1000 & echo $! > pids/' + ctx.job.id + '-grandchild; echo $$ > pids/' + ctx.job.id + '; exec sleep 1000'])
}
`,
  'pids/.keep': '',
  'oracle.config.mjs': `export default { plugins: [{ name: 'bench', intents: [{ name: 'forever', module: new URL('./forever.mjs', import.meta.url) }] }], run: { maxParallel: 2, killGraceMs: 1000 } }\n`,
})

try {
  const kernel = await createKernel({ cwd: ws.dir })
  const rows = []
  let allGone = true
  let worst = 0
  const times = []
  for (let i = 0; i < REPEAT; i++) {
    const jobs = Array.from({ length: 4 }, (_, j) => ({ id: `r${i}-j${j}`, intent: 'forever', input: {} }))
    const start = performance.now()
    const result = await kernel.runIntents({ jobs, runId: `budget-${i}`, budget: { maxRunTimeMs: BUDGET_MS } })
    const ms = performance.now() - start
    const pids = readdirSync(join(ws.dir, 'pids'))
      .filter((f) => f.startsWith(`r${i}-`))
      .map((f) => Number(readFileSync(join(ws.dir, 'pids', f), 'utf8').trim()))
    const alive = pids.filter((pid) => isAlive(pid))
    allGone &&= alive.length === 0 && pids.length > 0
    worst = Math.max(worst, ms)
    times.push(ms)
    rows.push([String(i + 1), `${fmt(ms)} ms`, result.stopReason?.kind ?? result.status, `${result.jobs.filter((j) => j.status === 'stopped').length} stopped, ${result.jobs.filter((j) => j.status === 'skipped').length} skipped`, `${pids.length} started, ${alive.length} alive`])
  }
  const ok = worst <= LIMIT_MS && allGone
  const md = [
    '### Budget precision',
    '',
    `Command: \`npm run bench -- budget\` (${REPEAT} runs; ${machine()}).`,
    `Each run has 4 jobs that never end (each waits on \`sleep 1000\` and has a backgrounded grandchild), maxParallel 2 and \`maxRunTimeMs: ${BUDGET_MS}\`. Time is from the call to \`runIntents\` to its return, which is after the worker threads are terminated and every process of the stopped jobs is dead (SIGTERM; SIGKILL after the grace).`,
    '',
    table(['run', 'stopped after', 'stop reason', 'jobs', 'processes'], rows),
    '',
    `Median ${fmt(median(times))} ms, worst ${fmt(worst)} ms (${fmt(worst / BUDGET_MS, 2)}× the budget). Limit: stop within ${LIMIT_MS} ms with no process left — **${ok ? 'met' : 'NOT met'}**.`,
  ].join('\n')
  writeSection('budget', md)
  process.exitCode = report('budget precision', md, ok)
} finally {
  await ws.cleanup()
}
