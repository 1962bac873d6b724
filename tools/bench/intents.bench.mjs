// Benchmark: overhead of the kernel's intent runner per job, over bare tinypool, measured in the
// same run: 10,000 no-op jobs at maxParallel 2. Budget: ≤ 60 µs per intent over the baseline.
// Reproduce: npm run bench -- intents   (or: node tools/bench/intents.bench.mjs)
import { join } from 'node:path'
import { createKernel } from '@oraclekit/kernel'
import { Tinypool } from 'tinypool'
import { fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000)
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const BUDGET_US = 60

const ws = await makeWorkspace({
  'noop.mjs': 'export default function noop() { return undefined }\n',
  'oracle.config.mjs': `export default { plugins: [{ name: 'bench', intents: [{ name: 'noop', module: new URL('./noop.mjs', import.meta.url) }] }], run: { maxParallel: 2 } }\n`,
})

async function bareTinypool() {
  // The baseline: the same no-op module, 2 threads, every task queued at once (tinypool's fastest).
  const pool = new Tinypool({ filename: join(ws.dir, 'noop.mjs'), minThreads: 2, maxThreads: 2 })
  await Promise.all([pool.run({}), pool.run({})]) // threads started and warm
  const start = performance.now()
  await Promise.all(Array.from({ length: JOBS }, () => pool.run({})))
  const ms = performance.now() - start
  await pool.destroy()
  return ms
}

async function runner(kernel, round, persist) {
  const jobs = Array.from({ length: JOBS }, (_, i) => ({ id: `j${i}`, intent: 'noop', input: {} }))
  const start = performance.now()
  const result = await kernel.runIntents({ jobs, runId: `bench-${persist ? 'p' : 'm'}-${round}`, ...(persist ? {} : { runDir: false }), budget: { maxJobs: JOBS } })
  const ms = performance.now() - start
  if (result.status !== 'ok' || result.jobs.length !== JOBS) throw new Error(`run ${result.status}`)
  return ms
}

try {
  const kernel = await createKernel({ cwd: ws.dir })
  await runner(kernel, 'warm', false) // JIT warm-up of both paths
  await bareTinypool()
  const bare = []
  const persisted = []
  const memory = []
  for (let i = 0; i < REPEAT; i++) {
    bare.push(await bareTinypool())
    persisted.push(await runner(kernel, i, true))
    memory.push(await runner(kernel, i, false))
  }
  const b = median(bare)
  const p = median(persisted)
  const m = median(memory)
  const perJob = (ms) => (ms * 1000) / JOBS
  const overheadP = perJob(p - b)
  const overheadM = perJob(m - b)
  const ok = overheadP <= BUDGET_US
  const md = [
    '### Intent runner overhead',
    '',
    `Command: \`npm run bench -- intents\` (${JOBS.toLocaleString('en-US')} no-op jobs, maxParallel 2, median of ${REPEAT}, interleaved; ${machine()}).`,
    'The runner row is the whole `kernel.runIntents`: input checks and hashing, stop-condition checks before and after each job (the kill-switch file included), a per-job AbortSignal with its timeout, the pool, and a persisted run (journal line per job, events.jsonl, run.json).',
    '',
    table(
      ['mode', 'total', 'per job', 'overhead per job'],
      [
        ['baseline: bare tinypool, all tasks queued', `${fmt(b)} ms`, `${fmt(perJob(b))} µs`, '—'],
        ['`runIntents`, persisted run (default)', `${fmt(p)} ms`, `${fmt(perJob(p))} µs`, `${fmt(overheadP)} µs (${fmt(p / b, 2)}× the baseline)`],
        ['`runIntents`, `runDir: false`', `${fmt(m)} ms`, `${fmt(perJob(m))} µs`, `${fmt(overheadM)} µs (${fmt(m / b, 2)}× the baseline)`],
      ],
    ),
    '',
    `Budget: ≤ ${BUDGET_US} µs per intent over the baseline — **${ok ? 'met' : 'NOT met'}** (${fmt(overheadP)} µs, persisted run).`,
  ].join('\n')
  writeSection('intents', md)
  process.exitCode = report('intent runner overhead', md, ok)
} finally {
  await ws.cleanup()
}
