// From parsed answers to tasks: one per finding, ids from the step and the finding's place in its
// answer (so a changed answer changes only its own tasks), then duplicates merged and
// contradictions between answers about one reference turned into conflict tasks.

import { extractEvidence } from './answer/evidence.js'
import type { RunStep } from './read-run.js'
import type { ActionTask, Evidence, ParsedAnswer, Priority, SectionKind } from './types.js'

/** The fixed taxonomy: the pack's ten question categories. */
export const CATEGORIES = ['contracts/interfaces', 'invariants', 'caching/state', 'background jobs', 'observability', 'permissions', 'migrations', 'UX flows', 'failure modes', 'feature flags'] as const

// Keywords for text whose step has no (known) category; first match wins, in this order.
const KEYWORDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['permissions', /\b(auth[nz]?|permission|secret|token|credential|access control|rbac|acl)/i],
  ['migrations', /\b(migrat|backfill|schema change|upgrade path)/i],
  ['feature flags', /\b(feature flag|flag|rollout|toggle|canary)/i],
  ['observability', /\b(log(ging)?|metric|trac(e|ing)|telemetry|alert|dashboard)/i],
  ['background jobs', /\b(job|queue|worker|cron|schedul)/i],
  ['caching/state', /\b(cache|state|persist|storage|session)/i],
  ['failure modes', /\b(fail|error|timeout|retry|crash|rollback|panic)/i],
  ['UX flows', /\b(ux|user|prompt|tui|screen|flow|message)/i],
  ['invariants', /\b(invariant|validat|must|always|never)/i],
]

export function categorize(stepCategory: string | null, text: string): string {
  const known = CATEGORIES.find((c) => c.toLowerCase() === stepCategory?.trim().toLowerCase())
  if (known) return known
  return KEYWORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'contracts/interfaces'
}

/** Priority from the question's ROI (the pack's own ranking of what matters). */
export function priorityFor(roi: number): Priority {
  return roi >= 4 ? 'critical' : roi >= 2.5 ? 'high' : roi >= 1.5 ? 'medium' : 'low'
}

