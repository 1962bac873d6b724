// The orchestrator's end-to-end tests: a temporary workspace whose config loads this plugin's
// build, plans written as YAML, and the real `oracle` CLI.

import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN = pathToFileURL(join(REPO_ROOT, 'plugins/orchestrator/dist/index.js')).href

export interface Result {
  code: number | null
  stdout: string
  stderr: string
}

export async function workspace(files: Record<string, string>): Promise<TempWorkspace> {
  return createTempWorkspace({ prefix: 'orchestrate-', files: { 'oracle.config.mjs': `import orchestrator from ${JSON.stringify(PLUGIN)}\nexport default { plugins: [orchestrator()] }\n`, ...files } })
}

export function start(cwd: string, args: string[]): { child: ChildProcess; done: Promise<Result> } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  delete env.FORCE_COLOR
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c) => (stdout += c))
  child.stderr?.on('data', (c) => (stderr += c))
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, done }
}

export const oracle = (cwd: string, args: string[]): Promise<Result> => start(cwd, args).done

/** A task step as a node one-liner (the orchestrator runs argv, no shell). */
export const node = (code: string): string[] => ['node', '-e', code]

/** sha256 of every file under dir, with its path; folders too. */
export function hashTree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    const rel = relative(base, path)
    if (statSync(path).isDirectory()) {
      out[`${rel}/`] = 'dir'
      Object.assign(out, hashTree(path, base))
    } else out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex')
  }
  return out
}
