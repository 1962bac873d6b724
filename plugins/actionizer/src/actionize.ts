// `oracle pack actionize`: a run's answers → tasks → normalized.jsonl, backlog.md, change-plan.md,
// github-issues.json, taskmaster.json and orchestrator.yml, byte-identical for the same inputs.

import { existsSync } from 'node:fs'
import { basename, join, relative, resolve, sep } from 'node:path'
import { stableLine, writeFileAtomic } from '@oraclekit/kernel'
import { parseAnswer } from './answer/parse.js'
import { conflictTasks } from './conflicts.js'
import { githubIssues } from './export/github.js'
import { orchestratorYml } from './export/orchestrator.js'
import { taskmasterJson } from './export/taskmaster.js'
import { loadRun } from './read-run.js'
import { renderBacklog, renderChangePlan } from './render.js'
import { dedupe, stepTasks } from './tasks.js'
import type { ActionTask, ExportContext, ParsedAnswer, TaskStatus } from './types.js'

export const OUTPUT_DIR = 'actionizer'
export const ARTIFACTS = ['normalized.jsonl', 'backlog.md', 'change-plan.md', 'github-issues.json', 'taskmaster.json', 'orchestrator.yml'] as const

export interface ActionizeSummary {
  pack_id: string
  run_dir: string
  output_dir: string
  steps: number
  answered: number
  tasks: number
  counts: Record<TaskStatus, number>
  /** Share of steps whose answer gave at least one actionable task and was not blocked. */
  yield: number
  artifacts: string[]
  /** Time to read, parse and write everything, in ms (not part of any artifact). */
  duration_ms?: number
}

export interface ActionizeResult {
  tasks: ActionTask[]
  /** Artifact name → content. */
  files: Record<string, string>
  summary: ActionizeSummary
}

/** Computes every artifact without writing anything. */
export async function actionizeRun(runDir: string, cwd: string, rootDir: string, project?: string): Promise<ActionizeResult> {
  const { dir, run, steps } = await loadRun(runDir, cwd)
  const root = resolve(rootDir)
  // a path the answer names is looked up only inside the workspace
  const exists = (path: string): boolean => {
    const full = resolve(root, path)
    return (full === root || full.startsWith(root + sep)) && existsSync(full)
  }
  const ctx = { packId: run.pack_id, packHash: run.pack_hash, exists }
  const parsed = new Map<string, ParsedAnswer>()
  for (const step of steps) if (step.answer !== undefined) parsed.set(step.step_id, parseAnswer(step.answer))
  const perStep = new Map(steps.map((step) => [step.step_id, stepTasks(ctx, step, parsed.get(step.step_id))]))
  // Conflict tasks take the indices after their step's own findings.
  const lastIndex = new Map([...perStep].map(([stepId, list]) => [stepId, list.length]))
  const nextIndex = (stepId: string): number => {
    const index = (lastIndex.get(stepId) ?? 0) + 1
    lastIndex.set(stepId, index)
    return index
  }
  const conflicts = conflictTasks(run.pack_hash, run.pack_id, steps, parsed, nextIndex)
  for (const conflict of conflicts) perStep.get(conflict.step_id)?.push(conflict)
  const tasks = dedupe(steps.flatMap((step) => perStep.get(step.step_id) ?? []))

  const exportCtx: ExportContext = { pack_id: run.pack_id, pack_hash: run.pack_hash, pack_path: run.pack_path, created_at: run.created_at, project: project ?? basename(resolve(rootDir)) }
  const files: Record<string, string> = {
    'normalized.jsonl': tasks.map((task) => `${stableLine(task)}\n`).join(''),
    'backlog.md': renderBacklog(tasks, exportCtx),
    'change-plan.md': renderChangePlan(tasks, exportCtx),
    'github-issues.json': githubIssues(tasks, exportCtx),
    'taskmaster.json': taskmasterJson(tasks, exportCtx),
    'orchestrator.yml': orchestratorYml(tasks, exportCtx),
  }
  const counts: Record<TaskStatus, number> = { actionable: 0, blocked: 0, conflict: 0, noop: 0 }
  for (const task of tasks) counts[task.status]++
  // A step is productive when it gave an actionable task and was not blocked: an answer that says
  // its evidence is insufficient has not settled its question, whatever else it lists.
  const blockedSteps = new Set(tasks.filter((t) => t.status === 'blocked').map((t) => t.step_id))
  const productive = new Set(tasks.filter((t) => t.status === 'actionable' && !blockedSteps.has(t.step_id)).map((t) => t.step_id))
  const show = (path: string) => (relative(cwd, path) || '.').split(sep).join('/')
  return {
    tasks,
    files,
    summary: {
      pack_id: run.pack_id,
      run_dir: show(dir),
      output_dir: show(join(dir, OUTPUT_DIR)),
      steps: steps.length,
      answered: parsed.size,
      tasks: tasks.length,
      counts,
      yield: steps.length === 0 ? 0 : Math.round((productive.size / steps.length) * 10_000) / 10_000,
      artifacts: [...ARTIFACTS],
    },
  }
}

/** Computes and writes the artifacts (each atomically) into `<run>/actionizer/`. */
export async function actionize(runDir: string, cwd: string, rootDir: string, project?: string): Promise<ActionizeResult> {
  const started = performance.now()
  const result = await actionizeRun(runDir, cwd, rootDir, project)
  const outDir = join(cwd, result.summary.output_dir)
  await Promise.all(ARTIFACTS.map((name) => writeFileAtomic(join(outDir, name), result.files[name] as string)))
  return { ...result, summary: { ...result.summary, duration_ms: Math.round(performance.now() - started) } }
}
