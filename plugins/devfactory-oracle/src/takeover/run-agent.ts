// Runs the takeover agent: an argv, no shell, in its own process group (detached), so that a
// timeout stops the agent and everything it started. The prompt goes to its stdin as well as to
// the prompt file; stdout and stderr go straight to the log file (an fd, not a pipe: nothing is
// buffered in the oracle, and the log is complete even if the oracle dies first).

import { spawn } from 'node:child_process'
import { open } from 'node:fs/promises'
import { killJobProcesses, redactSecrets } from '@oraclekit/kernel'

export interface AgentRunOptions {
  cwd: string
  /** Written to the agent's stdin, then closed. */
  input: string
  /** Absolute path; appended to. */
  logPath: string
  timeoutMs: number
  /** Between SIGTERM and SIGKILL when the time is up (default 5 s). */
  killGraceMs?: number
  env?: NodeJS.ProcessEnv
}

export interface AgentRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  /** Set when the agent could not be started at all (e.g. ENOENT). */
  startError?: string
}

export async function runAgent(argv: readonly string[], options: AgentRunOptions): Promise<AgentRun> {
  const [file, ...args] = argv
  if (file === undefined) throw new TypeError('runAgent needs a non-empty argv; this is a bug')
  const log = await open(options.logPath, 'a')
  try {
    await log.write(`$ ${redactSecrets(argv.map(quote).join(' '))}\n`)
    const run = await new Promise<AgentRun>((resolve) => {
      let timedOut = false
      let settled = false
      let killing: Promise<unknown> = Promise.resolve()
      const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['pipe', log.fd, log.fd] })
      const timer = setTimeout(() => {
        timedOut = true
        if (child.pid !== undefined) killing = killJobProcesses([child.pid], undefined, options.killGraceMs ?? 5_000).catch(() => undefined)
      }, options.timeoutMs)
      const settle = (result: AgentRun) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        // After a timeout, return only once the whole tree is gone (SIGKILL stage included).
        void killing.then(() => resolve(result))
      }
      child.on('error', (error: NodeJS.ErrnoException) => settle({ exitCode: null, signal: null, timedOut, startError: `${error.code ?? 'error'}: ${error.message}` }))
      child.on('exit', (exitCode, signal) => {
        // What the agent left running in its group ends with it: it ran for this takeover only.
        if (child.pid !== undefined) signalGroup(child.pid)
        settle({ exitCode, signal, timedOut })
      })
      // An agent that never reads its stdin closes the pipe early; that is not a failure.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(options.input)
    })
    const ending = run.startError ? `could not start: ${run.startError}` : run.timedOut ? `stopped after ${options.timeoutMs} ms (timeout)` : `exit code ${run.exitCode ?? `null (signal ${run.signal})`}`
    await log.write(`\n[oracle] ${ending}\n`)
    return run
  } finally {
    await log.close()
  }
}

function signalGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM')
  } catch {
    // No process left in the group: the usual case.
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}
