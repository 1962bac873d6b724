// The orchestrator's contracts between its parts (issue 7, seed 4). The plan's TypeBox schema is
// in plan/schema.ts; these are the shapes the loader hands to the engine, the events the engine
// appends, and the state derived from them.

/** A command of a task: a string (run as an argv, split on spaces, no shell) or a detailed form. */
export interface CommandSpec {
  name: string
  /** The argv. */
  argv: string[]
  timeoutMs: number
  /** Retries after a failure (0: none), with exponential backoff from backoffMs. */
  retries: number
  backoffMs: number
}

/** An acceptance criterion, parsed. Free text is a `manual` check: recorded, never automated. */
export type Check =
  | { kind: 'tests_pass'; text: string; argv: string[] }
  | { kind: 'file_exists'; text: string; path: string }
  | { kind: 'contains'; text: string; needle: string }
  | { kind: 'exit_code'; text: string; code: number; argv: string[] }
  | { kind: 'manual'; text: string }

export interface ShardSpec {
  id: string
  title: string
  checks: Check[]
}

/** A task as the engine runs it: the plan's fields resolved (includes, defaults, parsed checks). */
export interface TaskSpec {
  id: string
  title: string
  type: string
  description: string
  paths: string[]
  commands: CommandSpec[]
  checks: Check[]
  dependencies: string[]
  shards: ShardSpec[]
  /** Gates the task waits for (its own plus the plan's that apply to its type). */
  approvals: string[]
  forbiddenPaths: string[]
  /** Wall time for the whole task, commands and checks (0: none). */
  timeboxMs: number
  /** Where the task came from, for messages: `orchestrator.yml:12` or `tasks/a.yml:3`. */
  source: string
}

export interface PlanSpec {
  /** The plan file, workspace-relative. */
  file: string
  /** sha256 of the resolved plan (all included files): a run belongs to one plan. */
  hash: string
  /** `release`: the project's release build (`project.build.release`), run after every task completed unless --no-build. */
  project: { name: string; root: string; release?: CommandSpec }
  approvals: string[]
  tasks: TaskSpec[]
}

/** One line of `.codex/runs/<run>.jsonl` (seed 4's event model, plus the run's own bookends). */
export interface RunEvent {
  ts: string
  type:
    | 'plan_validated'
    | 'plan_updated'
    | 'task_started'
    | 'task_completed'
    | 'task_failed'
    | 'shard_started'
    | 'shard_completed'
    | 'acceptance_passed'
    | 'acceptance_failed'
    | 'command_run'
    | 'patch_applied'
    | 'awaiting_approval'
    | 'approved'
    | 'resumed'
    | 'skipped'
    | 'blocked'
    | 'completed'
  task?: string
  shard?: string | null
  cmd?: string
  status?: number | null
  check?: string
  gate?: string
  by?: string
  message?: string
  duration_ms?: number
  attempt?: number
}

export type TaskState = 'pending' | 'running' | 'completed' | 'failed' | 'blocked' | 'awaiting_approval' | 'skipped'

/** The run as the event log says it is: every view (status, TASKS.md, report, resume) reads this. */
export interface RunState {
  plan_hash: string | null
  tasks: Record<string, { state: TaskState; started_at: string | null; finished_at: string | null; duration_ms: number | null; message: string | null; attempts: number }>
  /** Gates a task waits for, and who approved which. */
  awaiting: string[]
  approved: Record<string, { by: string; at: string }>
  finished: boolean
}
