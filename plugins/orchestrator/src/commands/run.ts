// `oracle orchestrate run` and `oracle orchestrate resume`: the plan's DAG, each ready task a job
// of the `orchestrator.task` intent in the kernel's pool, every step appended to the run's event
// log, TASKS.md kept current. A run's state is the log's: a killed run resumes from it.

import { join } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, OracleError, errorUsage, suggest } from '@oraclekit/kernel'
import { RUNS_DIR, createRunId, eventLogPath, latestRun, openEventLog, readEvents } from '../engine/events.js'
import { approvalsFor } from '../engine/approvals.js'
import { createTaskPool } from '../engine/pool.js'
import { runDag } from '../engine/schedule.js'
import { createReducer, reduce, topologicalOrder, withDependencies } from '../engine/state.js'
import { createTasksMdWriter, renderTasksMd } from '../engine/tasks-md.js'
import type { TaskOutput } from '../intents/task.js'
import type { OrchestratorOptions } from '../options.js'
import { createLogWriter } from '../engine/logs.js'
import { loadPlanCached } from '../plan/cache.js'
import type { PlanSpec, RunEvent, RunState, TaskSpec } from '../types.js'
import { planInvalid } from './validate.js'

export interface RunFlags {
  file?: string
  task?: string
  all?: boolean
  resume?: boolean
  dryRun?: boolean
  noBuild?: boolean
  parallel?: number
}

/** The plan, through the cache; `write: false` for commands that must change nothing. */
export async function loadValidPlan(rootDir: string, file: string, options: { write?: boolean } = {}): Promise<PlanSpec> {
  const { plan, problems } = await loadPlanCached(rootDir, file, options)
  if (!plan || problems.length > 0) throw planInvalid(file, problems)
  return plan
}

function selectionOf(plan: PlanSpec, task: string | undefined): Set<string> | undefined {
  if (!task) return undefined
  if (!plan.tasks.some((t) => t.id === task)) {
    const near = suggest(task, plan.tasks.map((t) => t.id))
    throw errorUsage(`--task ${task}: no such task in ${plan.file}`, near ? `Did you mean ${near}?` : undefined)
  }
  return withDependencies(plan, [task])
}

/** With --ci a gate never waits: a task that needs one not yet approved fails the run at once. */
function assertApproved(plan: PlanSpec, state: RunState, selection: Set<string> | undefined): void {
  const missing = [...new Set(plan.tasks.filter((t) => !selection || selection.has(t.id)).flatMap((t) => t.approvals).filter((gate) => !state.approved[gate]))]
  if (missing.length > 0) {
    throw new OracleError('ORACLE_ORCHESTRATE_APPROVAL_REQUIRED', `the plan needs approval of ${missing.join(', ')}, and --ci never waits`, {
      exitCode: ExitCode.stopped,
      hint: `Approve before the CI run: ${missing.map((g) => `oracle orchestrate approve ${g}`).join('; ')}.`,
    })
  }
}

