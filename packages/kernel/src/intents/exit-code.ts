import { ExitCode } from '../errors/oracle-error.js'
import type { RunResult } from './types.js'

/** The documented exit code of a run: 0 ok, 1 a job failed or timed out, 4 stopped early. */
export function runExitCode(result: Pick<RunResult, 'status'>): ExitCode {
  return result.status === 'ok' ? ExitCode.ok : result.status === 'failed' ? ExitCode.failed : ExitCode.stopped
}
