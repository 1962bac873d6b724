// One task of a plan, run in a worker thread: the agent (code_change), the commands with their
// retries, the shards' checks, the task's checks, then the constraints. A failed task is a result,
// not an exception: its events must reach the run's log. Only bad input throws.

import { setTimeout as sleep } from 'node:timers/promises'
import { type ExecResult, type IntentContext, JobFailure, defineIntent, redactSecrets } from '@oraclekit/kernel/intent'
import { runCheck } from '../exec/checks.js'
import { changedSince, forbiddenHits, type GitSnapshot, gitSnapshot } from '../exec/git.js'
import { insideWorkspace, normalizePath } from '../exec/glob.js'
import { writeHandoff } from '../exec/handoff.js'
import type { Check, CommandSpec, RunEvent, TaskSpec } from '../types.js'

export interface TaskInput {
  task: TaskSpec
  run_id: string
  /** The coding agent for code_change tasks: its argv, to which the handoff's path is appended. */
  agent?: { argv: string[]; timeout_ms: number }
  /** Where `<task_id>.log` goes, workspace-relative: `.codex/runs/<run>/`. */
  log_dir: string
}

/** A run event as the task reports it, stamped in the worker when it happened. */
export type TaskEvent = RunEvent

export interface TaskOutput {
  status: 'completed' | 'failed'
  /** Why the task failed, or a one-line summary of what passed. */
  message: string
  events: TaskEvent[]
  /** Where the task's log goes, workspace-relative. */
  log: string
  /**
   * The log itself, secrets redacted. The main thread writes it, off the task's critical path: a
   * file created per task cost a `true` task a tenth of its time.
   */
  log_text: string
}

/** What one task run accumulates as it goes. */
interface TaskRun {
  input: TaskInput
  ctx: IntentContext
  events: TaskEvent[]
  log: string[]
  failures: string[]
  /** performance.now() past which the timebox is exceeded (Infinity: no timebox). */
  deadline: number
}

function invalid(message: string): never {
  throw new JobFailure('invalid_input', `orchestrator.task: ${message}`)
}

function validate(input: TaskInput): void {
  const task = input?.task
  if (!task || typeof task.id !== 'string' || task.id === '') invalid('task.id is required')
  for (const field of ['commands', 'checks', 'shards', 'paths', 'forbiddenPaths'] as const) if (!Array.isArray(task[field])) invalid(`task ${task.id}: ${field} must be an array`)
  if (task.commands.some((command) => !Array.isArray(command.argv) || command.argv.length === 0)) invalid(`task ${task.id}: a command has an empty argv`)
  if (typeof input.run_id !== 'string' || input.run_id === '') invalid('run_id is required')
  if (typeof input.log_dir !== 'string' || insideWorkspace('/w', normalizePath(input.log_dir)) === undefined) invalid(`log_dir must be workspace-relative: ${input.log_dir}`)
  if (input.agent && (!Array.isArray(input.agent.argv) || input.agent.argv.length === 0)) invalid('agent.argv must not be empty')
}

const remaining = (run: TaskRun): number => run.deadline - performance.now()

const lastLineOf = (text: string): string | undefined =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1)

const lastLine = (result: ExecResult): string | undefined => lastLineOf(result.stderr) ?? lastLineOf(result.stdout)

