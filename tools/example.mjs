#!/usr/bin/env node
// `npm run example`: sets the repository up on a fresh clone (install, build) and runs the main
// job on the bundled example workspace. Safe to run again: it installs only when needed.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function run(command, args) {
  console.log(`\n$ ${[command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const installed = `${root}node_modules/.package-lock.json`
if (!existsSync(installed) || statSync(`${root}package-lock.json`).mtimeMs > statSync(installed).mtimeMs) {
  run('npm', ['ci', '--no-audit', '--no-fund'])
}
run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'])
// The main job of the example fleet (it grows as plugins land).
run('node', ['packages/cli/bin/oracle.js', '--cwd', 'examples/workspace', 'todos', 'products'])
console.log('\nThe report is in examples/workspace/.oracle/todos.json; the run in examples/workspace/.oracle/runs/.')
