// The oracle completes a stuck task itself by running the configured agent command. Refusals
// (no agent, another takeover running) throw before anything changes; a takeover that ran
// returns a result, successful or not, and always leaves the task in a settled state:
// complete with its box ticked, or back to `stuck`.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Clock, resolveInside, systemClock, toPosixRelative, writeFileAtomic } from '@oraclekit/kernel'
import { errorNoAgent, errorTakeoverBusy } from '../errors.js'
import { nextFileNumber, oracleDir, oracleFileName } from '../oracle-files.js'
import { buildTakeoverPrompt } from '../prompts.js'
import type { BeastState, DevfactoryLog, StateAccess, TaskContext, TaskState } from '../types.js'
import { type CheckboxOutcome, tickCheckbox } from './checkbox.js'
import { runAgent } from './run-agent.js'

export interface TakeoverManagerOptions {
  rootDir: string
  /** DevFactory's folder (default `.devfactory`). */
  dir?: string
  state: StateAccess
  /** The agent argv; `{prompt_file}`, `{task_id}` and `{root}` are replaced in every argument. */
  command?: readonly string[]
  timeoutMs: number
  maxConcurrent?: number
  killGraceMs?: number
  clock?: Clock
  log?: DevfactoryLog
  env?: NodeJS.ProcessEnv
}

export interface TakeoverRequest {
  task: TaskContext
  /** The loader's project summary, put in the prompt. */
  summary: string
  /** Why the oracle takes over (logged). */
  reason: string
  /** The worker that was stuck on it; set to oracle_takeover alongside the task. */
  worker?: string
}

export interface TakeoverResult {
  success: boolean
  taskId: string
  /** ms, by the injected clock. */
  duration: number
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  /** Workspace-relative prompt and log files. */
  promptPath: string
  logPath: string
  /** What happened to the task's box in tasks.md (success only). */
  checkbox?: CheckboxOutcome | 'no_tasks_file'
  error?: string
  /** Not computed yet: the agent does not report it and the workspace may not be a git repository. */
  filesChanged?: string[]
}

export class TakeoverManager {
  private readonly active = new Set<string>()
  private readonly clock: Clock
  private readonly maxConcurrent: number

  constructor(private readonly options: TakeoverManagerOptions) {
    this.clock = options.clock ?? systemClock
    this.maxConcurrent = options.maxConcurrent ?? 1
  }

  /** Task ids being taken over by this process. */
  get running(): string[] {
    return [...this.active]
  }

  async takeover(request: TakeoverRequest): Promise<TakeoverResult> {
    const command = this.options.command
    if (!command || command.length === 0) throw errorNoAgent()
    const taskId = request.task.id
    if (this.active.has(taskId) || this.active.size >= this.maxConcurrent) throw errorTakeoverBusy(taskId, this.running)
    this.active.add(taskId)
    try {
      return await this.run(command, request)
    } finally {
      this.active.delete(taskId)
    }
  }