/** Runs one process under its own limit and the timebox; records a command_run event and the log. */
async function runProcess(run: TaskRun, argv: string[], ownTimeoutMs: number, attempt: number): Promise<{ result: ExecResult; byTimebox: boolean }> {
  const left = remaining(run)
  const own = ownTimeoutMs > 0 ? ownTimeoutMs : Number.POSITIVE_INFINITY
  const limit = Math.min(own, left)
  const started = performance.now()
  const [file, ...args] = argv
  const result = await run.ctx.exec(file as string, args, { cwd: run.ctx.rootDir, ...(Number.isFinite(limit) ? { timeoutMs: Math.max(1, Math.ceil(limit)) } : {}) })
  const durationMs = Math.round(performance.now() - started)
  const cmd = argv.join(' ')
  const failure = result.failed ? (lastLine(result) ?? (result.timedOut ? 'timed out' : `exited ${result.exitCode ?? result.signal}`)) : undefined
  emit(run, { type: 'command_run', task: run.input.task.id, cmd: redactSecrets(cmd), status: result.exitCode ?? null, attempt, duration_ms: durationMs, ...(failure ? { message: redactSecrets(failure) } : {}) })
  const status = result.timedOut ? `timed out after ${Math.ceil(limit)} ms` : result.exitCode === undefined ? `killed by ${result.signal}` : `exit ${result.exitCode}`
  run.log.push(`$ ${cmd}  (attempt ${attempt}, ${status}, ${durationMs} ms)`, '--- stdout ---', result.stdout.trimEnd(), '--- stderr ---', result.stderr.trimEnd(), '')
  return { result, byTimebox: result.timedOut && left <= own }
}

function why(result: ExecResult): string {
  return result.timedOut ? 'timed out' : result.exitCode === undefined ? `was killed by ${result.signal ?? 'a signal'}` : `exited ${result.exitCode}`
}

/** A command with its retries; the backoff doubles from backoffMs. Returns the failure, if any. */
async function runCommand(run: TaskRun, command: CommandSpec): Promise<string | undefined> {
  const cmd = command.argv.join(' ')
  for (let attempt = 1; ; attempt++) {
    if (remaining(run) <= 0) return `timebox exceeded before ${command.name} (${cmd})`
    const { result, byTimebox } = await runProcess(run, command.argv, command.timeoutMs, attempt)
    if (!result.failed) return undefined
    if (byTimebox) return `timebox exceeded: ${command.name} (${cmd}) was stopped`
    if (attempt > command.retries) return `${command.name} (${cmd}) ${why(result)}${attempt > 1 ? ` after ${attempt} attempts` : ''}`
    const backoff = command.backoffMs * 2 ** (attempt - 1)
    if (backoff >= remaining(run)) return `timebox exceeded: no time left to retry ${command.name} (${cmd})`
    await sleep(backoff)
  }
}

/** Runs checks, reporting each; returns false when the timebox ran out before they finished. */
async function runChecks(run: TaskRun, checks: Check[], shard?: string): Promise<boolean> {
  const { task } = run.input
  for (const check of checks) {
    if (remaining(run) <= 0) return false
    const left = remaining(run)
    const result = await runCheck(check, { rootDir: run.ctx.rootDir, taskPaths: task.paths, exec: run.ctx.exec, ...(Number.isFinite(left) ? { timeoutMs: Math.max(1, Math.ceil(left)) } : {}) })
    const detail = redactSecrets(result.detail)
    emit(run, { type: result.ok ? 'acceptance_passed' : 'acceptance_failed', task: task.id, ...(shard ? { shard } : {}), check: check.text, message: detail })
    if (!result.ok) run.failures.push(`acceptance failed${shard ? ` (shard ${shard})` : ''}: ${check.text}: ${detail}`)
  }
  return true
}

/** The agent, the commands, the shards, the task's checks; stops at the first failure before the checks. */
async function runSteps(run: TaskRun): Promise<void> {
  const { task, agent, run_id } = run.input
  if (task.type === 'code_change' && agent) {
    const plan = task.source.replace(/:\d+$/, '')
    const handoff = await writeHandoff({ rootDir: run.ctx.rootDir, task, runId: run_id, file: plan })
    run.ctx.evidence(handoff)
    const { result, byTimebox } = await runProcess(run, [...agent.argv, handoff], agent.timeout_ms, 1)
    if (byTimebox) {
      run.failures.push('timebox exceeded: the agent was stopped')
      return
    }
    if (result.failed) {
      run.failures.push(`agent (${agent.argv.join(' ')}) ${why(result)}`)
      return
    }
  }
  for (const command of task.commands) {
    const failure = await runCommand(run, command)
    if (failure) {
      run.failures.push(failure)
      return
    }
  }
  // A shard runs inside its task: a group of checks, reported on its own.
  for (const shard of task.shards) {
    emit(run, { type: 'shard_started', task: task.id, shard: shard.id })
    const before = run.failures.length
    if (!(await runChecks(run, shard.checks, shard.id))) {
      run.failures.push(`timebox exceeded during shard ${shard.id}`)
      return
    }
    // a shard with a failed check is not completed: its acceptance_failed events say why
    if (run.failures.length === before) emit(run, { type: 'shard_completed', task: task.id, shard: shard.id })
  }
  if (!(await runChecks(run, task.checks))) run.failures.push('timebox exceeded during the acceptance checks')
}

