// The light entry for intent modules (`@oraclekit/kernel/intent`): what code running inside a
// worker thread needs, and nothing that would slow a worker's start.

/** Runs a command for the job, without a shell; see IntentContext.exec. */
export interface ExecOptions {
  /** Working directory (default: the workspace root). */
  cwd?: string
  /** Extra environment variables, added to the worker's environment (read once per worker thread: set variables for a process here, not by changing process.env). */
  env?: Record<string, string>
  /** Text written to the process's stdin. */
  input?: string
  /** Kills the process after this many ms (the job's own budget applies anyway). */
  timeoutMs?: number
}

export interface ExecResult {
  command: string
  /** Undefined when the process was killed by a signal. */
  exitCode: number | undefined
  signal: string | undefined
  stdout: string
  stderr: string
  /** True for a non-zero exit, a signal, a timeout or a spawn failure. */
  failed: boolean
  timedOut: boolean
}

export interface IntentLogger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

/** What an intent receives besides its input. */
export interface IntentContext {
  job: { id: string; intent: string; attempt: number; runId: string }
  /** Absolute path of the workspace root. */
  rootDir: string
  /** Lines in the run's event log, tagged with the job. */
  log: IntentLogger
  /**
   * Runs a process for this job. Use it rather than child_process: the kernel tracks what it
   * starts, so a job stopped by its budget or the user takes its whole process tree with it.
   */
  exec(file: string, args?: readonly string[], options?: ExecOptions): Promise<ExecResult>
  /** Records a workspace-relative path of evidence the job wrote. */
  evidence(path: string): void
  /** Milliseconds since the epoch, from the run's clock (pinned in reproducible runs). */
  now(): number
}

export type IntentFunction<TInput = unknown, TOutput = unknown> = (input: TInput, ctx: IntentContext) => TOutput | Promise<TOutput>

/** Typed identity for the default export of an intent module. */
export function defineIntent<TInput = unknown, TOutput = unknown>(fn: IntentFunction<TInput, TOutput>): IntentFunction<TInput, TOutput> {
  return fn
}

/** Throw it for a failure worth retrying (rate limits, flaky network): the run retries with backoff. */
export class TransientError extends Error {
  override readonly name = 'TransientError'
  readonly transient = true
}

/**
 * Throw it to fail the job with a kind that stop conditions can match, e.g.
 * `new JobFailure('test_failed', '3 tests failed')`.
 */
export class JobFailure extends Error {
  override readonly name = 'JobFailure'
  constructor(
    readonly kind: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

// What an intent needs to keep evidence: scrub credentials from output, write stable JSON atomically.
export { redactSecrets } from './services/redact.js'
export { stableStringify } from './services/stable-json.js'
export { writeFileAtomic, writeJsonAtomic } from './services/store.js'
