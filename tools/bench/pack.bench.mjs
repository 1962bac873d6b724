// Benchmark: `oracle pack run` on 20 steps against a fake engine with 500 ms latency, compared in
// the same run with the 20 invocations run one by one from bash.
// Budgets: --max-parallel 4 ≤ 1.05 × the ideal 2.5 s; --max-parallel 1 ≤ 1.02 × 10 s; a fully
// cached rerun ≤ 300 ms.
// Reproduce: npm run bench -- pack   (or: node tools/bench/pack.bench.mjs)
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const STEPS = 20
const LATENCY_S = 0.5
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN = pathToFileURL(join(REPO_ROOT, 'plugins/oraclepack-runner/dist/index.js')).href

// The fake engine: a shell script (a Node stand-in would add ~40 ms of start-up to every call)
// that answers 500 ms after it is started, writing to --write-output like `oracle --wait` does.
// Its sleep is calibrated below so that one call, start-up included, takes 500 ms.
const engine = (sleepSeconds) => `#!/bin/sh
if [ "$1" = "--version" ]; then echo 0.0.0-bench; exit 0; fi
out=""; prev=""
for a in "$@"; do
  if [ "$prev" = "--write-output" ]; then out="$a"; fi
  prev="$a"
done
sleep ${sleepSeconds}
name=$(basename "$out")
printf '### Direct answer\\n- answer to step %s\\n' "\${name%%-*}" > "$out"
`

function pack() {
  const steps = Array.from({ length: STEPS }, (_, i) => {
    const id = String(i + 1).padStart(2, '0')
    return `# ${id}) ROI=${(5 - i * 0.1).toFixed(1)} impact=0.9 confidence=0.8 effort=0.2 horizon=Immediate category=invariants reference=src/s${id}.ts\noracle --write-output "$out_dir/${id}-q.md" -p "Question ${id}: what holds?" -f "src/s${id}.ts"\n`
  })
  return ['# Bench pack', '', '```bash', 'out_dir="out"', '', ...steps, '```', ''].join('\n')
}

const files = {
  'engine.sh': engine(0),
  'pack.md': pack(),
  'oracle.config.mjs': `import oraclepack from ${JSON.stringify(PLUGIN)}\nexport default { plugins: [oraclepack({ engine: { command: 'engine.sh' } })] }\n`,
  ...Object.fromEntries(Array.from({ length: STEPS }, (_, i) => [`src/s${String(i + 1).padStart(2, '0')}.ts`, `export const s = ${i}\n`])),
}

function oracle(cwd, args) {
  const start = performance.now()
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  const ms = performance.now() - start
  if (result.status !== 0) throw new Error(`oracle ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`)
  return ms
}

/** First step start to last step end, from steps.json: the time the pack's steps took. */
function stepsPhase(dir) {
  const runs = join(dir, '.oraclepack/runs')
  const runDir = join(runs, readdirSync(runs)[0])
  const steps = JSON.parse(readFileSync(join(runDir, 'steps.json'), 'utf8')).steps
  const starts = steps.map((s) => Date.parse(s.started_at))
  const ends = steps.map((s) => Date.parse(s.finished_at))
  return Math.max(...ends) - Math.min(...starts)
}

