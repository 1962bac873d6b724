import { existsSync } from 'node:fs'
import type { StopCondition, StopDecision } from './types.js'

/**
 * Stops the run while `file` exists: no job starts, and running jobs are stopped. Touching the file
 * is the emergency brake of every run in the workspace.
 */
export function killSwitchFile(file: string): StopCondition {
  return { name: 'kill-switch-file', check: () => killSwitchEngaged(file) }
}

/** The kill-switch file's decision right now (the runner also polls it while jobs run). */
export function killSwitchEngaged(file: string): StopDecision | undefined {
  return existsSync(file) ? { kind: 'kill_switch', message: `kill switch engaged (${file} exists)`, abortRunning: true } : undefined
}

/** Stops the run (start no more jobs) after a job fails with one of `kinds`; any failure if empty. */
export function stopOnFailure(kinds: readonly string[] = []): StopCondition {
  return {
    name: 'stop-on-failure',
    check: ({ phase, last }) => {
      if (phase !== 'after_result' || last?.status !== 'failed') return undefined
      if (kinds.length > 0 && !kinds.includes(last.failureKind ?? '')) return undefined
      return { kind: 'failure', message: `job ${last.id} failed (${last.failureKind ?? 'error'}): ${last.reason ?? ''}`.trim() }
    },
  }
}

/** A stop condition from a plain predicate over the kill-switch state of something outside the run. */
export function killSwitch(name: string, isEngaged: () => boolean | Promise<boolean>): StopCondition {
  return {
    name,
    // an emergency brake: also watched while jobs run
    watch: true,
    check: async (): Promise<StopDecision | undefined> =>
      (await isEngaged()) ? { kind: 'kill_switch', message: `kill switch "${name}" engaged`, abortRunning: true } : undefined,
  }
}
