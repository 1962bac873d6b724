// The Markdown files a worker (or a person) reads: guidance-<task>-<n>.md and
// escalation-<task>-<n>.md. Pure functions of their input, so the same answer gives the same bytes.

import type { GuidanceContent, InterventionRecord, StuckWorker, TaskContext } from '../types.js'
import { hasGuidance } from './parse.js'

type TaskHeader = Pick<TaskContext, 'id' | 'title' | 'specName' | 'layer'>

export interface GuidanceFileInput {
  stuck: StuckWorker
  task: TaskHeader
  content: GuidanceContent
  /** The model that answered. */
  model: string
  /** ISO time the file is written. */
  writtenAt: string
  requestId?: string
  /** The answer as received; printed only when no section could be read from it. */
  rawAnswer?: string
}

export interface EscalationNoteInput {
  stuck: StuckWorker
  task: TaskHeader
  reason: string
  /** ISO time of the escalation. */
  at: string
  previous: readonly InterventionRecord[]
  /** Workspace-relative guidance file that came with the escalation, if any. */
  guidancePath?: string
  /** Workspace-relative state file, named in the instructions. */
  stateFile: string
}

function stuckHeader(stuck: StuckWorker, task: TaskHeader): string[] {
  const minutes = Math.round(stuck.stuckDuration / 60_000)
  return [
    `- Task: \`${task.id}\` ${task.title} (spec ${task.specName}, layer ${task.layer})`,
    `- Worker: \`${stuck.worker}\``,
    `- Classification: ${stuck.classification} (confidence ${stuck.confidence.toFixed(2)})`,
    `- Stuck for: ${minutes} minute${minutes === 1 ? '' : 's'} (detected ${stuck.detectedAt})`,
    '- Evidence:',
    ...(stuck.evidence.length > 0 ? stuck.evidence.map((e) => `  - ${oneLine(e)}`) : ['  - (none recorded)']),
  ]
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

/** A fence longer than any backtick run inside the code, so the block cannot end early. */
function fenced(language: string, code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${language}\n${code.replace(/\n+$/, '')}\n${fence}`
}

/** Numbered steps; a step's further lines are indented under it. */
function numbered(steps: readonly string[]): string {
  return steps.map((step, i) => `${i + 1}. ${step.split('\n').join('\n   ')}`).join('\n')
}

export function renderGuidance(input: GuidanceFileInput): string {
  const { content, stuck, task } = input
  const lines = [
    `# Oracle guidance for task ${task.id}`,
    '',
    ...stuckHeader(stuck, task),
    `- Model: ${input.model}${input.requestId ? ` (request ${input.requestId})` : ''}`,
    `- Written: ${input.writtenAt}`,
    '',
    '## Root Cause',
    '',
    content.rootCause || '_Not given._',
    '',
    '## Solution',
    '',
    content.suggestedFix.length > 0 ? numbered(content.suggestedFix) : '_No steps given._',
    '',
  ]
  const snippets = content.codeSnippets ?? []
  if (snippets.length > 0) lines.push('## Code', '', snippets.map((s) => fenced(s.language, s.code)).join('\n\n'), '')
  lines.push('## Escalate', '', content.escalate ? `Yes: ${content.escalateReason ?? 'no reason given'}` : 'No.', '')
  if (!hasGuidance(content) && input.rawAnswer !== undefined && input.rawAnswer.trim() !== '') {
    lines.push('## Answer as received', '', fenced('markdown', input.rawAnswer.trim()), '')
  }
  return lines.join('\n')
}

export function renderEscalationNote(input: EscalationNoteInput): string {
  const { stuck, task } = input
  const history = input.previous.map((r) => `- ${r.id} ${r.timestamp} ${r.type} (${r.outcome}): ${oneLine(r.action)}`)
  return [
    `# Escalation: task ${task.id} needs a person`,
    '',
    `Reason: ${oneLine(input.reason)}`,
    '',
    ...stuckHeader(stuck, task),
    `- Escalated: ${input.at}`,
    ...(input.guidancePath ? [`- Guidance: ${input.guidancePath}`] : []),
    '',
    '## Previous interventions',
    '',
    ...(history.length > 0 ? history : ['None.']),
    '',
    '## What to do',
    '',
    `Resolve what blocks the task, then set its status in ${input.stateFile} back to \`pending\` (or \`in_progress\`) so a worker picks it up again.`,
    '',
  ].join('\n')
}
