#!/usr/bin/env node
// `npm run example`: sets the repository up on a fresh clone (install, build) and runs the main
// job on the bundled example workspace. Safe to run again: it installs only when needed.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// The root manifests and every workspace's package.json: a change to any of them reinstalls.
const workspaceManifests = (dir) =>
  existsSync(`${root}${dir}`) ? readdirSync(`${root}${dir}`).sort().map((name) => `${dir}/${name}/package.json`) : []
const MANIFESTS = ['package.json', 'package-lock.json', ...workspaceManifests('packages'), ...workspaceManifests('plugins'), 'tools/package.json', 'e2e/package.json']
const STAMP = `${root}node_modules/.oraclekit-installed`

function run(command, args, env = {}) {
  console.log(`\n$ ${[...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env } })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const manifestsHash = () => {
  const hash = createHash('sha256')
  for (const file of MANIFESTS) if (existsSync(`${root}${file}`)) hash.update(readFileSync(`${root}${file}`))
  return hash.digest('hex')
}

if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8') !== manifestsHash()) {
  // `npm install`, not `npm ci`: npm leaves platform-specific optional packages out of the
  // lockfile (npm/cli#4828) and `npm ci` then refuses it. Versions still come from the lockfile.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'])
  writeFileSync(STAMP, manifestsHash())
}
run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'])
// The main job of the example fleet (it grows as plugins land).
const example = (...args) => run('node', ['packages/cli/bin/oracle.js', '--cwd', 'examples/workspace', ...args])
example('todos', 'products')
example('pack', 'validate', 'packs/fleet-review-pack.md', '--strict')
example('pack', 'run', 'packs/fleet-review-pack.md')
example('pack', 'actionize', '--run-dir', 'latest')
// The actionizer's plan is an orchestrator plan: validate it and show its order (nothing runs).
const runsDir = `${root}examples/workspace/.oraclepack/runs`
const latest = readdirSync(runsDir).sort((a, b) => statSync(`${runsDir}/${a}`).mtimeMs - statSync(`${runsDir}/${b}`).mtimeMs).at(-1)
const emitted = `.oraclepack/runs/${latest}/actionizer/orchestrator.yml`
example('orchestrate', 'plan', 'validate', '--file', emitted)
example('orchestrate', 'run', '--dry-run', '--file', emitted)

// The fleet: plan bounded work orders and run them. A fresh copy under tmp/ (inside the repository,
// so the config resolves @oraclekit/* packages) keeps the committed example untouched and the job
// repeatable: runs rewrite dash/runs/<product>/last_run.json.
rmSync(`${root}tmp/fleet`, { recursive: true, force: true })
cpSync(`${root}examples/fleet`, `${root}tmp/fleet`, { recursive: true })
const fleet = (...args) => run('node', ['packages/cli/bin/oracle.js', '--cwd', 'tmp/fleet', ...args])
fleet('plan')
fleet('run', '--dry-run')
fleet('run')
// fleet-ops: the schedules, what they say is due (gc_runs, drift_check …), and the Science Lane.
fleet('fleet', 'schedules', 'validate')
fleet('plan', '--from-schedules', '--budget', '5')
fleet('run')
fleet('fleet', 'science')

// The DevFactory oracle on the example DevFactory workspace (a copy in tmp/devfactory), its clock
// pinned to the example's 10:20: the workers and their verdicts, one task handed to a person, the
// history. (Guidance needs ANTHROPIC_API_KEY; these need none.)
rmSync(`${root}tmp/devfactory`, { recursive: true, force: true })
cpSync(`${root}examples/devfactory`, `${root}tmp/devfactory`, { recursive: true })
const devfactory = (...args) => run('node', ['packages/cli/bin/oracle.js', '--cwd', 'tmp/devfactory', 'devfactory', ...args], { ORACLE_NOW: '2026-11-20T10:20:00Z' })
devfactory('status')
devfactory('intervene', '2026-01-05-user-auth/3.1', '--strategy', 'escalation')
devfactory('history')
// The dashboard over all of it: examples/dash holds a snapshot of every plugin's artifacts; the
// static site goes to tmp/dash-site (open tmp/dash-site/index.html, or serve live: oracle dash).
run('node', ['packages/cli/bin/oracle.js', '--cwd', 'examples/dash', 'dash', 'build', '--out', '../../tmp/dash-site'], { ORACLE_NOW: '2026-11-22T06:00:00Z' })
console.log('\nThe TODO report is in examples/workspace/.oracle/todos.json; the pack run and its tasks (actionizer/) in examples/workspace/.oraclepack/runs/;')
console.log('the fleet\'s work orders in tmp/fleet/nexus/work_orders/, their evidence in tmp/fleet/dash/runs/ and the Science Lane index in tmp/fleet/dash/science_index.json;')
console.log('the DevFactory oracle\'s escalation note and history in tmp/devfactory/.devfactory/oracle/;')
console.log('the dashboard of examples/dash as a static site in tmp/dash-site/index.html.')
