// Text helpers shared by the exports. Everything here is pure: the same task gives the same text.

import type { ActionTask, ExportContext } from '../types.js'

/** What a task asks for, as the orchestrator plan types it (Task Master's category follows it). */
export type TaskKind = 'code_change' | 'docs' | 'investigation' | 'decision'

/** Tasks that leave the actionizer: every one but `noop`, in input order. */
export function exportedTasks(tasks: readonly ActionTask[]): ActionTask[] {
  return tasks.filter((task) => task.status !== 'noop')
}

/**
 * The task's `depends_on`, kept only where the dependency is exported too (a `noop` or unknown
 * task has no issue, Task Master id or plan node to point at), without itself and repeats.
 */
export function exportedDependencies(task: ActionTask, exportedIds: ReadonlySet<string>): string[] {
  const seen = new Set<string>()
  for (const id of task.depends_on) if (id !== task.task_id && exportedIds.has(id)) seen.add(id)
  return [...seen]
}

/** conflict → decision, blocked → investigation, Markdown-only evidence → docs, else code_change. */
export function taskKind(task: ActionTask): TaskKind {
  if (task.status === 'conflict') return 'decision'
  if (task.status === 'blocked' || task.source.section === 'next_experiment') return 'investigation'
  const paths = task.evidence.paths
  return paths.length > 0 && paths.every(isMarkdownPath) ? 'docs' : 'code_change'
}

export function isMarkdownPath(path: string): boolean {
  return /\.(md|mdx|markdown)$/i.test(path)
}

const EXTENSIONLESS = /^(?:Makefile|GNUmakefile|Dockerfile|Containerfile|Procfile|Gemfile|Rakefile|Justfile|Taskfile|Vagrantfile|Jenkinsfile|LICENSE|CODEOWNERS|\..+)$/

/** A file, as Task Master's relevantFiles wants: not a pattern, not a folder (`src/`, `src/jobs`). */
export function isFilePath(path: string): boolean {
  if (isGlob(path) || path.endsWith('/')) return false
  const name = path.slice(path.lastIndexOf('/') + 1)
  return name.includes('.') || EXTENSIONLESS.test(name)
}

/** A path pattern rather than a path: the plan's `paths.preferred` and relevantFiles want files. */
export function isGlob(path: string): boolean {
  return /[*?[\]{}]/.test(path)
}

/** Whitespace runs (newlines included) become one space: titles, labels and list items are one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * `text` cut to at most `max` UTF-16 code units (so to at most `max` characters, however counted),
 * never inside a surrogate pair, with `…` marking the cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let out = ''
  for (const char of text) {
    if (out.length + char.length + 1 > max) break
    out += char
  }
  return `${out.trimEnd()}…`
}

/** `contracts/interfaces` → `contracts-interfaces`; `UX flows` → `ux-flows`. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The one-line title every export starts from; a task without one is named by its id. */
export function taskTitle(task: ActionTask): string {
  return oneLine(task.title) || task.task_id
}

/** Where the task came from, in one sentence. */
export function provenance(task: ActionTask, ctx: ExportContext): string {
  const answer = task.source.output_path ?? 'none'
  return `Source: OracleKit actionizer, pack ${ctx.pack_id} (${ctx.pack_path}), step ${task.step_id}, answer ${answer}, task ${task.task_id}.`
}

/** The status explained, for the statuses that need a word before acting: `Blocked: …`, `Conflict: …`. */
export function statusNote(task: ActionTask): { label: string; text: string } | undefined {
  if (task.status === 'blocked') {
    return { label: 'Blocked', text: `the answer says its evidence is insufficient; attach the missing inputs and rerun step ${task.step_id}.` }
  }
  if (task.status === 'conflict') return { label: 'Conflict', text: 'the answers disagree; decide which one to follow before changing code (see notes).' }
  return undefined
}

/**
 * The task as plain text for agents (Task Master `details`, the plan's `description`): status note,
 * numbered actions, evidence, missing inputs, expected artifacts, notes and provenance.
 */
export function plainDetails(task: ActionTask, ctx: ExportContext): string {
  const blocks: string[] = []
  const note = statusNote(task)
  if (note) blocks.push(`${note.label}: ${note.text}`)
  if (task.actions.length > 0) blocks.push(['Actions:', ...task.actions.map((a, i) => `${i + 1}. ${oneLine(a)}`)].join('\n'))
  const evidence = [
    ['paths', task.evidence.paths],
    ['symbols', task.evidence.symbols],
    ['commands', task.evidence.commands],
  ] as const
  const evidenceLines = evidence.filter(([, items]) => items.length > 0).map(([name, items]) => `- ${name}: ${items.map(oneLine).join(', ')}`)
  if (evidenceLines.length > 0) blocks.push(['Evidence:', ...evidenceLines].join('\n'))
  if (task.missing_inputs.length > 0) blocks.push(`Missing inputs: ${task.missing_inputs.map(oneLine).join(', ')}`)
  if (task.expected_artifacts.length > 0) blocks.push(`Expected artifacts: ${task.expected_artifacts.map(oneLine).join(', ')}`)
  if (task.notes.length > 0) blocks.push(['Notes:', ...task.notes.map((n) => `- ${oneLine(n)}`)].join('\n'))
  blocks.push(provenance(task, ctx))
  return blocks.join('\n\n')
}
