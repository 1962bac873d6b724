// Benchmark: `oracle orchestrate run --parallel 2` on 500-task DAGs of `true` commands (chain,
// fan-out, diamond), against its peers in the same run on the same machine: GNU `make -j2` on an
// equivalent Makefile and `nx run-many --parallel=2` on an equivalent Nx workspace (the repo's nx).
// Budget: the orchestrator's per-task overhead ≤ 2 ms in every shape, where per-task overhead is
// (whole process on the N-task DAG − whole process on a 1-task DAG) / (N − 1): the start-up cost
// cancels out, and what is left is the marginal cost of one more task, its `true` process included.
// Reproduce: npm run bench -- orchestrate   (or: node tools/bench/orchestrate.bench.mjs)
// BENCH_REPEAT (default 3) sets the timed runs per tool and shape; BENCH_ORCH_TASKS (default 500)
// the DAG size; BENCH_NX_TASKS (default 500) the size of nx's DAGs (nx falls back to 100 tasks by
// itself when its first 500-task run takes over 5 minutes). A budget miss (or BENCH_PROFILE=1) adds
// a CPU profile of one chain run, summarised by self time; BENCH_PROFILE_OUT=<dir> keeps the files.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, profileSelfTime, report, table, writeSection } from './lib.mjs'

const N = Number(process.env.BENCH_ORCH_TASKS ?? 500)
const NX_N_WANTED = Number(process.env.BENCH_NX_TASKS ?? N)
const NX_FALLBACK_N = 100
const NX_SLOW_MS = 5 * 60_000
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)
const PARALLEL = 2
const BUDGET_MS = 2
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN_DIST = join(REPO_ROOT, 'plugins/orchestrator/dist/index.js')
const NX_BIN = join(REPO_ROOT, 'node_modules/nx/dist/bin/nx.js')
const SHAPES = ['chain', 'fan-out', 'diamond']

if (!existsSync(PLUGIN_DIST)) {
  console.error('plugins/orchestrator/dist is missing: build it first (cd plugins/orchestrator && npx tsup)')
  process.exit(2)
}
if (!existsSync(NX_BIN)) {
  console.error('node_modules/nx is missing: run npm install at the repository root')
  process.exit(2)
}
const makeVersion = spawnSync('make', ['--version'], { encoding: 'utf8' })
if (makeVersion.status !== 0) {
  console.error('GNU make is not on PATH')
  process.exit(2)
}
const MAKE_VERSION = makeVersion.stdout.split('\n')[0]
const NX_VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/nx/package.json'), 'utf8')).version

// ---------------------------------------------------------------------------------------------
// The DAGs: tasks t1..tn, each with its dependencies.

/** Dependencies of t1..tn in a shape: chain t1→t2→…; fan-out t1 → all others; diamond t1 → t2..t(n-1) → tn. */
function dag(shape, n) {
  const ids = Array.from({ length: n }, (_, i) => `t${i + 1}`)
  const deps = ids.map((_, i) => {
    if (i === 0) return []
    if (shape === 'chain') return [ids[i - 1]]
    if (shape === 'fan-out') return [ids[0]]
    if (shape === 'diamond') return i === n - 1 && n > 2 ? ids.slice(1, n - 1) : [ids[0]]
    throw new Error(`unknown shape ${shape}`)
  })
  return ids.map((id, i) => ({ id, deps: deps[i] }))
}

const yamlList = (items) => `[${items.join(', ')}]`

/** orchestrator.yml: every task a chore whose one command is the argv `true` (no shell). */
function orchestratorFiles(tasks) {
  const lines = ['version: 1', 'tasks:']
  for (const t of tasks) {
    lines.push(`  - id: ${t.id}`, `    title: ${t.id}`, '    type: chore', '    description: no-op', '    commands: { run: "true" }')
    if (t.deps.length > 0) lines.push(`    dependencies: ${yamlList(t.deps)}`)
  }
  return {
    'orchestrator.yml': `${lines.join('\n')}\n`,
    'oracle.config.mjs': `import orchestrator from ${JSON.stringify(pathToFileURL(PLUGIN_DIST).href)}\n\nexport default { plugins: [orchestrator()] }\n`,
  }
}

