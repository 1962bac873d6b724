// Test code only: the plugin's end-to-end tests drive the real `oracle` CLI in a copy of
// examples/devfactory whose config loads this plugin's build, with the clock pinned to the
// example's 10:20 and the Anthropic client pointed at a loopback server.

import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, readFile, realpath } from 'node:fs/promises'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import type { DevfactoryInput } from '../options.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN = pathToFileURL(join(REPO_ROOT, 'plugins/devfactory-oracle/dist/index.js')).href
const EXAMPLE = join(REPO_ROOT, 'examples/devfactory/.devfactory')

/** The example's "now": be-2 loops on a missing module, fe-1 lost its heartbeat. */
export const NOW = '2026-11-20T10:20:00Z'
export const API_KEY = 'sk-ant-test-devfactory-0123456789'
export const STATE = '.devfactory/beast/state.json'
export const LOG = '.devfactory/oracle/oracle.log'
export const HISTORY = '.devfactory/oracle/interventions.json'

export interface Result {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A copy of the example's .devfactory/ with an oracle.config.mjs giving these plugin options. */
export async function exampleWorkspace(options: DevfactoryInput = {}): Promise<TempWorkspace & { root: string }> {
  const ws = await createTempWorkspace({ prefix: 'devfactory-cli-' })
  await cp(EXAMPLE, ws.path('.devfactory'), { recursive: true })
  await ws.write('oracle.config.mjs', configText(options))
  return Object.assign(ws, { root: await realpath(ws.dir) })
}

export const configText = (options: DevfactoryInput) => `import devfactoryOracle from ${JSON.stringify(PLUGIN)}\nexport default { plugins: [devfactoryOracle(${JSON.stringify(options)})] }\n`

/** The child's environment: the key set (unless `env` clears it), no other ANTHROPIC_* from the developer's shell. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ORACLE_NOW: NOW, ANTHROPIC_API_KEY: API_KEY }
  for (const name of Object.keys(out)) if (name.startsWith('ANTHROPIC_') && name !== 'ANTHROPIC_API_KEY') delete out[name]
  delete out.FORCE_COLOR
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete out[name]
    else out[name] = value
  }
  return out
}

const running = new Set<ChildProcess>()

/** Kills what `start` started and is still running (a test that failed half-way); for afterEach. */
export function killStarted(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

export function start(cwd: string, args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<Result>; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.on('exit', () => running.delete(child))
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c) => (stdout += c))
  child.stderr?.on('data', (c) => (stderr += c))
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done, stderr: () => stderr }
}

export const oracle = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Result> => start(cwd, args, env).done

export async function readJson(ws: TempWorkspace, file: string): Promise<any> {
  return JSON.parse(await ws.read(file))
}

/** The oracle log's lines, parsed. */
export async function logLines(ws: TempWorkspace): Promise<Array<Record<string, any>>> {
  const text = await readFile(ws.path(LOG), 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
}

/** sha256 of every file under dir, by path. */
export function hashTree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) Object.assign(out, hashTree(path, base))
    else out[relative(base, path)] = createHash('sha256').update(readFileSync(path)).digest('hex')
  }
  return out
}
