// REPORT.md: what a run did, for a reviewer: the summary, each task with its duration, the
// failures with their last words, the diff stat and links to the run's artifacts.
import { basename } from 'node:path'
import { formatDuration, mdCell, stateLabel, summaryLine } from '../engine/tasks-md.js'
import type { PlanSpec, RunEvent, RunState } from '../types.js'

export interface ReportInput {
  plan: PlanSpec
  state: RunState
  events: RunEvent[]
  /** `git diff --stat` of the run's changes, as git printed it. */
  diffStat?: string
  /** Workspace-relative paths of the run's files (event log, TASKS.md…). */
  artifacts?: string[]
}

/** Lines of a failed task's messages shown under it. */
export const LOG_TAIL_LINES = 20

export function renderReport(input: ReportInput): string {
  const { plan, state, events } = input
  const out: string[] = [`# Run report — ${plan.project.name}`, '']
  out.push(`Plan: \`${plan.file}\` (hash \`${plan.hash.slice(0, 8)}\`)`)
  out.push(`Status: ${runStatus(plan, state)}`)
  out.push(`Tasks: ${summaryLine(plan, state)}`)
  out.push(`Total duration: ${formatDuration(wallTime(events))}`)
  if (state.awaiting.length > 0) out.push(`Awaiting approval: ${state.awaiting.join(', ')}`)

  out.push('', '## Tasks', '', '| id | title | state | attempts | duration |', '|---|---|---|---|---|')
  for (const task of plan.tasks) {
    const record = state.tasks[task.id]
    const cells = [task.id, task.title, stateLabel(record?.state ?? 'pending'), String(record?.attempts ?? 0), formatDuration(record?.duration_ms ?? null)]
    out.push(`| ${cells.map(mdCell).join(' | ')} |`)
  }

  const failed = plan.tasks.filter((task) => state.tasks[task.id]?.state === 'failed')
  if (failed.length > 0) {
    out.push('', '## Failures')
    for (const task of failed) {
      const record = state.tasks[task.id]
      const messages = taskMessages(events, task.id)
      const last = record?.message ?? messages.at(-1) ?? 'no message'
      out.push('', `### ${task.id} — ${mdCell(task.title)}`, '', `Last message: ${mdCell(last.split('\n')[0] ?? '')}`)
      const tail = messages.join('\n').split('\n').slice(-LOG_TAIL_LINES)
      if (messages.length > 0) out.push('', ...fenced(tail.join('\n')))
    }
  }

  const blocked = plan.tasks.filter((task) => state.tasks[task.id]?.state === 'blocked')
  if (blocked.length > 0) {
    out.push('', '## Blocked', '')
    for (const task of blocked) out.push(`- ${task.id}: ${state.tasks[task.id]?.message ?? 'blocked'}`)
  }

  if (input.diffStat !== undefined && input.diffStat.trim() !== '') {
    out.push('', '## Changes', '', ...fenced(input.diffStat.replace(/\n+$/, '')))
  }

  if (input.artifacts && input.artifacts.length > 0) {
    out.push('', '## Artifacts', '')
    for (const path of input.artifacts) out.push(`- [${basename(path)}](${encodeURI(path)})`)
  }
  return `${out.join('\n')}\n`
}

/** completed, failed, awaiting approval, or in progress (a run that is not over). */
export function runStatus(plan: PlanSpec, state: RunState): string {
  const states = plan.tasks.map((task) => state.tasks[task.id]?.state ?? 'pending')
  if (states.some((s) => s === 'failed' || s === 'blocked')) return 'failed'
  if (states.some((s) => s === 'awaiting_approval')) return 'awaiting approval'
  if (state.finished || states.every((s) => s === 'completed' || s === 'skipped')) return 'completed'
  return 'in progress'
}

/** The messages events carried for a task, oldest first (commands, checks, the failure). */
function taskMessages(events: RunEvent[], task: string): string[] {
  const messages: string[] = []
  for (const event of events) {
    if (event.task !== task || !event.message) continue
    const where = event.cmd ? ` ${event.cmd}` : event.check ? ` ${event.check}` : ''
    messages.push(`[${event.type}${where}] ${event.message}`)
  }
  return messages
}

function wallTime(events: RunEvent[]): number | null {
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const event of events) {
    const at = Date.parse(event.ts)
    if (!Number.isFinite(at)) continue
    first = Math.min(first, at)
    last = Math.max(last, at)
  }
  return Number.isFinite(first) ? last - first : null
}

/** A code block whose fence is longer than any backtick run inside it. */
function fenced(text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return [`${fence}text`, text, fence]
}