/** The same DAG as a Makefile: phony targets, each recipe `@true` (make execs it without a shell). */
function makefile(tasks) {
  const lines = [`.PHONY: all ${tasks.map((t) => t.id).join(' ')}`, `all: ${tasks.map((t) => t.id).join(' ')}`, '']
  for (const t of tasks) lines.push(`${t.id}:${t.deps.length ? ` ${t.deps.join(' ')}` : ''}`, '\t@true', '')
  return { Makefile: lines.join('\n') }
}

/** The same DAG as an Nx workspace: one project per task, target `run` = nx:run-commands `true`, edges by implicitDependencies + dependsOn ^run. */
function nxFiles(tasks) {
  const files = {
    'package.json': `${JSON.stringify({ name: 'bench-nx', private: true }, null, 2)}\n`,
    'nx.json': `${JSON.stringify({ useDaemonProcess: false, targetDefaults: { run: { dependsOn: ['^run'], cache: false } } }, null, 2)}\n`,
  }
  for (const t of tasks) {
    files[`projects/${t.id}/project.json`] = `${JSON.stringify(
      {
        name: t.id,
        root: `projects/${t.id}`,
        implicitDependencies: t.deps,
        targets: { run: { executor: 'nx:run-commands', options: { command: 'true' } } },
      },
      null,
      2,
    )}\n`
  }
  return files
}

// ---------------------------------------------------------------------------------------------
// Measuring: wall time of the whole process.

const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }
const NX_ENV = { ...ENV, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' }

function timed(command, args, cwd, env, timeout) {
  const start = performance.now()
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(timeout ? { timeout } : {}) })
  const ms = performance.now() - start
  return { ms, status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error }
}

function fail(what, result) {
  return new Error(`${what} failed (exit ${result.status}${result.signal ? `, ${result.signal}` : ''}${result.error ? `, ${result.error.message}` : ''}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`)
}

const ORCH = [CLI, 'orchestrate', 'run', '--parallel', String(PARALLEL)]

/**
 * Removes the previous run's state: its event log and task logs, approvals and TASKS.md. The plan
 * cache (.codex/cache) stays, as nx's project-graph cache does between nx runs.
 */
function freshState(dir) {
  for (const path of ['.codex/runs', '.codex/approvals.jsonl', 'TASKS.md']) rmSync(join(dir, path), { recursive: true, force: true })
}

/** One timed orchestrator run on a fresh state (the previous run's log and TASKS.md removed, untimed); checks every task completed. */
function runOrchestrator(dir, n) {
  freshState(dir)
  const result = timed(process.execPath, ORCH, dir, ENV)
  if (result.status !== 0) throw fail(`oracle orchestrate run (${n} tasks)`, result)
  const summary = /^Summary: (.*)$/m.exec(readFileSync(join(dir, 'TASKS.md'), 'utf8'))?.[1]
  if (summary !== `${n} completed (${n} task${n === 1 ? '' : 's'})`) throw new Error(`orchestrate run (${n} tasks): TASKS.md says "${summary}"`)
  return result.ms
}

/** The untimed first run: --json, and every task's state checked. */
function checkOrchestrator(dir, n) {
  freshState(dir)
  const result = timed(process.execPath, [...ORCH, '--json'], dir, ENV)
  if (result.status !== 0) throw fail(`oracle orchestrate run --json (${n} tasks)`, result)
  const data = JSON.parse(result.stdout)
  const states = Object.values(data.state.tasks).map((t) => t.state)
  if (data.status !== 'completed' || states.length !== n || states.some((s) => s !== 'completed')) {
    throw new Error(`orchestrate run (${n} tasks): status ${data.status}, ${states.filter((s) => s === 'completed').length} of ${n} completed`)
  }
}