const ws = await makeWorkspace(files)
try {
  chmodSync(join(ws.dir, 'engine.sh'), 0o755)
  // Calibration: the script's own cost (sh, the sleep binary, the write), measured with sleep 0.
  const startup = []
  for (let i = 0; i < 20; i++) {
    const start = performance.now()
    spawnSync(join(ws.dir, 'engine.sh'), ['--write-output', join(ws.dir, 'calibrate.md')])
    startup.push(performance.now() - start)
  }
  const startupMs = median(startup)
  writeFileSync(join(ws.dir, 'engine.sh'), engine(Math.max(0, LATENCY_S - startupMs / 1000).toFixed(4)))
  // Baseline: the 20 invocations one by one from bash, as a pack run by hand.
  const bashLoop = Array.from({ length: STEPS }, (_, i) => `./engine.sh -p q -f src/s${String(i + 1).padStart(2, '0')}.ts --write-output bash-out/${String(i + 1).padStart(2, '0')}-q.md`).join('\n')
  const bash = []
  for (let i = 0; i < REPEAT; i++) {
    const start = performance.now()
    spawnSync('bash', ['-c', `mkdir -p bash-out\n${bashLoop}`], { cwd: ws.dir })
    bash.push(performance.now() - start)
  }
  const measure = (parallel) => {
    const walls = []
    const phases = []
    for (let i = 0; i < REPEAT; i++) {
      walls.push(oracle(ws.dir, ['pack', 'run', 'pack.md', '--max-parallel', String(parallel), '--rerun', 'all', '--no-cache']))
      phases.push(stepsPhase(ws.dir))
    }
    return { wall: median(walls), phase: median(phases), worstPhase: Math.max(...phases) }
  }
  const p4 = measure(4)
  const p1 = measure(1)
  // Fill the cache once, then time reruns that find every answer in it.
  oracle(ws.dir, ['pack', 'run', 'pack.md', '--rerun', 'all', '--max-parallel', '4'])
  const cachedRuns = []
  for (let i = 0; i < Math.max(REPEAT, 5); i++) cachedRuns.push(oracle(ws.dir, ['pack', 'run', 'pack.md', '--rerun', 'all']))
  const cached = median(cachedRuns)

  const bashMs = median(bash)
  const ideal4 = (STEPS / 4) * LATENCY_S * 1000
  const ideal1 = STEPS * LATENCY_S * 1000
  const ok4 = p4.worstPhase <= 1.05 * ideal4
  const ok1 = p1.worstPhase <= 1.02 * ideal1
  const okCache = cached <= 300
  const rows = [
    ['20 invocations one by one from bash (baseline)', `${fmt(bashMs)} ms`, '—', `${fmt(bashMs / ideal1, 3)}× 10 s`, '1.00', '—'],
    ['`pack run --max-parallel 4`', `${fmt(p4.wall)} ms`, `${fmt(p4.phase)} ms (worst ${fmt(p4.worstPhase)})`, `${fmt(p4.worstPhase / ideal4, 3)}× 2.5 s`, `${fmt(p4.wall / bashMs, 3)}`, `≤ 1.05× — ${ok4 ? 'met' : 'NOT met'}`],
    ['`pack run --max-parallel 1`', `${fmt(p1.wall)} ms`, `${fmt(p1.phase)} ms (worst ${fmt(p1.worstPhase)})`, `${fmt(p1.worstPhase / ideal1, 3)}× 10 s`, `${fmt(p1.wall / bashMs, 3)}`, `≤ 1.02× — ${ok1 ? 'met' : 'NOT met'}`],
    ['`pack run --rerun all`, every answer cached', `${fmt(cached)} ms`, '0 engine calls', '—', `${fmt(cached / bashMs, 3)}`, `≤ 300 ms — ${okCache ? 'met' : 'NOT met'}`],
  ]
  const md = [
    '### Pack runs',
    '',
    `Command: \`npm run bench -- pack\` (median of ${REPEAT}; ${machine()}).`,
    `A 20-step pack on a fake engine: a shell script that writes its answer ${LATENCY_S * 1000} ms after it starts (it sleeps ${fmt(LATENCY_S * 1000 - startupMs)} ms; its own start-up, measured with sleep 0, is ${fmt(startupMs)} ms). "Command" is the whole \`oracle pack run\` process, start-up included; "steps" is first step start to last step end from steps.json, which the ideal (${STEPS} × ${LATENCY_S * 1000} ms / parallelism) is about; the budgets apply to the worst steps phase. Uncached runs use \`--rerun all --no-cache\`, so every step calls the engine.`,
    '',
    table(['run', 'command (wall)', 'steps phase', 'steps vs ideal', 'command ÷ bash', 'budget'], rows),
  ].join('\n')
  writeSection('pack', md)
  process.exitCode = report('pack runs', md, ok4 && ok1 && okCache)
} finally {
  await ws.cleanup()
}
