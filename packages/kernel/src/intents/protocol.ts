// The messages between the runner (main thread) and the intent worker. Shared by both sides.

export const MARKER_ENV = 'ORACLEKIT_JOB_MARKER'

/** What every worker of a run's pool knows from its start (tinypool's `workerData`). */
export interface IntentWorkerData {
  runId: string
  rootDir: string
  /** BroadcastChannel name for logs and spawned pids. */
  channel: string
  intents: Record<string, { module: string; exportName: string; spawns?: boolean }>
}

/** One attempt of one job: kept small, it is copied to a worker for every job. */
export interface WorkerRunRequest {
  intent: string
  input: unknown
  job: string
  attempt: number
  /** Set in the environment of every process the attempt spawns, so they can be found and stopped. */
  marker: string
  /** A pinned clock (ms since epoch), when the run's clock is fixed. */
  now?: number
}

/**
 * Sent once to every thread before the first job: load these intent modules (and the exec
 * machinery when one of them spawns processes), then wait at the barrier until every thread
 * has, so that each thread gets one.
 */
export interface WorkerWarmRequest {
  warm: true
  intents: string[]
  /** Int32 counter of threads that arrived. */
  barrier: SharedArrayBuffer
  threads: number
}

export interface SerializedError {
  name: string
  message: string
  code?: string
  kind?: string
  transient?: boolean
  hint?: string
  stack?: string
}

/** `posted`: how many channel messages the attempt sent, so the runner can wait for them all. */
export type WorkerResponse =
  | { type: 'done'; output: unknown; evidence: string[]; posted: number }
  | { type: 'failed'; error: SerializedError; evidence: string[]; posted: number }

export type ChannelMessage =
  | { type: 'log'; job: string; marker: string; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> }
  | { type: 'pid'; job: string; marker: string; pid: number }
