// What the plan's schema cannot say, checked across the plan and its included files at once:
// unique ids (tasks and shards share one id space), dependencies that exist and are not the task
// itself, no cycles, acceptance strings that parse, and no preferred or checked path that a
// forbidden_paths glob (the task's or the plan's) covers. Every problem carries its file and line.

import { type PathSegment, type Problem, locateProblems } from '@oraclekit/kernel'
import { type DagNode, type PlacedTask, type PlanTask, findCycles, planGraphProblems, problemAt } from '@oraclekit/kernel/contracts/orchestrator-plan'
import { parseCheck, splitArgv } from './checks.js'
import type { PlanProblem } from './load.js'

/** The tasks of one file of the plan (the main file or an included one), as the schema accepted them. */
export interface PlanSource {
  /** Workspace-relative. */
  file: string
  text: string
  /** The file's `tasks`, at `tasks[i]` in the file. */
  tasks: readonly PlanTask[]
  /** 1-based line of each task, when the parser already knows them. */
  lines?: number[]
}

/**
 * A glob as a regular expression over a whole `/`-separated path: `**` any number of folders,
 * `*` anything inside one name, `?` one character of a name.
 */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  const g = normalize(glob)
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string
    if (c === '/' && g.slice(i) === '/**') {
      // `dir/**` covers the folder itself too.
      source += '(?:/.*)?'
      break
    }
    if (c === '*' && g[i + 1] === '*') {
      i++
      if (g[i + 1] === '/') {
        i++
        source += '(?:.*/)?'
      } else source += '.*'
    } else if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

const normalize = (path: string): string => path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '')

/** Whether `glob` covers `path` or a folder `path` is in (a forbidden folder forbids its files). */
export function matchesGlob(path: string, glob: string): boolean {
  const pattern = globToRegExp(glob)
  const parts = normalize(path).split('/')
  for (let n = parts.length; n > 0; n--) if (pattern.test(parts.slice(0, n).join('/'))) return true
  return false
}

/**
 * The order to run the tasks in: Kahn's algorithm, the ready task listed first going first.
 * Unknown dependencies are ignored; tasks on (or behind) a cycle are left out.
 */
export function topoOrder(tasks: readonly DagNode[]): string[] {
  const ids = new Set(tasks.map((task) => task.id))
  const waiting = new Map(tasks.map((task) => [task.id, new Set((task.dependencies ?? []).filter((d) => ids.has(d)))] as const))
  const order: string[] = []
  const placed = new Set<string>()
  for (;;) {
    const next = tasks.find((task) => !placed.has(task.id) && (waiting.get(task.id)?.size ?? 0) === 0)
    if (!next) return order
    placed.add(next.id)
    order.push(next.id)
    for (const pending of waiting.values()) pending.delete(next.id)
  }
}

export { findCycles }
export type { DagNode }

type Placed = PlacedTask


function checkProblems(placed: readonly Placed[], planForbidden: readonly string[]): Problem[] {
  const problems: Problem[] = []
  for (const { task, file, index } of placed) {
    const globs = [...(task.constraints?.forbidden_paths ?? []), ...planForbidden]
    const forbidden = (path: string, at: PathSegment[], what: string) => {
      const glob = globs.find((g) => matchesGlob(path, g))
      if (glob !== undefined) {
        const owner = (task.constraints?.forbidden_paths ?? []).includes(glob) ? 'the task' : 'the plan'
        problems.push(problemAt(file, at, 'forbidden_path', `${what} "${path}" is forbidden by "${glob}" (forbidden_paths of ${owner})`, 'Remove the path, or narrow the forbidden_paths glob.'))
      }
    }
    for (const [name, command] of Object.entries(task.commands ?? {})) {
      if (splitArgv(typeof command === 'string' ? command : command.run).length === 0) problems.push(problemAt(file, ['tasks', index, 'commands', name], 'command', `command "${name}" is empty`, 'Write the command line, or remove the entry.'))
    }
    task.paths?.preferred?.forEach((path, j) => forbidden(path, ['tasks', index, 'paths', 'preferred', j], 'preferred path'))
    const acceptance = (strings: readonly string[] | undefined, at: PathSegment[]) =>
      strings?.forEach((text, k) => {
        const parsed = parseCheck(text)
        if ('problem' in parsed) problems.push(problemAt(file, [...at, k], 'acceptance', parsed.problem, 'Write "Tests pass: <command>", "File exists: <path>", "Contains: <text>", "Exit code <n>: <command>", or free text for a manual check.'))
        else if (parsed.check.kind === 'file_exists') forbidden(parsed.check.path, [...at, k], 'checked path')
      })
    acceptance(task.acceptance, ['tasks', index, 'acceptance'])
    task.shards?.forEach((shard, j) => acceptance(shard.acceptance, ['tasks', index, 'shards', j, 'acceptance']))
  }
  return problems
}

/** Kernel problems of one file as plan problems, with their lines. */
export async function locate(problems: readonly Problem[], file: string, text: string): Promise<PlanProblem[]> {
  const located = await locateProblems([...problems], { file, text, kind: 'json' })
  return located.map((p) => ({
    file: p.file ?? file,
    ...(p.line === undefined ? {} : { line: p.line }),
    path: p.path ?? '(root)',
    message: p.message,
    rule: p.rule ?? 'schema',
    ...(p.hint === undefined ? {} : { hint: p.hint }),
  }))
}

/**
 * Every problem the schema cannot see, across all files of the plan, in plan order per kind.
 * `planForbidden`: the plan-level `constraints.forbidden_paths`, applied to every task.
 */
export async function validatePlan(sources: readonly PlanSource[], planForbidden: readonly string[] = []): Promise<PlanProblem[]> {
  const placed = sources.flatMap((source) => source.tasks.map((task, index) => ({ task, file: source.file, index })))
  const problems = [...planGraphProblems(placed), ...checkProblems(placed, planForbidden)]
  const out: PlanProblem[] = []
  for (const source of sources) {
    const own = problems.filter((p) => p.file === source.file)
    if (own.length > 0) out.push(...(await locate(own, source.file, source.text)))
  }
  return out
}