const MAKE = ['-j2', '-f', 'Makefile', 'all']

function runMake(dir, n) {
  const result = timed('make', MAKE, dir, ENV)
  if (result.status !== 0) throw fail(`make -j2 (${n} targets)`, result)
  return result.ms
}

/** make -n prints every recipe it would run: n `true` lines. */
function checkMake(dir, n) {
  const result = timed('make', ['-n', '-f', 'Makefile', 'all'], dir, ENV)
  const count = result.stdout.split('\n').filter((line) => line.trim() === 'true').length
  if (result.status !== 0 || count !== n) throw new Error(`make -n (${n} targets): exit ${result.status}, ${count} recipes`)
}

const NX = [NX_BIN, 'run-many', '-t', 'run', `--parallel=${PARALLEL}`, '--skipNxCache', '--outputStyle=static']

function runNx(dir, n, timeout) {
  const result = timed(process.execPath, NX, dir, NX_ENV, timeout)
  if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGTERM') return { timedOut: true, ms: result.ms }
  if (result.status !== 0) throw fail(`nx run-many (${n} projects)`, result)
  // run-commands prints "> nx run tN:run" per task, and the summary line counts the projects
  const ran = new Set([...result.stdout.matchAll(/nx run (t\d+):run/g)].map((m) => m[1]))
  if (ran.size !== n || !new RegExp(`Successfully ran target run for ${n === 1 ? 'project t1' : `${n} projects`}`).test(result.stdout)) {
    throw new Error(`nx run-many (${n} projects): ${ran.size} tasks seen\n${result.stdout.slice(-2000)}`)
  }
  return { ms: result.ms }
}

// ---------------------------------------------------------------------------------------------
// The CPU profile (on a budget miss): self time by function, per thread.

const summarise = profileSelfTime

