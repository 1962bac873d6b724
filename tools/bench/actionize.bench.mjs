// Benchmark: `oracle pack actionize` on 20 answers of 100 KB each (budget ≤ 500 ms), compared in
// the same run with the bare cost of reading the files and lexing them with marked.
// Reproduce: npm run bench -- actionize   (or: node tools/bench/actionize.bench.mjs)
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const STEPS = 20
const SIZE = 100 * 1024
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7)
const BUDGET_MS = 500
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN = pathToFileURL(join(REPO_ROOT, 'plugins/actionizer/dist/index.js')).href
const TICKETS = join(REPO_ROOT, '../shared/fixtures/outputs/tickets-2026-01-08')

const sha = (text) => createHash('sha256').update(text).digest('hex')

/** A 100 KB answer: a real answer's sections, their items repeated with distinct numbers. */
function bigAnswer(source, step) {
  const parts = []
  for (let i = 0; parts.join('\n').length < SIZE; i++) parts.push(source.replace(/\b(step|steps)\b/g, `$1 ${step}-${i}`))
  return parts.join('\n').slice(0, SIZE)
}

const sources = readdirSync(TICKETS).sort().map((name) => readFileSync(join(TICKETS, name), 'utf8'))
const files = { 'oracle.config.mjs': `import actionizer from ${JSON.stringify(PLUGIN)}\nexport default { plugins: [actionizer()] }\n` }
const steps = []
for (let i = 0; i < STEPS; i++) {
  const id = String(i + 1).padStart(2, '0')
  const answer = bigAnswer(sources[i % sources.length], id)
  files[`run/outputs/${id}-q.md`] = answer
  steps.push({ step_id: id, title: `# ${id})`, reference: `src/s${id}.ts`, category: 'invariants', roi: 5 - i * 0.1, output_path: `outputs/${id}-q.md`, output_hash: sha(answer), status: 'ok', last_error: null })
}
files['run/run.json'] = JSON.stringify({ pack_id: '2026-01-08__nogit__00000000', pack_hash: sha('bench'), pack_path: 'pack.md', created_at: '2026-01-08T00:00:00.000Z' })
files['run/steps.json'] = JSON.stringify({ steps })

const ws = await makeWorkspace(files)
try {
  const { Lexer } = await import(pathToFileURL(join(REPO_ROOT, 'node_modules/marked/lib/marked.esm.js')).href)
  const baseline = []
  const commands = []
  const phases = []
  for (let i = 0; i < REPEAT; i++) {
    // Baseline: read the 20 answers and lex them with marked, nothing else.
    let start = performance.now()
    for (const step of steps) Lexer.lex(readFileSync(join(ws.dir, 'run', step.output_path), 'utf8'))
    baseline.push(performance.now() - start)
    start = performance.now()
    const result = spawnSync(process.execPath, [CLI, 'pack', 'actionize', '--run-dir', 'run', '--json'], { cwd: ws.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    commands.push(performance.now() - start)
    if (result.status !== 0) throw new Error(`actionize exited ${result.status}: ${result.stderr}`)
    phases.push(JSON.parse(result.stdout).duration_ms)
  }
  const tasks = readFileSync(join(ws.dir, 'run/actionizer/normalized.jsonl'), 'utf8').split('\n').filter(Boolean).length
  const base = median(baseline)
  const command = median(commands)
  const phase = median(phases)
  const worst = Math.max(...phases)
  const ok = worst <= BUDGET_MS
  const md = [
    '### Actionize',
    '',
    `Command: \`npm run bench -- actionize\` (median of ${REPEAT}; ${machine()}).`,
    `20 answers of 100 KB each (real answers' text repeated), ${tasks} tasks out. The budget applies to the work the command reports as \`duration_ms\`: reading the run, parsing, tasks, the six exports and their atomic writes. The whole process adds Node and CLI start-up (see the help benchmark). The baseline only reads the 20 files and lexes them with marked in one warm process.`,
    '',
    table(
      ['run', 'median', 'worst', 'ratio to baseline'],
      [
        ['baseline: read + `marked` lex of the 20 answers', `${fmt(base)} ms`, `${fmt(Math.max(...baseline))} ms`, '1.00×'],
        ['actionize: read, parse, tasks, six exports, atomic writes (`duration_ms`)', `${fmt(phase)} ms`, `${fmt(worst)} ms`, `${fmt(phase / base, 2)}×`],
        ['`oracle pack actionize` (whole process, Node start-up included)', `${fmt(command)} ms`, `${fmt(Math.max(...commands))} ms`, `${fmt(command / base, 2)}×`],
      ],
    ),
    '',
    `Budget: actionize ≤ ${BUDGET_MS} ms — **${ok ? 'met' : 'NOT met'}** (worst ${fmt(worst)} ms).`,
  ].join('\n')
  writeSection('actionize', md)
  process.exitCode = report('actionize', md, ok)
} finally {
  await ws.cleanup()
}