/** Forbidden paths (against what the task changed) and the timebox, checked after everything. */
async function checkConstraints(run: TaskRun, snapshot: GitSnapshot | undefined, started: number): Promise<void> {
  const { task } = run.input
  if (task.forbiddenPaths.length > 0) {
    const check = `forbidden paths: ${task.forbiddenPaths.join(', ')}`
    const changed = await changedSince(snapshot)
    const hits = changed === undefined ? [] : forbiddenHits(changed, task.forbiddenPaths)
    const message = changed === undefined ? 'not enforced: the workspace is not a git repository' : hits.length > 0 ? `changed ${hits.join(', ')}` : `none of ${changed.length} changed files is forbidden`
    emit(run, { type: hits.length > 0 ? 'acceptance_failed' : 'acceptance_passed', task: task.id, check, message })
    if (hits.length > 0) run.failures.push(`constraint failed: the task changed forbidden paths: ${hits.join(', ')}`)
  }
  if (task.timeboxMs > 0) {
    const elapsed = Math.round(performance.now() - started)
    const exceeded = elapsed > task.timeboxMs || run.failures.some((failure) => failure.startsWith('timebox exceeded'))
    const message = exceeded ? `timebox exceeded: ${elapsed} ms of ${task.timeboxMs} ms` : `${elapsed} ms of ${task.timeboxMs} ms`
    emit(run, { type: exceeded ? 'acceptance_failed' : 'acceptance_passed', task: task.id, check: `timebox ${task.timeboxMs} ms`, message })
    if (exceeded && !run.failures.some((failure) => failure.startsWith('timebox exceeded'))) run.failures.push(message)
  }
}

/** Records an event, stamped now: when it happened, not when the main thread heard of it. */
function emit(run: TaskRun, event: Omit<RunEvent, 'ts'>): void {
  run.events.push({ ts: new Date(run.ctx.now()).toISOString(), ...event } as RunEvent)
}

function summary(run: TaskRun): string {
  const { task } = run.input
  const [first, ...rest] = run.failures
  if (first) return `${first}${rest.length > 0 ? ` (and ${rest.length} more failure${rest.length > 1 ? 's' : ''})` : ''}`
  const checks = run.events.filter((event) => event.type === 'acceptance_passed').length
  return `completed: ${task.commands.length} command${task.commands.length === 1 ? '' : 's'}, ${checks} check${checks === 1 ? '' : 's'} passed`
}

export default defineIntent<TaskInput, TaskOutput>(async (input, ctx) => {
  validate(input)
  const { task } = input
  const started = performance.now()
  const run: TaskRun = { input, ctx, events: [], log: [`# ${task.id} — ${task.title} (run ${input.run_id})`, ''], failures: [], deadline: task.timeboxMs > 0 ? started + task.timeboxMs : Number.POSITIVE_INFINITY }
  // Only a task with forbidden paths needs to know what it changed: git costs a process or three.
  const snapshot = task.forbiddenPaths.length > 0 ? await gitSnapshot(ctx.rootDir) : undefined
  const logPath = [normalizePath(input.log_dir), `${task.id.replace(/[^\w.-]/g, '_')}.log`].filter(Boolean).join('/')
  await runSteps(run)
  await checkConstraints(run, snapshot, started)
  ctx.evidence(logPath)
  const status = run.failures.length > 0 ? 'failed' : 'completed'
  return { status, message: redactSecrets(summary(run)), events: run.events, log: logPath, log_text: redactSecrets(run.log.join('\n')) }
})
