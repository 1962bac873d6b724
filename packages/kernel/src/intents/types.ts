/** One unit of work: run intent `intent` on `input`. */
export interface JobRequest<TInput = unknown> {
  /** Unique within the run and stable across reruns: resume matches jobs by id. */
  id: string
  intent: string
  input: TInput
  /** Free-form labels (e.g. `product`) carried into results, events and stop conditions. */
  labels?: Readonly<Record<string, string>>
}

export type JobStatus = 'ok' | 'failed' | 'skipped' | 'stopped'

export interface JobResult {
  id: string
  intent: string
  status: JobStatus
  attempts: number
  durationMs: number
  /** Why the job did not end ok; absent when it did. */
  reason?: string
  /** The kind of failure (`error`, `timeout`, `test_failed`, …), for stop conditions. */
  failureKind?: string
  output?: unknown
  /** Workspace-relative paths of evidence the intent wrote. */
  evidence: string[]
  labels?: Readonly<Record<string, string>>
  /** sha256 of the job's validated input; resume reuses a result only when it matches. */
  inputHash: string
  /** True when the result was carried over from an earlier, interrupted session of the run. */
  resumed?: boolean
}

export interface RetryBudget {
  /** Retries allowed in the whole run, shared by all jobs. */
  max: number
  /** Retries allowed for one job (so a job runs at most perJob + 1 times). */
  perJob: number
  baseDelayMs: number
  maxDelayMs: number
  factor: number
  /** Full jitter: the delay is uniform in [0, exponential delay]. */
  jitter: boolean
}

export interface Budget {
  maxParallel: number
  maxJobs: number
  maxJobTimeMs: number
  maxRunTimeMs: number
  retries: RetryBudget
  /** Heap limit of each worker thread, in MB (unset: Node's default). */
  maxMemoryMb?: number
  /** Time a stopped job's processes get between SIGTERM and SIGKILL. */
  killGraceMs: number
}

export type BudgetOverrides = Partial<Omit<Budget, 'retries'>> & { retries?: Partial<RetryBudget> }

/** Why a run stopped early. */
export interface StopReason {
  /** `kill_switch`, `failure`, `budget_exhausted`, `run_timeout`, `user_abort`, or a plugin's own kind. */
  kind: string
  message: string
  /** Name of the stop condition that fired, when one did. */
  condition?: string
}

export interface StopDecision extends StopReason {
  /** Stop the jobs already running too (default: let them finish, start no more). */
  abortRunning?: boolean
}

/** What a stop condition sees. Counters are live; do not keep the object. */
export interface RunSnapshot {
  runId: string
  /** `watch`: the periodic check of a watched condition while jobs run. */
  phase: 'before_job' | 'after_result' | 'watch'
  /** The job about to start (before_job). */
  next?: JobRequest
  /** The result just recorded (after_result). */
  last?: JobResult
  results: readonly JobResult[]
  running: number
  pending: number
  retriesUsed: number
  elapsedMs: number
}

/** A predicate checked before each job starts and after each result. */
export interface StopCondition {
  name: string
  /**
   * Also check it every 200 ms while jobs run (an emergency brake, such as a kill switch, that
   * must not wait for the running job to end). Keep such a check cheap.
   */
  watch?: boolean
  check(snapshot: RunSnapshot): StopDecision | undefined | Promise<StopDecision | undefined>
}

export interface RunEvent {
  type: 'job_started' | 'job_retry' | 'job_finished' | 'run_stopping'
  job?: string
  result?: JobResult
  /** job_retry: the attempt that failed, and how long the run waits before the next one. */
  attempt?: number
  delayMs?: number
  /** job_retry: why the attempt failed (secrets redacted). */
  error?: string
  reason?: StopReason
}

export interface RunRequest {
  jobs: readonly JobRequest[]
  /** Names the run and its directory; default derived from the jobs and the clock. */
  runId?: string
  /** Where the journal, events and run.json go (relative to the root); `false` keeps nothing. */
  runDir?: string | false
  budget?: BudgetOverrides
  stopConditions?: readonly StopCondition[]
  /** Aborting it stops the run as a user abort (the CLI wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal
  /** Continue an interrupted run: jobs that already ended ok or failed keep their results. */
  resume?: boolean
  onEvent?: (event: RunEvent) => void
  /**
   * More jobs as they become ready (a task DAG): a lane with nothing queued asks `next()` and runs
   * what it gets; `undefined` means no more, and ends the lane. Ids must stay unique in the run;
   * each job is checked like the request's own. `intents` lists what it may feed, so the pool
   * loads them before the first job.
   */
  feed?: JobFeed
}

export interface JobFeed {
  next(): Promise<JobRequest | undefined>
  intents: readonly string[]
}

export type RunStatus = 'ok' | 'failed' | 'stopped'

export interface RunResult {
  runId: string
  /** Absolute path of the run directory, when the run is persisted. */
  runDir?: string
  status: RunStatus
  stopReason?: StopReason
  jobs: JobResult[]
  retriesUsed: number
  startedAt: string
  finishedAt: string
  durationMs: number
}
