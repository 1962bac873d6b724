// Reads a plan (YAML or JSON) and the files it includes, checks them all and resolves them into the
// PlanSpec the engine runs. Every problem of every file is reported at once with its file and line:
// broken syntax, schema problems, includes that name nothing, then what validate.ts checks across
// files. A plan with any problem is not resolved.

import { readFile, readdir } from 'node:fs/promises'
import { basename, posix } from 'node:path'
import {
  type Problem,
  type TSchema,
  checkValue,
  compareCodeUnits,
  isOracleError,
  parseJsonText,
  resolveInside,
  sha256,
  stableStringify,
} from '@oraclekit/kernel'
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml'
import type { CommandSpec, PlanSpec, TaskSpec } from '../types.js'
import { parseCheck, splitArgv } from './checks.js'
import { IncludedTasks, OrchestratorPlan, type PlanTask } from './schema.js'
import { type PlanSource, globToRegExp, locate, validatePlan } from './validate.js'

/** One problem of one file of the plan. */
export interface PlanProblem {
  /** Workspace-relative: `orchestrator.yml`, `tasks/build.yml`. */
  file: string
  line?: number
  /** Where in the file, as the kernel writes paths: `tasks[2].dependencies[0]`, `(root)`. */
  path: string
  message: string
  /** What kind: `syntax`, `schema`, `missing`, `include`, `duplicate_id`, `unknown_dependency`, `cycle`, … */
  rule: string
  hint?: string
}

/** What a load read: every file with its text, and what each include pattern matched (for the cache). */
export interface PlanTrace {
  files: Map<string, string>
  includes: Array<{ pattern: string; files: string[] }>
}

