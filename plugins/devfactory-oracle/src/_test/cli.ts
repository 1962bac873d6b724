// Test code only: the plugin's end-to-end tests drive the real `oracle` CLI in a copy of
// examples/devfactory whose config loads this plugin's build, with the clock pinned to the
// example's 10:20 and the Anthropic client pointed at a loopback server.

import type { ChildProcess } from 'node:child_process'
import { cp, readFile, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type NodeRun, type TempWorkspace, createTempWorkspace, plainEnv, startNode } from '@oraclekit/kernel/testing'
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

export type Result = NodeRun

export { hashTree } from '@oraclekit/kernel/testing'

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
  const cleared = Object.fromEntries(Object.keys(process.env).filter((name) => name.startsWith('ANTHROPIC_')).map((name) => [name, undefined]))
  return plainEnv({ ...cleared, ORACLE_NOW: NOW, ANTHROPIC_API_KEY: API_KEY, ...env })
}

const running = new Set<ChildProcess>()

/** Kills what `start` started and is still running (a test that failed half-way); for afterEach. */
export function killStarted(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

export function start(cwd: string, args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<Result>; stderr: () => string } {
  const started = startNode(CLI, args, { cwd, env: childEnv(env) })
  const { child } = started
  running.add(child)
  child.on('exit', () => running.delete(child))
  let stderr = ''
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  return { child, done: started.done, stderr: () => stderr }
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