export async function orchestrate(ctx: CommandContext<RunFlags>, resume: boolean, strict = false): Promise<CommandResult> {
  const options = ctx.pluginOptions as OrchestratorOptions
  const root = ctx.kernel.rootDir
  const plan = await loadValidPlan(root, ctx.options.file ?? options.file, { write: !ctx.options.dryRun })
  const selection = selectionOf(plan, ctx.options.task)
  const parallel = ctx.options.parallel ?? options.parallel
  if (ctx.options.dryRun) {
    const order = topologicalOrder(plan).filter((t) => !selection || selection.has(t.id))
    const lines = [`dry run of ${plan.file}: ${order.length} task(s), parallel ${parallel}; nothing is executed or written`]
    order.forEach((t, i) => lines.push(`  ${String(i + 1).padStart(3)}. ${t.id}  ${t.title}${t.dependencies.length ? `  (after ${t.dependencies.join(', ')})` : ''}${t.approvals.length ? `  [gates: ${t.approvals.join(', ')}]` : ''}`))
    return { exitCode: ExitCode.ok, data: { dry_run: true, order: order.map((t) => t.id) }, text: lines.join('\n') }
  }
  const now = () => new Date(ctx.kernel.clock.now()).toISOString()
  // `run --resume` with nothing to resume starts a run; `orchestrate resume` needs one.
  const last = resume ? latestRun(root) : undefined
  if (resume && !last && strict) throw errorUsage('nothing to resume: no run in .codex/runs', 'Start one: oracle orchestrate run.')
  const runId = last ?? createRunId(root, new Date(ctx.kernel.clock.now()))
  const previous = last ? readEvents(eventLogPath(root, last)) : []
  // Gates approved beforehand (for this plan) count; with --ci, one that is not fails the run
  // before anything is written.
  const prior = createReducer(plan)
  for (const event of previous) prior.apply(event)
  const approvals = approvalsFor(root, plan.hash).filter((a) => !prior.state.approved[a.gate])
  for (const a of approvals) prior.apply({ ts: a.at, type: 'approved', gate: a.gate, by: a.by })
  if (ctx.global.ci) assertApproved(plan, prior.state, selection)
  const log = openEventLog(root, runId)
  const events: RunEvent[] = [...previous]
  const reducer = createReducer(plan)
  for (const event of previous) reducer.apply(event)
  // The state follows the log event by event (no re-reading it: a 500-task run appends thousands).
  const append = (event: RunEvent) => {
    events.push(event)
    reducer.apply(event)
    log.append(event, event.ts)
  }
  append(last ? { ts: now(), type: 'resumed' } : { ts: now(), type: 'plan_validated', message: plan.hash })
  for (const a of approvals) append({ ts: a.at, type: 'approved', gate: a.gate, by: a.by })
  let state = reducer.state
  const tasksMd = createTasksMdWriter(join(root, options.tasksMd))
  const logDir = `${RUNS_DIR}/${runId}`
  const logs = createLogWriter(root)
  // One kernel run (one worker pool) for the whole DAG; tasks are fed to it as they become ready.
  const pool = createTaskPool(['orchestrator.task'])
  const kernelRun = ctx.kernel.runIntents({
    jobs: [],
    feed: pool.feed,
    runDir: false,
    signal: ctx.signal,
    onEvent: (event) => pool.onEvent(event),
    budget: {
      maxParallel: parallel,
      maxJobs: plan.tasks.length * 2 + 1,
      maxJobTimeMs: Math.max(...plan.tasks.map((t) => t.timeboxMs || 3_600_000)) + 60_000,
      retries: { perJob: 0, max: 0 },
    },
  })
  void kernelRun.then(
    (result) => pool.settle(result.stopReason?.message ?? 'the run ended'),
    (error: unknown) => pool.settle((error as Error).message),
  )
  let attempt = 0
  const runTask = async (task: TaskSpec) => {
    const gate = task.approvals.find((g) => !state.approved[g])
    if (gate) return { awaiting: gate }
    // a task run again in one session (after a resume in the same process) needs a new job id
    const id = `${task.id}@${++attempt}`
    const input = { task, run_id: runId, log_dir: logDir, ...(options.agent ? { agent: { argv: options.agent.command, timeout_ms: options.agent.timeoutMs } } : {}) }
    const result = await pool.submit({ id, intent: 'orchestrator.task', input })
    const output = result.output as TaskOutput | undefined
    for (const event of output?.events ?? []) append(event)
    if (output) logs.write(output.log, output.log_text)
    if (!output) throw new Error(result.reason ?? 'the task did not run')
    // a throw is how the scheduler learns why: task_failed carries the message
    if (output.status === 'failed') throw new Error(output.message)
    return output.status
  }
  try {
    const outcome = await runDag({
      plan,
      parallel,
      ...(selection ? { selection } : {}),
      state,
      now,
      runTask,
      log: (event) => {
        append(event)
        state = reducer.state
        tasksMd.update(() => renderTasksMd(plan, reducer.state))
        if (event.type === 'task_started' && event.task) ctx.ui.status(`running ${event.task}`)
      },
    })
    state = outcome.state
    // The release build mirrors CI's last step: after every task completed, unless --no-build.
    let status: string = outcome.status
    const release = plan.project.release
    if (outcome.status === 'completed' && release && !ctx.options.noBuild) {
      const task: TaskSpec = { id: 'release-build', title: 'Release build', type: 'release', description: 'project.build.release', paths: [], commands: [release], checks: [], dependencies: [], shards: [], approvals: [], forbiddenPaths: [], timeboxMs: 0, source: plan.file }
      const result = await pool.submit({ id: 'release-build', intent: 'orchestrator.task', input: { task, run_id: runId, log_dir: logDir } })
      const output = result.output as TaskOutput | undefined
      if (output) logs.write(output.log, output.log_text)
      const ok = output?.status === 'completed'
      append({ ts: now(), type: 'command_run', cmd: release.argv.join(' '), status: ok ? 0 : 1, message: ok ? 'release build' : `release build failed: ${output?.message ?? result.reason ?? 'did not run'}` })
      if (!ok) status = 'failed'
    }
    const text = [`run ${runId}: ${status}${release && outcome.status === 'completed' ? (ctx.options.noBuild ? ' (release build skipped: --no-build)' : ' (release build done)') : ''}`, `log: ${RUNS_DIR}/${runId}.jsonl; dashboard: ${options.tasksMd}`]
    if (outcome.status === 'awaiting_approval') text.push(`awaiting approval: ${state.awaiting.join(', ')} — oracle orchestrate approve <gate>, then oracle orchestrate resume`)
    const exitCode = status === 'completed' ? ExitCode.ok : status === 'failed' ? ExitCode.failed : ExitCode.stopped
    return { exitCode, data: { run_id: runId, status, state }, text: text.join('\n') }
  } finally {
    pool.close()
    await kernelRun.catch(() => undefined)
    // a log that could not be written is not worth failing a finished run for; it is reported
    await logs.flush().catch((error: unknown) => ctx.logger.warn({ event: 'task_log_failed' }, `a task log could not be written: ${(error as Error).message}`))
    tasksMd.update(renderTasksMd(plan, reduce(events, plan)))
    await tasksMd.close()
    log.close()
  }
}

export const run = (ctx: CommandContext<RunFlags>) => orchestrate(ctx, Boolean(ctx.options.resume))
export const resumeRun = (ctx: CommandContext<RunFlags>) => orchestrate(ctx, true, true)