export interface LoadedPlan {
  /** Undefined when the plan has any problem. */
  plan: PlanSpec | undefined
  problems: PlanProblem[]
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000
export const DEFAULT_RETRIES = 2
export const DEFAULT_BACKOFF_MS = 500

/**
 * Plan-level gates (`orchestrator.approvals.required`) apply by what a task does: `apply_patch` to
 * code_change tasks (they patch files), `deploy` to deploy and release tasks, `tag` to release
 * tasks; a gate of any other name applies to every task. A task's own gates always apply.
 */
const GATE_TASK_TYPES: Readonly<Record<string, readonly string[]>> = { apply_patch: ['code_change'], deploy: ['deploy', 'release'], tag: ['release'] }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const unique = <T>(items: readonly T[]): T[] => [...new Set(items)]
const fileProblem = (file: string, rule: string, message: string, hint?: string, line?: number): PlanProblem => ({
  file,
  ...(line === undefined ? {} : { line }),
  path: '(root)',
  message,
  rule,
  ...(hint === undefined ? {} : { hint }),
})

interface ParsedFile {
  file: string
  text: string
  value?: unknown
  /** 1-based line of each item of `tasks`, when the parse already knows them (YAML). */
  taskLines?: number[]
  problems: PlanProblem[]
}

/** Reads and parses one file by its extension; a missing file is a `missing` problem. */
async function readPlanFile(rootDir: string, file: string, trace?: PlanTrace): Promise<ParsedFile> {
  const ext = posix.extname(file).toLowerCase()
  if (!['.yml', '.yaml', '.json'].includes(ext)) {
    return { file, text: '', problems: [fileProblem(file, 'file_type', `not a plan file: ${ext || 'no extension'}`, 'Plans are YAML (.yml, .yaml) or JSON (.json).')] }
  }
  let text: string
  try {
    text = await readFile(resolveInside(rootDir, file), 'utf8')
  } catch (error) {
    if (isOracleError(error)) return { file, text: '', problems: [fileProblem(file, 'path', error.message, error.hint)] }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, text: '', problems: [fileProblem(file, 'missing', 'file not found')] }
    return { file, text: '', problems: [fileProblem(file, 'unreadable', `cannot be read (${code ?? 'error'})`)] }
  }
  trace?.files.set(file, text)
  if (ext === '.json') {
    try {
      return { file, text, value: parseJsonText(text, file), problems: [] }
    } catch (error) {
      if (!isOracleError(error)) throw error
      return { file, text, problems: [fileProblem(file, 'syntax', error.message.replace(`${file} is `, ''), undefined, error.line)] }
    }
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  if (doc.errors.length > 0) {
    return { file, text, problems: doc.errors.map((e) => fileProblem(file, 'syntax', `not valid YAML: ${e.message.split('\n')[0] as string}`, undefined, lineCounter.linePos(e.pos[0]).line)) }
  }
  // The task lines come from this parse: parsing the text again to locate them costs as much.
  const tasks = isMap(doc.contents) ? doc.contents.get('tasks', true) : undefined
  const taskLines = isSeq(tasks) ? tasks.items.map((item) => lineCounter.linePos((item as { range?: [number] }).range?.[0] ?? 0).line) : undefined
  return { file, text, value: doc.toJS({ maxAliasCount: 100 }) as unknown, ...(taskLines ? { taskLines } : {}), problems: [] }
}

/** The schema's problems of a parsed file, one a place (a literal reports both type and value). */
async function schemaProblems(parsed: ParsedFile, schema: TSchema): Promise<PlanProblem[]> {
  const kept = new Map<string | undefined, Problem>()
  for (const problem of checkValue(schema, parsed.value, { file: parsed.file }).problems) {
    if (!kept.has(problem.pointer)) kept.set(problem.pointer, { ...problem, rule: 'schema' })
  }
  return locate([...kept.values()], parsed.file, parsed.text)
}

/** The workspace-relative files an `include` entry names; `*` and `?` only in the file name. */
export async function expandInclude(rootDir: string, planFile: string, pattern: string): Promise<{ files: string[]; problem?: string }> {
  const path = posix.normalize(posix.join(posix.dirname(planFile), pattern))
  if (pattern.startsWith('/') || pattern.split(/[\\/]+/).includes('..')) return { files: [], problem: `include "${pattern}" must be a path under the plan's folder` }
  const folder = posix.dirname(path)
  const name = posix.basename(path)
  if (/[*?]/.test(folder)) return { files: [], problem: `include "${pattern}": globs may only be used in the file name` }
  if (!/[*?]/.test(name)) return { files: [path] }
  const pattern_ = globToRegExp(name)
  const entries = await readdir(resolveInside(rootDir, folder), { withFileTypes: true }).catch(() => [])
  const files = entries
    .filter((e) => e.isFile() && pattern_.test(e.name) && /\.(?:ya?ml|json)$/i.test(e.name))
    .map((e) => (folder === '.' ? e.name : `${folder}/${e.name}`))
    .filter((f) => f !== posix.normalize(planFile))
    .sort(compareCodeUnits)
  return files.length === 0 ? { files, problem: `include "${pattern}" matches no .yml, .yaml or .json file` } : { files }
}

/** Lines of the tasks of a file, for `source`. */
async function taskLines(file: string, text: string, count: number, known?: number[]): Promise<Array<number | undefined>> {
  if (known?.length === count) return known
  const marks = Array.from({ length: count }, (_, i): Problem => ({ message: '', pointer: `/tasks/${i}` }))
  return (await locate(marks, file, text)).map((p) => p.line)
}

export function parseDuration(text: string): number {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  let total = 0
  for (const [, n, u] of text.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(n) * (unit[u as string] as number)
  return total
}

function resolveCommands(commands: PlanTask['commands']): CommandSpec[] {
  return Object.entries(commands ?? {}).map(([name, command]) => {
    const detailed = typeof command === 'string' ? { run: command } : command
    const retryable = detailed.retryable
    return {
      name,
      argv: splitArgv(detailed.run),
      timeoutMs: detailed.timeout_ms ?? DEFAULT_TIMEOUT_MS,
      retries: retryable === true ? DEFAULT_RETRIES : typeof retryable === 'object' ? retryable.attempts : 0,
      backoffMs: typeof retryable === 'object' ? (retryable.backoff_ms ?? DEFAULT_BACKOFF_MS) : DEFAULT_BACKOFF_MS,
    }
  })
}

const checksOf = (acceptance: readonly string[] | undefined) =>
  (acceptance ?? []).map((text) => {
    const parsed = parseCheck(text)
    return 'check' in parsed ? parsed.check : { kind: 'manual' as const, text }
  })

function resolveTask(task: PlanTask, source: string, planGates: readonly string[], planForbidden: readonly string[]): TaskSpec {
  const gates = planGates.filter((gate) => GATE_TASK_TYPES[gate]?.includes(task.type) ?? true)
  const constraints = task.constraints ?? {}
  return {
    id: task.id,
    title: task.title,
    type: task.type,
    description: task.description,
    paths: task.paths?.preferred ?? [],
    commands: resolveCommands(task.commands),
    checks: checksOf(task.acceptance),
    dependencies: task.dependencies ?? [],
    shards: (task.shards ?? []).map((shard) => ({ id: shard.id, title: shard.title, checks: checksOf(shard.acceptance) })),
    approvals: unique([...(task.approvals?.required ?? []), ...gates]),
    forbiddenPaths: unique([...(constraints.forbidden_paths ?? []), ...planForbidden]),
    timeboxMs: constraints.timebox_ms ?? (constraints.timebox === undefined ? 0 : parseDuration(constraints.timebox)),
    source,
  }
}

/** sha256 of the resolved plan, without where it was read from (file names and lines). */
export function planHash(plan: Omit<PlanSpec, 'hash' | 'file'>): string {
  return sha256(stableStringify({ ...plan, tasks: plan.tasks.map(({ source: _source, ...task }) => task) }))
}

/**
 * Reads `file` (workspace-relative; .yml, .yaml or .json) and the files it includes, checks them
 * and resolves the plan. `plan` is undefined when there is any problem.
 */
export async function loadPlan(rootDir: string, file = 'orchestrator.yml', trace?: PlanTrace): Promise<LoadedPlan> {
  const main = await readPlanFile(rootDir, file, trace)
  if (main.value === undefined) return { plan: undefined, problems: main.problems }
  const problems = await schemaProblems(main, OrchestratorPlan)
  const value = isRecord(main.value) ? main.value : {}
  const sources: PlanSource[] = [{ file, text: main.text, tasks: Array.isArray(value.tasks) ? (value.tasks as PlanTask[]) : [], ...(main.taskLines ? { lines: main.taskLines } : {}) }]

  const includes = Array.isArray(value.include) ? value.include : []
  const seen = new Set<string>([file])
  const includeProblems: Problem[] = []
  for (const [i, pattern] of includes.entries()) {
    if (typeof pattern !== 'string') continue
    const expanded = await expandInclude(rootDir, file, pattern)
    trace?.includes.push({ pattern, files: expanded.files })
    if (expanded.problem) includeProblems.push({ message: expanded.problem, path: `include[${i}]`, pointer: `/include/${i}`, rule: 'include' })
    for (const included of expanded.files.filter((f) => !seen.has(f))) {
      seen.add(included)
      const parsed = await readPlanFile(rootDir, included, trace)
      if (parsed.problems.some((p) => p.rule === 'missing')) {
        includeProblems.push({ message: `included file ${included} not found`, path: `include[${i}]`, pointer: `/include/${i}`, rule: 'include' })
        continue
      }
      problems.push(...parsed.problems)
      if (parsed.value === undefined) continue
      const own = await schemaProblems(parsed, IncludedTasks)
      problems.push(...own)
      const tasks = isRecord(parsed.value) && Array.isArray(parsed.value.tasks) ? (parsed.value.tasks as PlanTask[]) : []
      sources.push({ file: included, text: parsed.text, tasks, ...(parsed.taskLines ? { lines: parsed.taskLines } : {}) })
    }
  }
  problems.push(...(await locate(includeProblems, file, main.text)))
  if (problems.length > 0) return { plan: undefined, problems }

  // The schema accepted every file: the values have the schema's types from here on.
  const plan = main.value as OrchestratorPlan
  const planForbidden = plan.constraints?.forbidden_paths ?? []
  problems.push(...(await validatePlan(sources, planForbidden)))
  if (problems.length > 0) return { plan: undefined, problems }

  const planGates = plan.orchestrator?.approvals?.required ?? []
  const tasks: TaskSpec[] = []
  for (const source of sources) {
    const lines = await taskLines(source.file, source.text, source.tasks.length, source.lines)
    source.tasks.forEach((task, i) => tasks.push(resolveTask(task, `${source.file}:${lines[i] ?? 1}`, planGates, planForbidden)))
  }
  const release = plan.project?.build?.release
  const project = { name: plan.project?.name ?? basename(file, posix.extname(file)), root: plan.project?.root ?? '.', ...(release ? { release: resolveCommands({ release })[0] as CommandSpec } : {}) }
  const resolved = { project, approvals: [...planGates], tasks }
  return { plan: { file, hash: planHash(resolved), ...resolved }, problems: [] }
}