/** One chain run under --cpu-prof (the main thread and every worker thread write a profile). */
function cpuProfile(dir) {
  const out = mkdtempSync(join(tmpdir(), 'oraclekit-bench-orch-prof-'))
  try {
    freshState(dir)
    const result = timed(process.execPath, ['--cpu-prof', '--cpu-prof-dir', out, ...ORCH], dir, ENV)
    if (result.status !== 0) throw fail('profiled orchestrate run', result)
    if (process.env.BENCH_PROFILE_OUT) cpSync(out, process.env.BENCH_PROFILE_OUT, { recursive: true })
    const threads = readdirSync(out)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => {
        const summary = summarise(JSON.parse(readFileSync(join(out, name), 'utf8')))
        // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread
        const thread = Number(name.split('.')[4])
        // busy: the samples minus waiting (idle, and tinypool's Atomics.wait for the next task)
        const waiting = summary.top.filter(([key]) => key === '(idle)' || key.startsWith('atomicsWaitLoop ')).reduce((sum, [, v]) => sum + v, 0)
        return { name: thread === 0 ? 'main thread' : `worker thread ${thread}`, busy: summary.total - waiting, ...summary }
      })
      .filter((t) => t.busy > 0.05 * t.total)
      .sort((a, b) => b.busy - a.busy)
    return { wallMs: result.ms, threads }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// The runs: per shape, one workspace per tool and size; one untimed checked run each, then REPEAT
// timed rounds, the tools interleaved.

let nxN = NX_N_WANTED
const results = []
let profile
const workspaces = []
const ws = async (files) => {
  const w = await makeWorkspace(files)
  workspaces.push(w)
  return w.dir
}
try {
  const one = dag('chain', 1)
  const orch1 = await ws(orchestratorFiles(one))
  const make1 = await ws(makefile(one))
  const nx1 = await ws(nxFiles(one))
  checkOrchestrator(orch1, 1)
  checkMake(make1, 1)
  runNx(nx1, 1) // untimed: also writes nx's project-graph cache (.nx/workspace-data)

  for (const shape of SHAPES) {
    const tasks = dag(shape, N)
    const orchDir = await ws(orchestratorFiles(tasks))
    const makeDir = await ws(makefile(tasks))
    checkOrchestrator(orchDir, N)
    checkMake(makeDir, N)
    // nx: the first run is untimed (it warms the project-graph cache); if it takes over 5 minutes, nx runs 100 tasks.
    let nxDir = await ws(nxFiles(dag(shape, nxN)))
    const first = runNx(nxDir, nxN, nxN > NX_FALLBACK_N ? NX_SLOW_MS : undefined)
    if (first.timedOut) {
      console.log(`nx run-many on ${nxN} projects took over ${NX_SLOW_MS / 60_000} min: nx runs ${NX_FALLBACK_N} tasks from here on`)
      nxN = NX_FALLBACK_N
      nxDir = await ws(nxFiles(dag(shape, nxN)))
      runNx(nxDir, nxN)
    }
    const r = { shape, orch: [], orch1: [], make: [], make1: [], nx: [], nx1: [], nxN }
    for (let i = 0; i < REPEAT; i++) {
      r.orch1.push(runOrchestrator(orch1, 1))
      r.orch.push(runOrchestrator(orchDir, N))
      r.make1.push(runMake(make1, 1))
      r.make.push(runMake(makeDir, N))
      r.nx1.push(runNx(nx1, 1).ms)
      r.nx.push(runNx(nxDir, nxN).ms)
    }
    const per = (total, base, n) => (median(total) - median(base)) / (n - 1)
    r.orchPer = per(r.orch, r.orch1, N)
    r.makePer = per(r.make, r.make1, N)
    r.nxPer = per(r.nx, r.nx1, nxN)
    results.push(r)
    console.log(
      `${shape}: orchestrate ${fmt(median(r.orch))} ms (${fmt(r.orchPer, 2)} ms/task), make -j2 ${fmt(median(r.make))} ms (${fmt(r.makePer, 2)} ms/task), nx ${fmt(median(r.nx))} ms at ${nxN} tasks (${fmt(r.nxPer, 2)} ms/task)`,
    )
    if (shape === 'chain' && (r.orchPer > BUDGET_MS || process.env.BENCH_PROFILE)) profile = cpuProfile(orchDir)
  }
} finally {
  for (const w of workspaces) await w.cleanup()
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (n, d = 1) => `${fmt(n, d)} ms`
const ratio = (a, b) => (b > 0 ? `${fmt(a / b, 2)}×` : '—')
const rows = results.map((r) => [
  r.shape,
  ms(median(r.orch)),
  ms(r.orchPer, 2),
  `${ms(median(r.make))} → ${ms(r.makePer, 2)}`,
  `${ms(median(r.nx))}${r.nxN !== N ? ` (${r.nxN} tasks)` : ''} → ${ms(r.nxPer, 2)}`,
  ratio(r.orchPer, r.makePer),
  ratio(r.orchPer, r.nxPer),
  ratio(median(r.orch), median(r.make)),
  r.nxN === N ? ratio(median(r.orch), median(r.nx)) : '—',
])
const fixed = results[0]
  ? `1-task runs (the start-up subtracted), medians over all rounds: orchestrator ${ms(median(results.flatMap((r) => r.orch1)))}, make ${ms(median(results.flatMap((r) => r.make1)))}, nx ${ms(median(results.flatMap((r) => r.nx1)))}.`
  : ''
const worst = Math.max(...results.map((r) => r.orchPer))
const ok = results.length === SHAPES.length && worst <= BUDGET_MS
const nxNote = results.some((r) => r.nxN !== N)
  ? ` nx's first ${N}-task run took over ${NX_SLOW_MS / 60_000} minutes, so nx ran ${NX_FALLBACK_N}-task DAGs of the same shape; its per-task overhead is over those, and its total is not compared.`
  : ''

const md = [
  '### Orchestrator against make and nx',
  '',
  `Command: \`npm run bench -- orchestrate\` (median of ${REPEAT} per tool and shape, the tools interleaved, after one untimed checked run each; ${machine()}; ${MAKE_VERSION}; nx ${NX_VERSION}).`,
  `Three DAGs of ${N} tasks whose every command is \`true\`: chain (t1 → t2 → … → t${N}), fan-out (t1 → ${N - 1} dependents) and diamond (t1 → ${N - 2} middle tasks → one sink), all at parallel ${PARALLEL}. Each time is the whole process: \`oracle orchestrate run --parallel ${PARALLEL}\` (a temp workspace whose \`oracle.config.mjs\` loads plugins/orchestrator/dist; each task a \`chore\` with the one command \`true\`, run as an argv without a shell; the previous run's event log, task logs and TASKS.md removed before each run, untimed; the plan cache \`.codex/cache\` kept, as nx keeps its project graph), \`make -j${PARALLEL} -f Makefile all\` on the same DAG (phony targets, recipes \`@true\`, which make execs without a shell) and \`nx run-many -t run --parallel=${PARALLEL} --skipNxCache --outputStyle=static\` with \`NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false\` (one \`project.json\` per task, target \`run\` = \`nx:run-commands\` \`true\` with \`cache: false\`, edges as \`implicitDependencies\` with \`dependsOn: ["^run"]\`; node_modules linked to the repository's; the untimed first run writes nx's project-graph cache, which later runs reuse, as nx's own runs do — no task output is cached).${nxNote}`,
  `Per-task overhead is (median of the ${N}-task run − median of a 1-task run of the same tool) / ${N - 1}: the start-up cancels out; what is left includes starting the task's \`true\` process. (In fan-out and diamond the orchestrator's second pool worker also warms up, loading the task intent, inside the measured part; a 1-task run uses one worker.) Checks: every run exits 0; the orchestrator's first run (\`--json\`) reports all ${N} tasks completed and every timed run's TASKS.md says "${N} completed"; \`make -n\` lists ${N} recipes; nx prints each task and "Successfully ran target run for ${N} projects". ${fixed}`,
  '',
  table(['shape', '`orchestrate run` total', 'orchestrator per task', 'make -j2: total → per task', 'nx run-many: total → per task', 'per task ÷ make', 'per task ÷ nx', 'total ÷ make', 'total ÷ nx'], rows),
  '',
  `Budget: orchestrator per-task overhead ≤ ${BUDGET_MS} ms in every shape — **${ok ? 'met' : 'NOT met'}** (worst ${ms(worst, 2)}).`,
  ...(profile && !ok
    ? [
        '',
        `CPU profile of one ${N}-task chain run (\`node --cpu-prof\`, wall ${ms(profile.wallMs, 0)}), top 10 by self time, per thread that was not mostly waiting:`,
        '',
        ...profile.threads.flatMap((t) => [
          `${t.name} (${ms(t.total, 0)} sampled, ${ms(t.busy, 0)} of it not waiting):`,
          '',
          table(['function', 'self'], t.top.slice(0, 10).map(([name, v]) => [`\`${name}\``, `${ms(v)} (${fmt((100 * v) / t.total)} %)`])),
          '',
        ]),
      ]
    : []),
].join('\n')

if (profile) {
  console.log(`\nCPU profile, one ${N}-task chain run (wall ${fmt(profile.wallMs, 0)} ms), top 25 by self time per thread:`)
  for (const t of profile.threads) {
    console.log(`\n${t.name} (${fmt(t.total)} ms sampled, ${fmt(t.busy)} ms not waiting)`)
    for (const [name, v] of t.top) console.log(`${fmt(v).padStart(8)} ms ${fmt((100 * v) / t.total).padStart(5)} %  ${name}`)
  }
}
writeSection('orchestrate', md)
process.exitCode = report('orchestrate', md, ok)
