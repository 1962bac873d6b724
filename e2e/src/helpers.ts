// Helpers for end-to-end tests: they run the built `oracle` binary as a user would.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { fileURLToPath } from 'node:url'
import { type ResultPromise, execa } from 'execa'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const ORACLE_BIN = join(REPO_ROOT, 'packages/cli/bin/oracle.js')

/** The environment of a child `oracle`: this process's, without colour forcing (Nx sets FORCE_COLOR). */
export function childEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra }
  delete env.FORCE_COLOR
  return env
}

export interface OracleRun {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs `node packages/cli/bin/oracle.js …` and resolves with its exit code and output. */
export async function runOracle(args: readonly string[], options: { cwd: string; env?: Record<string, string> } = { cwd: REPO_ROOT }): Promise<OracleRun> {
  const result = await execa('node', [ORACLE_BIN, ...args], { cwd: options.cwd, env: childEnv(options.env), extendEnv: false, reject: false, stdin: 'ignore', stripFinalNewline: false })
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

/** Starts `oracle` without waiting, for tests that signal or kill it. */
export function startOracle(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): ResultPromise {
  return execa('node', [ORACLE_BIN, ...args], { cwd: options.cwd, env: childEnv(options.env), extendEnv: false, reject: false, stdin: 'ignore', buffer: true, stripFinalNewline: false })
}

export type TempDir = TempWorkspace

/**
 * A temporary directory outside the repository. With `linkNodeModules`, its node_modules points at
 * the repository's, so configs there can import @oraclekit/kernel without an install.
 */
export function makeTempDir(options: { linkNodeModules?: boolean } = {}): Promise<TempDir> {
  return createTempWorkspace({ prefix: 'oraclekit-e2e-', ...(options.linkNodeModules ? { nodeModules: join(REPO_ROOT, 'node_modules') } : {}) })
}

export interface CodeBlock {
  lang: string
  title: string | undefined
  code: string
  line: number
}

/** Fenced code blocks of a Markdown file, with their `title="…"` when they have one. */
export function extractBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)(?:\s+title="([^"]+)")?\s*$/.exec(lines[i] as string)
    if (!open) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string)
    blocks.push({ lang: open[1] ?? '', title: open[2], code: `${body.join('\n')}\n`, line: start + 1 })
  }
  return blocks
}

export async function readDoc(name: string): Promise<string> {
  return readFile(join(REPO_ROOT, 'docs', name), 'utf8')
}
