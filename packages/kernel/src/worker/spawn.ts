// How an intent runs a process: node's spawn, without a shell, in its own process group (so that
// stopping a job can signal the whole tree), stdout and stderr collected as text. A timeout sends
// SIGTERM, then SIGKILL after a grace period. Spawn errors (a missing program) are a failed result
// with the message in stderr, never a throw. Plain spawn, not execa: starting a short process from
// a large worker costs about half as much (the orchestrator benchmark).

import { spawn } from 'node:child_process'
import type { ExecResult } from '../intent.js'

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

export function spawnProcess(file: string, args: readonly string[], options: SpawnOptions): Promise<ExecResult> {
  const command = [file, ...args].map(quote).join(' ')
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
    let timedOut = false
    let killer: NodeJS.Timeout | undefined
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill('SIGTERM')
            killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
            killer.unref()
          }, options.timeoutMs)
    let spawnError: Error | undefined
    let settled = false
    const finish = (result: ExecResult): void => {
      if (settled) return
      settled = true
      if (timer) clearTimeout(timer)
      if (killer) clearTimeout(killer)
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
        failed: spawnError !== undefined || timedOut || signal !== null || exitCode !== 0,
        timedOut,
      })
    })
  })
}
