import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { ExitCode, OracleError } from '../errors/oracle-error.js'
import { isAlive } from './kill-tree.js'

interface Owner {
  pid: number
  host: string
  /** Start time of the owner process (Linux), so a reused pid is not mistaken for the owner. */
  started?: string
}

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner
  } catch {
    return undefined
  }
}

function ownerIsRunning(owner: Owner): boolean {
  if (owner.host !== hostname()) return true // cannot tell: assume it is
  if (!isAlive(owner.pid)) return false
  return owner.started === undefined || owner.started === startTime(owner.pid)
}

export interface RunLock {
  release(): void
}

/**
 * Takes the lock of a run directory: `<runDir>/lock` names the owning process. Two processes
 * never drive one run; a lock left by a process that died (killed, crashed) is taken over at
 * once, so a killed run can be resumed right away.
 */
export function acquireRunLock(runDir: string, runId: string): RunLock {
  mkdirSync(runDir, { recursive: true })
  const file = join(runDir, 'lock')
  const me: Owner = { pid: process.pid, host: hostname(), ...(startTime(process.pid) ? { started: startTime(process.pid) as string } : {}) }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, JSON.stringify(me))
      closeSync(fd)
      return { release: () => rmSync(file, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = readOwner(file)
      if (owner && ownerIsRunning(owner)) {
        throw new OracleError('ORACLE_RUN_LOCKED', `Run ${runId} is in progress (process ${owner.pid} on ${owner.host})`, {
          file,
          exitCode: ExitCode.usage,
          hint: `Wait for it to finish, or stop it (Ctrl-C in its terminal, or kill ${owner.pid}); then resume the run.`,
        })
      }
      // The owner is gone (or the file was half-written by a process that died): take over.
      rmSync(file, { force: true })
    }
  }
  throw new OracleError('ORACLE_RUN_LOCKED', `Could not take the lock of run ${runId}`, { file, exitCode: ExitCode.usage, hint: 'Another process keeps taking it; try again.' })
}
