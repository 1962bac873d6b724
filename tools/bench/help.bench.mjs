// Benchmark: `oracle --help` in a workspace whose TypeScript config loads 7 plugins, against
// `node_modules/.bin/nx --version` measured in the same run. Budget: median ≤ 200 ms.
// Reproduce: npm run bench -- help   (or: node tools/bench/help.bench.mjs)
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT, fmt, machine, makeWorkspace, median, report, table, writeSection } from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 21)
const BUDGET_MS = 200

// Seven plugins shaped like real ones: an options schema with defaults, four lazily loaded
// commands with flags, two intents with input schemas.
function pluginSource(i) {
  return `import { Type, definePlugin } from '@oraclekit/kernel'
const Options = Type.Object({
  budget: Type.Integer({ minimum: 1, default: 3 }),
  dir: Type.String({ default: '.oracle/p${i}' }),
  mode: Type.Union([Type.Literal('fast'), Type.Literal('safe')], { default: 'safe' }),
  products: Type.Array(Type.String(), { default: [] }),
  retries: Type.Object({ max: Type.Integer({ default: 2 }), delayMs: Type.Integer({ default: 100 }) }, { default: {} }),
  labels: Type.Record(Type.String(), Type.String(), { default: {} }),
}, { additionalProperties: false })
export default function plugin${i}(options = {}) {
  const command = (name, summary) => ({
    name: 'p${i} ' + name,
    summary,
    args: [{ name: 'target', description: 'What to act on' }],
    options: { out: { type: 'string', description: 'Output file' }, dry: { type: 'boolean', description: 'Dry run' }, budget: { type: 'number', description: 'Budget' } },
    load: () => import('./p${i}-' + name + '.mjs'),
  })
  return definePlugin({
    name: 'bench:p${i}',
    optionsSchema: Options,
    options,
    commands: [command('run', 'Run it'), command('validate', 'Validate it'), command('status', 'Show status'), command('report', 'Write a report')],
    intents: [
      { name: 'p${i}.a', module: new URL('./p${i}-intent.mjs', import.meta.url), input: Type.Object({ product: Type.String(), dry: Type.Boolean() }) },
      { name: 'p${i}.b', module: new URL('./p${i}-intent.mjs', import.meta.url), input: Type.Object({ product: Type.String() }) },
    ],
  })
}
`
}

const files = { 'oracle.config.ts': '' }
const imports = []
const entries = []
for (let i = 1; i <= 7; i++) {
  files[`plugins/p${i}.mjs`] = pluginSource(i)
  imports.push(`import plugin${i} from './plugins/p${i}.mjs'`)
  entries.push(`plugin${i}({ budget: ${i} })`)
}
files['oracle.config.ts'] = `import { defineConfig } from '@oraclekit/kernel'\n${imports.join('\n')}\n\nexport default defineConfig({\n  plugins: [${entries.join(', ')}],\n  run: { maxParallel: 2 },\n})\n`

function time(command, args, cwd) {
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return { ms, stdout: String(result.stdout) }
}

const ws = await makeWorkspace(files)
try {
  const oracle = join(ws.dir, 'node_modules/.bin/oracle')
  const nx = join(REPO_ROOT, 'node_modules/.bin/nx')
  const first = time(oracle, ['--help'], ws.dir)
  const listed = (first.stdout.match(/\[bench:p\d\]/g) ?? []).length
  if (listed !== 28) throw new Error(`expected 28 plugin commands in --help, saw ${listed}`)
  for (let i = 0; i < 3; i++) time(oracle, ['--help'], ws.dir) // warm the page cache and jiti's cache
  const oracleMs = []
  const nxMs = []
  // Interleaved, so that both see the same machine load.
  for (let i = 0; i < RUNS; i++) {
    oracleMs.push(time(oracle, ['--help'], ws.dir).ms)
    nxMs.push(time(nx, ['--version'], REPO_ROOT).ms)
  }
  const o = median(oracleMs)
  const n = median(nxMs)
  const ok = o <= BUDGET_MS
  const md = [
    `### \`oracle --help\` with 7 plugins`,
    '',
    `Command: \`npm run bench -- help\` (${RUNS} interleaved runs each, after 3 warm-up runs; ${machine()}).`,
    'The workspace has a TypeScript `oracle.config.ts` loading 7 plugins (options schemas with defaults, 28 lazily loaded commands, 14 intents); every plugin\'s options are validated on each start.',
    '',
    table(
      ['command', 'median', 'min', 'max', 'ratio to baseline'],
      [
        ['`oracle --help` (7 plugins)', `${fmt(o)} ms`, `${fmt(Math.min(...oracleMs))} ms`, `${fmt(Math.max(...oracleMs))} ms`, `${fmt(o / n, 2)}×`],
        ['baseline: `node_modules/.bin/nx --version`', `${fmt(n)} ms`, `${fmt(Math.min(...nxMs))} ms`, `${fmt(Math.max(...nxMs))} ms`, '1.00×'],
      ],
    ),
    '',
    `Budget: median ≤ ${BUDGET_MS} ms — **${ok ? 'met' : 'NOT met'}** (${fmt(o)} ms).`,
  ].join('\n')
  writeSection('help', md)
  process.exitCode = report('oracle --help', md, ok)
} finally {
  await ws.cleanup()
}