  private async run(command: readonly string[], request: TakeoverRequest): Promise<TakeoverResult> {
    const { rootDir } = this.options
    const task = request.task
    const dir = oracleDir(rootDir, this.options.dir)
    const started = this.clock.now()
    const prompt = buildTakeoverPrompt(request.summary, task)
    // Claiming the task, numbering the files and writing the prompt happen under the state lock,
    // so a `watch` and a manual `intervene` cannot both start on it (or on two tasks at once).
    const { promptFile, logFile } = await this.options.state.update(async (state) => {
      const others = this.freshTakeovers(state)
      if (others.includes(task.id) || others.length >= this.maxConcurrent) throw errorTakeoverBusy(task.id, others)
      const n = await nextFileNumber(dir, 'takeover', task.id)
      const files = { promptFile: join(dir, oracleFileName('takeover', task.id, n)), logFile: join(dir, oracleFileName('takeover', task.id, n, 'log')) }
      await writeFileAtomic(files.promptFile, `${prompt}\n`)
      const at = this.clock.iso()
      const entry: TaskState = (state.tasks[task.id] ??= { id: task.id, title: task.title, spec: task.specName, status: 'oracle_takeover' })
      entry.status = 'oracle_takeover'
      entry.status_since = at
      const worker = request.worker === undefined ? undefined : state.workers[request.worker]
      if (worker) {
        worker.status = 'oracle_takeover'
        worker.status_since = at
      }
      return files
    })
    const promptPath = toPosixRelative(rootDir, promptFile)
    const logPath = toPosixRelative(rootDir, logFile)
    const argv = command.map((arg) => arg.replaceAll('{prompt_file}', promptFile).replaceAll('{task_id}', task.id).replaceAll('{root}', rootDir))
    this.options.log?.info({ task: task.id, worker: request.worker, reason: request.reason, prompt: promptPath, log: logPath }, 'takeover started')
    const run = await runAgent(argv, {
      cwd: rootDir,
      input: prompt,
      logPath: logFile,
      timeoutMs: this.options.timeoutMs,
      ...(this.options.killGraceMs === undefined ? {} : { killGraceMs: this.options.killGraceMs }),
      ...(this.options.env ? { env: this.options.env } : {}),
    })
    const success = !run.startError && !run.timedOut && run.exitCode === 0
    const error = run.startError
      ? `the agent could not be started (${run.startError})`
      : run.timedOut
        ? `the agent did not finish within ${Number((this.options.timeoutMs / 1000).toFixed(1))} s and was stopped`
        : run.exitCode === 0
          ? undefined
          : `the agent exited with ${run.exitCode === null ? `signal ${run.signal}` : `code ${run.exitCode}`}`
    const checkbox = success ? await this.tick(task) : undefined
    await this.settle(task.id, request.worker, success)
    const result: TakeoverResult = {
      success,
      taskId: task.id,
      duration: Math.max(0, this.clock.now() - started),
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      promptPath,
      logPath,
      ...(checkbox ? { checkbox } : {}),
      ...(error ? { error: `${error}; see ${logPath}` } : {}),
    }
    this.options.log?.[success ? 'info' : 'warn']({ task: task.id, exitCode: run.exitCode, timedOut: run.timedOut, checkbox, log: logPath }, success ? 'takeover succeeded' : 'takeover failed')
    return result
  }

  /**
   * Tasks in oracle_takeover whose takeover can still be running. One older than the timeout (or
   * without a time) was left by an oracle that died mid-takeover, and must not block forever.
   */
  private freshTakeovers(state: BeastState): string[] {
    const limit = this.options.timeoutMs + (this.options.killGraceMs ?? 5_000) + 60_000
    return Object.values(state.tasks)
      .filter((t) => t.status === 'oracle_takeover' && t.status_since !== undefined && this.clock.now() - Date.parse(t.status_since) < limit)
      .map((t) => t.id)
  }

  private async tick(task: TaskContext): Promise<CheckboxOutcome | 'no_tasks_file'> {
    if (!task.tasksFile) return 'no_tasks_file'
    const path = resolveInside(this.options.rootDir, task.tasksFile)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      this.options.log?.warn({ task: task.id, file: task.tasksFile, code: (error as NodeJS.ErrnoException).code }, 'tasks file unreadable; checkbox not ticked')
      return 'no_tasks_file'
    }
    const result = tickCheckbox(text, task.line, task.id, task.title)
    if (result.outcome === 'ticked') await writeFileAtomic(path, result.text)
    else if (result.outcome === 'not_found') this.options.log?.warn({ task: task.id, file: task.tasksFile, line: task.line }, 'checkbox of the task not found; left as it is')
    return result.outcome
  }

  private async settle(taskId: string, workerId: string | undefined, success: boolean): Promise<void> {
    await this.options.state.update((state) => {
      const at = this.clock.iso()
      const task = state.tasks[taskId]
      if (task) {
        task.status = success ? 'complete' : 'stuck'
        task.status_since = at
      }
      // The worker is put back only if nothing else moved it meanwhile.
      const worker = workerId === undefined ? undefined : state.workers[workerId]
      if (worker && worker.status === 'oracle_takeover') {
        worker.status = success ? 'idle' : 'stuck'
        worker.status_since = at
        if (success) delete worker.task_id
      }
    })
  }
}
