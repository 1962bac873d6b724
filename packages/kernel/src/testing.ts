// `@oraclekit/kernel/testing`: helpers for testing plugins (and OracleKit itself) against real
// files, real worker threads and the real CLI.
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'

/** A temporary directory to run a config, a command or an intent in. */
export interface TempWorkspace {
  readonly dir: string
  path(...parts: string[]): string
  /** Writes a file (creating its directories) and returns its absolute path. */
  write(file: string, text: string): Promise<string>
  read(file: string): Promise<string>
  exists(file: string): boolean
  cleanup(): Promise<void>
}

export interface TempWorkspaceOptions {
  /** Files to write, by path relative to the workspace. */
  files?: Record<string, string>
  /**
   * A node_modules directory to link into the workspace, so that its config and plugins resolve
   * packages (`@oraclekit/kernel`, your plugin) as in your project. Default: none.
   */
  nodeModules?: string
  /** Prefix of the directory name under the system's temporary directory. */
  prefix?: string
}

/** Creates a workspace under the system's temporary directory; `cleanup()` removes it. */
export async function createTempWorkspace(options: TempWorkspaceOptions = {}): Promise<TempWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), options.prefix ?? 'oraclekit-'))
  if (options.nodeModules) await symlink(options.nodeModules, join(dir, 'node_modules'), 'dir')
  const workspace: TempWorkspace = {
    dir,
    path: (...parts) => join(dir, ...parts),
    async write(file, text) {
      const target = join(dir, file)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, text)
      return target
    },
    read: (file) => readFile(join(dir, file), 'utf8'),
    exists: (file) => existsSync(join(dir, file)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
  for (const [file, text] of Object.entries(options.files ?? {})) await workspace.write(file, text)
  return workspace
}

/** How a process started by `startNode` ended, with everything it printed. */
export interface NodeRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * The environment for a CLI under test: this process's, without colours (`NO_COLOR=1`, no
 * `FORCE_COLOR`), then `changes` applied (an undefined value removes the variable).
 */
export function plainEnv(changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  delete env.FORCE_COLOR
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

/**
 * Starts `node <script> <args…>` (the `oracle` CLI's bin, a fixture) in `cwd`, stdin closed,
 * collecting stdout and stderr; `done` resolves once the process has exited and its output
 * closed. `env` defaults to `plainEnv()`.
 */
export function startNode(script: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): { child: ChildProcess; done: Promise<NodeRun> } {
  const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: options.env ?? plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => (stdout += chunk))
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const done = new Promise<NodeRun>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

/**
 * Every file under `dir` by its sha256 and every folder as `dir` (key `<path>/`), keyed by path
 * relative to `base` (default `dir`) with `/` separators, in code-unit order; nothing is left out
 * (dot files, locks). A missing `dir` is `{}`. Compare two calls to prove a command changed nothing.
 */
export function hashTree(dir: string, base = dir): Record<string, string> {
  if (!existsSync(dir)) return {}
  const entries: Array<[string, string]> = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name)
    const key = relative(base, path).split('\\').join('/')
    entries.push(entry.isDirectory() ? [`${key}/`, 'dir'] : [key, createHash('sha256').update(readFileSync(path)).digest('hex')])
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
