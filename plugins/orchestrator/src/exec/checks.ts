// Acceptance checks, run in the workspace root. A check never throws for a failure of the thing
// it checks: it answers ok or not, with a detail a person can act on.

import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { IntentContext } from '@oraclekit/kernel/intent'
import type { Check } from '../types.js'
import { expandPaths, insideWorkspace, normalizePath } from './glob.js'

export interface CheckContext {
  /** Absolute path of the workspace root. */
  rootDir: string
  /** The task's path hints: files, folders (their files, one level), globs. */
  taskPaths: string[]
  exec: IntentContext['exec']
  /** The most a command may take (the task's remaining timebox). */
  timeoutMs?: number
}

export interface CheckResult {
  ok: boolean
  detail: string
}

/** Files larger than this are not searched by `contains`. */
const CONTAINS_MAX_BYTES = 8 * 1024 * 1024

function lastLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1)
}

async function runArgv(argv: string[], ctx: CheckContext): Promise<{ exitCode: number | undefined; detail: string }> {
  const [file, ...args] = argv
  if (!file) return { exitCode: undefined, detail: 'no command given' }
  const result = await ctx.exec(file, args, { cwd: ctx.rootDir, ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }) })
  const why = result.timedOut ? `timed out after ${ctx.timeoutMs} ms` : result.exitCode === undefined ? `killed by ${result.signal ?? 'a signal'}` : `exited ${result.exitCode}`
  const last = lastLine(result.stderr) ?? lastLine(result.stdout)
  return { exitCode: result.timedOut ? undefined : result.exitCode, detail: `${argv.join(' ')} ${why}${last ? `: ${last}` : ''}` }
}

async function findNeedle(needle: string, ctx: CheckContext): Promise<CheckResult> {
  if (ctx.taskPaths.length === 0) return { ok: false, detail: 'not found: the task names no paths to search' }
  const found: string[] = []
  for (const file of await expandPaths(ctx.rootDir, ctx.taskPaths)) {
    const info = await stat(join(ctx.rootDir, file)).catch(() => undefined)
    if (!info || info.size > CONTAINS_MAX_BYTES) continue
    const text = await readFile(join(ctx.rootDir, file), 'utf8').catch(() => '')
    if (text.includes(needle)) found.push(file)
  }
  if (found.length === 0) return { ok: false, detail: `not found in ${ctx.taskPaths.join(', ')}` }
  const shown = found.slice(0, 5).join(', ')
  return { ok: true, detail: `found in ${shown}${found.length > 5 ? ` and ${found.length - 5} more` : ''}` }
}

/** Runs one acceptance check. */
export async function runCheck(check: Check, ctx: CheckContext): Promise<CheckResult> {
  switch (check.kind) {
    case 'tests_pass': {
      const run = await runArgv(check.argv, ctx)
      return run.exitCode === 0 ? { ok: true, detail: `${check.argv.join(' ')} passed` } : { ok: false, detail: run.detail }
    }
    case 'exit_code': {
      const run = await runArgv(check.argv, ctx)
      return run.exitCode === check.code ? { ok: true, detail: `${check.argv.join(' ')} exited ${check.code}` } : { ok: false, detail: `${run.detail} (expected exit ${check.code})` }
    }
    case 'file_exists': {
      const path = insideWorkspace(ctx.rootDir, normalizePath(check.path))
      if (path === undefined || path === '') return { ok: false, detail: `${check.path} is not a path inside the workspace` }
      const info = await stat(join(ctx.rootDir, path)).catch(() => undefined)
      return info ? { ok: true, detail: `${path} exists` } : { ok: false, detail: `${path} does not exist` }
    }
    case 'contains':
      return findNeedle(check.needle, ctx)
    case 'manual':
      return { ok: true, detail: 'manual: recorded, not checked' }
  }
}
