// TASKS.md, the human dashboard of a run: rendered from the plan and the state only (no clock), so
// the same run always gives the same bytes; written at most every so often while the run goes.
import { writeFileAtomic } from '@oraclekit/kernel'
import type { PlanSpec, RunState, TaskState } from '../types.js'

/** The marker before each state: plain ASCII, readable in a terminal and in a diff. */
export const STATE_MARKERS: Record<TaskState, string> = {
  completed: '[x]',
  pending: '[ ]',
  failed: '[!]',
  running: '[~]',
  awaiting_approval: '[?]',
  blocked: '[#]',
  skipped: '[-]',
}

/** States in the order the summary line counts them. */
export const STATE_ORDER: TaskState[] = ['completed', 'running', 'pending', 'awaiting_approval', 'failed', 'blocked', 'skipped']

export function renderTasksMd(plan: PlanSpec, state: RunState): string {
  const out: string[] = [`# Tasks — ${plan.project.name}`, '']
  out.push(`Plan: \`${plan.file}\` (hash \`${plan.hash.slice(0, 8)}\`)`, '')
  out.push(`Summary: ${summaryLine(plan, state)}`, '')
  out.push('| id | title | type | state | deps | duration |', '|---|---|---|---|---|---|')
  for (const task of plan.tasks) {
    const record = state.tasks[task.id]
    const taskState = record?.state ?? 'pending'
    const deps = task.dependencies.length > 0 ? task.dependencies.join(', ') : '-'
    const cells = [task.id, task.title, task.type, `${STATE_MARKERS[taskState]} ${stateLabel(taskState)}`, deps, formatDuration(record?.duration_ms ?? null)]
    out.push(`| ${cells.map(mdCell).join(' | ')} |`)
  }

  const sharded = plan.tasks.filter((task) => task.shards.length > 0)
  if (sharded.length > 0) {
    out.push('', '## Shards')
    for (const task of sharded) {
      out.push('', `### ${task.id} — ${mdCell(task.title)}`, '')
      for (const shard of task.shards) out.push(`- ${shard.id} — ${mdCell(shard.title)}`)
    }
  }

  const problems = plan.tasks.filter((task) => {
    const record = state.tasks[task.id]
    return (record?.state === 'failed' || record?.state === 'blocked') && record.message
  })
  if (problems.length > 0) {
    out.push('', '## Problems', '')
    for (const task of problems) {
      const record = state.tasks[task.id]
      out.push(`- ${task.id} (${record?.state}): ${oneLine(record?.message ?? '')}`)
    }
  }

  const approved = Object.keys(state.approved).sort()
  if (state.awaiting.length > 0 || approved.length > 0) {
    out.push('', '## Approvals', '')
    for (const gate of state.awaiting) out.push(`Awaiting approval: ${gate} (run \`oracle orchestrate approve ${gate}\`)`)
    for (const gate of approved) {
      const by = state.approved[gate]
      out.push(`Approved: ${gate} by ${by?.by} at ${by?.at}`)
    }
  }
  return `${out.join('\n')}\n`
}

/** `3 completed, 1 failed, 2 pending (6 tasks)`: only the states some task is in. */
export function summaryLine(plan: PlanSpec, state: RunState): string {
  const counts = new Map<TaskState, number>()
  for (const task of plan.tasks) {
    const taskState = state.tasks[task.id]?.state ?? 'pending'
    counts.set(taskState, (counts.get(taskState) ?? 0) + 1)
  }
  const parts = STATE_ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${stateLabel(s)}`)
  const total = `${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'}`
  return parts.length > 0 ? `${parts.join(', ')} (${total})` : `(${total})`
}

export function stateLabel(taskState: TaskState): string {
  return taskState === 'awaiting_approval' ? 'awaiting approval' : taskState
}

/** `-`, `850 ms`, `12.3 s`, `4m 05s`, `1h 02m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.floor(ms / 1000)
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}m`
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

/** Text for one Markdown table cell (or heading): one line, no column breaks, no HTML tags. */
export function mdCell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|').replace(/</g, '&lt;')
}

export interface TasksMdWriterOptions {
  /** At most one write per this many milliseconds while updates come in. */
  minIntervalMs?: number
  /** How a text reaches the file (tests count calls); an atomic write by default. */
  write?: (path: string, text: string) => Promise<void>
}

export interface TasksMdWriter {
  /**
   * Asks for `text` to be written; coalesced with the updates that follow within the interval. A
   * function is called only when a write happens: a run need not render 500 rows per event.
   */
  update(text: string | (() => string)): void
  /** Waits for the write under way and writes the latest text; rethrows a failed write. */
  close(): Promise<void>
}

/**
 * A TASKS.md that follows a run without rewriting the file for each of 500 events: at most one
 * atomic write per interval, the latest text wins, and close() always leaves the final text.
 */
export function createTasksMdWriter(path: string, options: TasksMdWriterOptions = {}): TasksMdWriter {
  const interval = options.minIntervalMs ?? 200
  const write = options.write ?? writeFileAtomic
  let pending: string | (() => string) | undefined
  let latest: string | undefined
  const materialize = (): void => {
    if (typeof pending === 'function') latest = pending()
    else if (pending !== undefined) latest = pending
    pending = undefined
  }
  let written: string | undefined
  let lastWriteAt = Number.NEGATIVE_INFINITY
  let timer: NodeJS.Timeout | undefined
  let inflight: Promise<void> | undefined
  let failure: { error: unknown } | undefined
  let closed = false

  const writeLatest = (): void => {
    timer = undefined
    materialize()
    if (closed || inflight || latest === undefined || latest === written) return
    const text = latest
    lastWriteAt = Date.now()
    inflight = write(path, text)
      .then(
        () => {
          written = text
        },
        (error: unknown) => {
          failure ??= { error }
        },
      )
      .finally(() => {
        inflight = undefined
        schedule()
      })
  }
  const schedule = (): void => {
    if (closed || timer || inflight || (pending === undefined && latest === written)) return
    const wait = lastWriteAt + interval - Date.now()
    if (wait <= 0) writeLatest()
    else {
      timer = setTimeout(writeLatest, wait)
      timer.unref()
    }
  }

  return {
    update(text) {
      pending = text
      schedule()
    },
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      timer = undefined
      while (inflight) await inflight
      if (failure) throw failure.error
      materialize()
      if (latest !== undefined && latest !== written) {
        await write(path, latest)
        written = latest
      }
    },
  }
}
