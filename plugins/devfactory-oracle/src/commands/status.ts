// `oracle devfactory status`: the workers and the detector's verdict on each, the tasks waiting on
// a person, whether a watch runs, the project context in brief, and the intervention stats.
// Read-only: it takes no lock and writes nothing.

import { type CommandContext, type CommandResult, ExitCode, compareCodeUnits } from '@oraclekit/kernel'
import { createContextLoader } from '../context/loader.js'
import { checkWorker, formatDuration } from '../detect/detector.js'
import { verdictText } from '../oracle/describe.js'
import { isWatchRunning, readWatchFile, watchFilePath } from '../oracle/watch-file.js'
import type { DevfactoryOptions } from '../options.js'
import { createStateStore } from '../state/store.js'
import { InterventionTracker } from '../tracker/tracker.js'
import type { OracleStats, WorkerState } from '../types.js'
import { statsLines } from './stats.js'

/** Token budget of the context summary: seed 3's getStatus() shows getSummary(500). */
const SUMMARY_TOKENS = 500

const age = (now: number, iso: string | undefined): number | null => {
  const at = iso === undefined ? Number.NaN : Date.parse(iso)
  return Number.isFinite(at) ? Math.max(0, now - at) : null
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const options = ctx.pluginOptions as DevfactoryOptions
  const { rootDir, clock } = ctx.kernel
  const now = clock.now()
  const state = await createStateStore(rootDir, { dir: options.dir }).read()
  const tracker = new InterventionTracker(rootDir, { dir: options.dir, maxHistory: options.maxInterventionHistory, clock })
  const loader = createContextLoader(rootDir, { dir: options.dir, clock })
  await loader.load()
  const stats = await tracker.getStats()
  const watch = await readWatchFile(rootDir, options.dir)

  const workers = Object.keys(state.workers)
    .sort(compareCodeUnits)
    .map((id) => {
      const worker = state.workers[id] as WorkerState
      const task = worker.task_id === undefined ? undefined : state.tasks[worker.task_id]
      const stuck = checkWorker(worker, task, now, options)
      const watched = worker.task_id !== undefined && ['working', 'waiting', 'stuck'].includes(worker.status)
      return {
        id,
        status: worker.status,
        taskId: worker.task_id ?? null,
        heartbeatAge: age(now, worker.last_heartbeat),
        verdict: stuck ? 'stuck' : watched ? 'ok' : 'not watched',
        stuck: stuck ? { classification: stuck.classification, confidence: stuck.confidence, stuckDuration: stuck.stuckDuration, evidence: stuck.evidence } : null,
      }
    })
  const needsHuman = Object.values(state.tasks)
    .filter((t) => t.status === 'needs_human')
    .sort((a, b) => compareCodeUnits(a.id, b.id))
    .map((t) => ({ id: t.id, title: t.title ?? null, reason: t.escalation?.reason ?? null, since: t.escalation?.at ?? t.status_since ?? null }))
  const running = isWatchRunning(watch)
  const data = {
    at: clock.iso(),
    watch: watch ? { running, pid: watch.pid, startedAt: watch.startedAt, checkInterval: watch.checkInterval, checks: watch.checks, lastCheckAt: watch.lastCheckAt ?? null, lastError: watch.lastError ?? null, stoppedAt: watch.stoppedAt ?? null } : { running: false },
    apiKeySet: Boolean(process.env[options.apiKeyEnv]?.trim()),
    workers,
    needsHuman,
    context: { summary: loader.getSummary(SUMMARY_TOKENS), warnings: loader.warnings },
    stats,
  }

  const lines: string[] = [watchLine(data.watch, watchFilePath(options.dir)), `API key (${options.apiKeyEnv}): ${data.apiKeySet ? 'set' : 'missing: guidance is skipped'}`, '', `Workers at ${data.at}:`]
  if (workers.length === 0) lines.push('  none in the state file')
  for (const w of workers) {
    const heartbeat = w.heartbeatAge === null ? 'no heartbeat' : `heartbeat ${formatDuration(w.heartbeatAge)} ago`
    const verdict = w.stuck ? `STUCK ${verdictText({ ...w.stuck, worker: w.id, taskId: w.taskId ?? '', detectedAt: data.at })}` : w.verdict
    lines.push(`  ${w.id}  ${w.status}  ${w.taskId ?? '(no task)'}  ${heartbeat}  ${verdict}`)
  }
  lines.push('', 'Needs a person:')
  if (needsHuman.length === 0) lines.push('  nothing')
  for (const t of needsHuman) lines.push(`  ${t.id}${t.title ? ` ${t.title}` : ''}: ${t.reason ?? 'no reason recorded'}${t.since ? ` (since ${t.since})` : ''}`)
  lines.push('', 'Context:', ...indent(data.context.summary || '(no product documents or specs)'))
  for (const warning of loader.warnings) lines.push(`  warning: ${warning}`)
  lines.push('', ...statsLines(stats as OracleStats))
  return { exitCode: ExitCode.ok, data, text: lines.join('\n') }
}

const indent = (text: string) => text.split('\n').map((line) => (line === '' ? '' : `  ${line}`))

function watchLine(watch: { running: boolean; pid?: number; startedAt?: string; checkInterval?: number; lastCheckAt?: string | null; lastError?: { code: string } | null; stoppedAt?: string | null; checks?: number }, file: string): string {
  if (watch.pid === undefined) return `Watch: not running (no ${file})`
  const last = watch.lastCheckAt ? `, last check ${watch.lastCheckAt}` : ''
  const error = watch.lastError ? `, last check could not run (${watch.lastError.code})` : ''
  if (watch.running) return `Watch: running (pid ${watch.pid}, since ${watch.startedAt}, every ${watch.checkInterval} ms, ${watch.checks} check(s)${last}${error})`
  if (watch.stoppedAt) return `Watch: not running (the last one, pid ${watch.pid}, stopped at ${watch.stoppedAt} after ${watch.checks} check(s))`
  return `Watch: not running (pid ${watch.pid} ended without stopping cleanly${last})`
}
