// The messages between the runner (main thread) and the intent worker. Shared by both sides.

export const MARKER_ENV = 'ORACLEKIT_JOB_MARKER'

export interface WorkerRunRequest {
  type: 'run'
  /** File URL of the intent module. */
  module: string
  exportName: string
  input: unknown
  job: { id: string; intent: string; attempt: number; runId: string }
  rootDir: string
  /** Set in the environment of every process the job spawns, so they can be found and stopped. */
  marker: string
  /** BroadcastChannel name for logs and spawned pids. */
  channel: string
  /** A pinned clock (ms since epoch), when the run's clock is fixed. */
  now?: number
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

export type WorkerResponse =
  | { type: 'done'; output: unknown; evidence: string[] }
  | { type: 'failed'; error: SerializedError; evidence: string[] }

export type ChannelMessage =
  | { type: 'log'; job: string; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> }
  | { type: 'pid'; job: string; marker: string; pid: number }
