// The project context condensed for a prompt, under a token budget. Tokens are estimated as
// characters ÷ 4 (rounded up): Anthropic's rule of thumb for English, and no tokenizer to ship or
// keep in step with the model. The estimate errs little either way on prose and Markdown; the
// budget leaves the reply its own `maxTokens` regardless.

import type { ProjectContext, TaskContext } from '../types.js'
import { clip, oneLine } from '../text.js'

/** What the summary should put first. */
export interface SummaryFocus {
  /** The task a worker is stuck on (a task id, or `<spec>/<id>`). */
  taskId?: string
  /** Recent errors or observations, newest last. */
  recentIssues?: string[]
}

export const CHARS_PER_TOKEN = 4

/** The token estimate every budget in the plugin uses: ceil(characters / 4). */
export const estimateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN)

const TRUNCATED = '\n[…truncated]'

/**
 * Sections in priority order: the current task, recent issues, the mission (lite), the roadmap,
 * the tech stack, the specs. The text is cut at the end when over budget, so what goes first is
 * what survives. The current task's requirements take at most half the budget, so a long SRD
 * cannot push the mission out.
 */
export function buildSummary(context: ProjectContext, maxTokens: number, focus: SummaryFocus = {}, task?: TaskContext): string {
  const budget = Math.max(0, Math.floor(maxTokens)) * CHARS_PER_TOKEN
  const sections: string[] = []

  if (focus.taskId !== undefined) sections.push(currentTask(focus.taskId, task, Math.floor(budget / 2)))
  const issues = (focus.recentIssues ?? []).filter((i) => i.trim() !== '')
  if (issues.length > 0) sections.push(['## Recent issues', ...issues.map((i) => `- ${clip(oneLine(i), 300)}`)].join('\n'))
  if (context.missionLite !== '') sections.push(`## Mission\n${context.missionLite}`)

  const phases = context.roadmap.map((p) => {
    const done = p.items.filter((i) => i.done).length
    const next = p.items.filter((i) => !i.done).slice(0, 3).map((i) => i.title)
    return `- ${p.phase}: ${done}/${p.items.length} done${next.length > 0 ? `; next: ${next.join('; ')}` : ''}`
  })
  if (phases.length > 0) sections.push(['## Roadmap', ...phases].join('\n'))

  const stack = context.techStack.entries.map((e) => `- ${e.key}: ${e.value}`)
  if (stack.length > 0) sections.push(['## Tech stack', ...stack].join('\n'))
  else if (context.techStack.raw.trim() !== '') sections.push(`## Tech stack\n${context.techStack.raw.trim()}`)

  const specs = context.specs.map((s) => `- ${s.name}: ${s.status}, ${s.tasks.filter((t) => t.status === 'complete').length}/${s.tasks.length} tasks done`)
  if (specs.length > 0) sections.push(['## Specs', ...specs].join('\n'))

  return truncate(sections.join('\n\n'), budget)
}

function currentTask(taskId: string, task: TaskContext | undefined, requirementsBudget: number): string {
  if (!task) return `## Current task\n${taskId} (not found in any spec's tasks.md)`
  const lines = [
    '## Current task',
    `${task.id} ${task.title} (layer ${task.layer}, spec ${task.specName})`,
    ...(task.tasksFile ? [`Checkbox: ${task.tasksFile}${task.line === undefined ? '' : `:${task.line}`}`] : []),
    ...(task.dependencies.length > 0 ? [`Depends on: ${task.dependencies.join(', ')}`] : []),
    ...(task.relatedTasks.length > 0 ? [`Related: ${task.relatedTasks.map((t) => `${t.id}${t.status === 'complete' ? ' (done)' : ''}`).join(', ')}`] : []),
    'Requirements:',
    clip(task.requirements, Math.max(0, requirementsBudget)),
  ]
  return lines.join('\n')
}

function truncate(text: string, budget: number): string {
  if (text.length <= budget) return text
  if (budget <= TRUNCATED.length) return text.slice(0, budget)
  return `${text.slice(0, budget - TRUNCATED.length).trimEnd()}${TRUNCATED}`
}
