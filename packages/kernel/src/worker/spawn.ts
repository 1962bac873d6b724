// How an intent runs a process: without a shell, outside the oracle's process group, stdout and
// stderr collected as text. A timeout sends SIGTERM, then SIGKILL after a grace period. Spawn
// errors (a missing program) are a failed result with Node's message in stderr, never a throw.
// The process is started by the worker's exec helper (exec-server.ts: a small shell that forks
// for us, at a fraction of what forking a large Node costs), or by Node's own spawn where there is
// no helper; spawn.test.ts checks that both give the same results.

import { spawn } from 'node:child_process'
import type { ExecResult } from '../intent.js'
import { type ExecServer, execServer } from './exec-server.js'

const KILL_GRACE_MS = 5000

export interface SpawnOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  input?: string
  timeoutMs?: number
  onPid?: (pid: number) => void
}

function quote(arg: string): string {
  return /^[\w./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** A process's time limit: SIGTERM when it runs out, SIGKILL after the grace period. */
interface Deadline {
  readonly timedOut: boolean
  clear(): void
}

function deadline(timeoutMs: number | undefined, kill: (signal: NodeJS.Signals) => void): Deadline {
  let timedOut = false
  let killer: NodeJS.Timeout | undefined
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true
          kill('SIGTERM')
          killer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS)
          killer.unref()
        }, timeoutMs)
  return {
    get timedOut() {
      return timedOut
    },
    clear() {
      if (timer) clearTimeout(timer)
      if (killer) clearTimeout(killer)
    },
  }
}

export function spawnProcess(file: string, args: readonly string[], options: SpawnOptions): Promise<ExecResult> {
  const command = [file, ...args].map(quote).join(' ')
  const server = execServer()
  if (server) return serverProcess(server, command, file, args, options)
  return nodeSpawn(command, file, args, options)
}

export function nodeSpawn(command: string, file: string, args: readonly string[], options: SpawnOptions): Promise<ExecResult> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(file, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    } catch (error) {
      resolve({ command, exitCode: undefined, signal: undefined, stdout: '', stderr: (error as Error).message, failed: true, timedOut: false })
      return
    }
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk))
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(options.input)
    }
    if (child.pid !== undefined) options.onPid?.(child.pid)
    const limit = deadline(options.timeoutMs, (signal) => child.kill(signal))
    let spawnError: Error | undefined
    let settled = false
    const finish = (result: ExecResult): void => {
      if (settled) return
      settled = true
      limit.clear()
      resolve(result)
    }
    child.on('error', (error) => {
      spawnError = error
      // it never started (a missing program): there will be no exit to wait for
      if (child.pid === undefined) finish({ command, exitCode: undefined, signal: undefined, stdout: '', stderr: error.message, failed: true, timedOut: false })
    })
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8')
      const exitCode = code ?? undefined
      finish({
        command,
        exitCode: spawnError ? undefined : exitCode,
        signal: signal ?? undefined,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: spawnError && !stderr ? spawnError.message : stderr,
        failed: spawnError !== undefined || limit.timedOut || signal !== null || exitCode !== 0,
        timedOut: limit.timedOut,
      })
    })
  })
}

/** The same contract as the spawn path above, through the worker's exec helper. */
export async function serverProcess(server: ExecServer, command: string, file: string, args: readonly string[], options: SpawnOptions): Promise<ExecResult> {
  let pid: number | undefined
  let signalled: NodeJS.Signals | undefined
  const kill = (signal: NodeJS.Signals): void => {
    signalled = signal
    if (pid === undefined) return // sent when the pid arrives
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
  const limit = deadline(options.timeoutMs, kill)
  const running = server.run({
    file,
    args,
    cwd: options.cwd,
    env: options.env,
    ...(options.input === undefined ? {} : { input: options.input }),
    onPid: (n) => {
      pid = n
      options.onPid?.(n)
      if (signalled) kill(signalled)
    },
  })
  if (!running) {
    limit.clear()
    return nodeSpawn(command, file, args, options)
  }
  const exit = await running
  limit.clear()
  const { timedOut } = limit
  if (exit.spawnError) {
    // Node's own wording for a process that could not start, e.g. "spawn nope ENOENT".
    return { command, exitCode: undefined, signal: undefined, stdout: '', stderr: `spawn ${file} ${exit.spawnError}`, failed: true, timedOut }
  }
  return {
    command,
    exitCode: exit.exitCode,
    signal: exit.signal,
    stdout: exit.stdout,
    stderr: exit.stderr,
    failed: timedOut || exit.signal !== undefined || exit.exitCode !== 0,
    timedOut,
  }
}