const NOOP = /\b(no (change|action|work|fix)s? (is |are )?(needed|required|necessary)|already (handled|implemented|covered|done|in place)|works as (intended|expected|designed)|nothing to (do|change|fix))\b/i
// A creation verb where an instruction starts ("Add `x.test.ts`", "…; then create…", "to write…"):
// "the write has committed" and "a new value" are not instructions to make a file.
const CREATE = /(?:^|[.;:(]\s*|\b(?:then|and|to)\s+)(?:add|create|write|generate|introduce)\b/i

/**
 * The first sentence, plain, ≤ 100 chars: emphasis marks and backticks removed, but code spans kept
 * whole (`delays_ms`, `a; b` stay as written) and no cut after "e.g." or "i.e.".
 */
export function titleOf(text: string): string {
  const spans: string[] = []
  const prose = text
    .replace(/`+([^`]*)`+/g, (_, code: string) => `\u0000${spans.push(code.trim()) - 1}\u0000`)
    .replace(/(^|[\s(["'])[*_]{1,3}(?=\S)/g, '$1')
    .replace(/(?<=\S)[*_]{1,3}(?=[\s)\]"'.,;:!?]|$)/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  const sentence = /^(.{12,}?(?<!\b(?:e\.g|i\.e|etc|vs|cf))[.!?;])(\s|$)/.exec(prose)?.[1] ?? prose
  const title = sentence.replace(/[.;:,\s]+$/, '').replace(/\u0000(\d+)\u0000/g, (_, k: string) => spans[Number(k)] ?? '')
  return title.length <= 100 ? title : `${title.slice(0, 97).replace(/\s+\S*$/, '')}…`
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}

function mergeEvidence(...all: Evidence[]): Evidence {
  return { paths: unique(all.flatMap((e) => e.paths)), symbols: unique(all.flatMap((e) => e.symbols)), commands: unique(all.flatMap((e) => e.commands)) }
}

/** Checks that say a task is done, in the orchestrator's check forms where the evidence allows. */
export function acceptanceFor(action: string, evidence: Evidence, created: readonly string[]): string[] {
  const checks = [
    ...created.map((path) => `File exists: ${path}`),
    ...evidence.commands.filter((c) => /\b(test|vitest|jest|pytest|check|lint|validate)\b/.test(c)).map((c) => `Tests pass: ${c}`),
    ...evidence.symbols.slice(0, 2).map((symbol) => `Contains: ${symbol}`),
  ]
  // the finding may state a problem ("delays is mutable"): say it is addressed, not that it holds
  return checks.length > 0 ? unique(checks) : [`Done when: addressed — ${titleOf(action)}`]
}

export interface TaskContext {
  packId: string
  packHash: string
  /** Whether a workspace-relative path exists: a file the answer asks to create must not. */
  exists?: (path: string) => boolean
}

function taskId(ctx: TaskContext, stepId: string, index: number): string {
  return `OP3-${ctx.packHash.slice(0, 8)}-${stepId}-${String(index).padStart(2, '0')}`
}

function baseTask(ctx: TaskContext, step: RunStep, index: number, text: string): ActionTask {
  return {
    task_id: taskId(ctx, step.step_id, index),
    pack_id: ctx.packId,
    pack_hash: ctx.packHash,
    step_id: step.step_id,
    title: titleOf(text),
    status: 'actionable',
    category: categorize(step.category, text),
    reference: step.reference,
    roi: step.roi,
    priority: priorityFor(step.roi),
    expected_artifacts: [],
    actions: [],
    acceptance: [],
    evidence: { paths: [], symbols: [], commands: [] },
    notes: [],
    missing_inputs: [],
    depends_on: [],
    source: sourceOf(step),
  }
}

function sourceOf(step: RunStep, section?: SectionKind): ActionTask['source'] {
  return { output_path: step.output_path, output_hash: step.output_hash, ...(section && { section }), ...(step.question_id ? { question_id: step.question_id } : {}) }
}

/** The tasks of one step: a blocked task when there is no usable answer, else one per finding. */
export function stepTasks(ctx: TaskContext, step: RunStep, parsed: ParsedAnswer | undefined): ActionTask[] {
  const subject = step.reference ?? `step ${step.step_id}`
  if (!parsed || parsed.empty) {
    const why = step.unreadable ?? 'the answer is empty'
    const task = baseTask(ctx, step, 1, `Answer question ${step.step_id} about ${subject}`)
    return [
      {
        ...task,
        title: `Blocked: no usable answer for ${subject}`,
        status: 'blocked',
        actions: [`Re-run step ${step.step_id} (oracle pack run --rerun ${step.step_id}) and check its answer.`],
        acceptance: [`File exists: ${step.output_path}`],
        notes: [why],
        missing_inputs: [`answer to step ${step.step_id} (${step.output_path})`],
      },
    ]
  }
  const risks = parsed.sections.risks.slice(0, MAX_RISKS).map((item) => ({ text: item.text, evidence: extractEvidence(item.text) }))
  const tasks: ActionTask[] = []
  let index = 0
  if (parsed.insufficient) {
    index++
    const missing = parsed.missing.length > 0 ? parsed.missing : [`the evidence step ${step.step_id} asks for (not named as paths)`]
    tasks.push({
      ...baseTask(ctx, step, index, `Attach the missing evidence for ${subject}`),
      title: `Blocked: evidence for ${subject} is insufficient`,
      status: 'blocked',
      actions: [`Attach ${missing.join(', ')} to step ${step.step_id} and run it again.`],
      acceptance: missing.filter((m) => !/[*?]/.test(m) && /[/.]/.test(m)).map((m) => `File exists: ${m}`),
      evidence: mergeEvidence(...parsed.sections.missing_evidence.map((item) => extractEvidence(item.text))),
      notes: parsed.sections.missing_evidence.map((item) => item.text),
      missing_inputs: missing,
    })
  }
  const blocker = tasks[0]?.task_id
  // The answer format asks for 1–4 bullets and one experiment; an answer far past that is a
  // report, not a list of findings: its first items become tasks, the rest a note.
  const direct = parsed.sections.direct_answer.slice(0, MAX_FINDINGS)
  const experiments = parsed.sections.next_experiment.slice(0, MAX_EXPERIMENTS).map((item) => ({ ...item, experiment: true }))
  const leftOut = [...parsed.sections.direct_answer.slice(MAX_FINDINGS), ...parsed.sections.next_experiment.slice(MAX_EXPERIMENTS)]
  const findings = [...direct, ...experiments]
  for (const item of findings) {
    index++
    const evidence = extractEvidence(item.text)
    const created = CREATE.test(item.text) ? evidence.paths.filter((p) => !/[*?]/.test(p) && !p.endsWith('/') && !ctx.exists?.(p)) : []
    const experiment = 'experiment' in item
    const text = experiment ? `Experiment: ${item.text}` : item.text
    tasks.push({
      ...baseTask(ctx, step, index, text),
      status: NOOP.test(item.text) ? 'noop' : 'actionable',
      actions: [item.text],
      acceptance: acceptanceFor(item.text, evidence, created),
      expected_artifacts: created,
      evidence,
      notes: risksFor(evidence, risks),
      depends_on: blocker ? [blocker] : [],
      source: sourceOf(step, experiment ? 'next_experiment' : 'direct_answer'),
    })
  }
  // What the answer says it did not see, when it still answered: the inputs that would firm it
  // up go on its first finding; so do risks that name nothing a finding names (they would be lost).
  const first = tasks.find((task) => task.status !== 'blocked')
  if (first && !parsed.insufficient && parsed.missing.length > 0) {
    first.missing_inputs = [...parsed.missing]
    first.notes = [...first.notes, `The answer did not see: ${parsed.missing.join(', ')} (attach to step ${step.step_id} to confirm it).`]
  }
  if (first) {
    const used = new Set(tasks.flatMap((task) => task.notes))
    const loose = risks.filter((risk) => !used.has(risk.text) && risk.evidence.paths.length === 0 && risk.evidence.symbols.length === 0)
    first.notes = [...first.notes, ...loose.slice(0, MAX_LOOSE_RISKS).map((risk) => `Risk: ${risk.text}`)]
  }
  // What the pack says answering the question should produce goes to the step's lead task.
  const lead = tasks.find((task) => task.status === 'actionable')
  if (lead && step.expected_artifacts?.length) lead.expected_artifacts = unique([...lead.expected_artifacts, ...step.expected_artifacts])
  const last = tasks.at(-1)
  if (last && leftOut.length > 0) {
    last.notes = [...last.notes, `${leftOut.length} more item(s) of the answer (from line ${leftOut[0]?.line}) were not turned into tasks: a step gives at most ${MAX_FINDINGS} findings and ${MAX_EXPERIMENTS} experiments.`]
  }
  return tasks
}

/** Findings and experiments taken from one answer, and risks read for notes. */
export const MAX_FINDINGS = 12
export const MAX_EXPERIMENTS = 2
const MAX_RISKS = 12

const MAX_RISK_NOTES = 3
const MAX_LOOSE_RISKS = 2

/**
 * The risks of the answer that concern a finding: those naming one of its paths or symbols (at
 * most three). Copying every risk into every task would multiply an answer's size by its findings.
 */
function risksFor(evidence: Evidence, risks: ReadonlyArray<{ text: string; evidence: Evidence }>): string[] {
  const mine = new Set([...evidence.paths, ...evidence.symbols])
  return risks.filter((risk) => [...risk.evidence.paths, ...risk.evidence.symbols].some((x) => mine.has(x))).slice(0, MAX_RISK_NOTES).map((risk) => risk.text)
}

/** The key two findings share when they ask for the same action on the same paths. */
export function actionKey(task: ActionTask): string {
  const words = task.actions
    .join(' ')
    .toLowerCase()
    .replace(/[^a-z0-9/._-]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 2)
  return `${words.join(' ')}|${[...task.evidence.paths].sort().join(',')}`
}

/**
 * Keeps the first of tasks with the same action on the same paths; the others become notes.
 * Blocked and conflict tasks are never merged: each names its own step or pair of claims.
 */
export function dedupe(tasks: readonly ActionTask[]): ActionTask[] {
  const kept = new Map<string, ActionTask>()
  const out: ActionTask[] = []
  for (const task of tasks) {
    if (task.status === 'blocked' || task.status === 'conflict') {
      out.push(task)
      continue
    }
    const key = actionKey(task)
    const first = kept.get(key)
    if (first) {
      first.notes = unique([...first.notes, `Also raised by step ${task.step_id} (${task.task_id}).`])
      continue
    }
    const copy = { ...task, notes: [...task.notes] }
    kept.set(key, copy)
    out.push(copy)
  }
  return out
}
