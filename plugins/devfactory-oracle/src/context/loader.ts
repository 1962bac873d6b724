// Seed 3's ContextLoader: the product documents and the specs, read once and then re-read only
// where a file's mtime (or size) changed, so the watch loop can refresh every check cheaply.
// Missing documents are warnings, never errors: the Oracle works with what is there.

import { readFile, readdir, stat } from 'node:fs/promises'
import { type Clock, compareCodeUnits, errorInternal, resolveInside, systemClock } from '@oraclekit/kernel'
import type { ProjectContext, SpecContext, TaskContext } from '../types.js'
import { missionLiteOf, parseRoadmap, parseTechStack, requirementsFor, specDependencies } from './product.js'
import { type SummaryFocus, buildSummary } from './summary.js'
import { type ParsedTask, parseTasksMd, toTaskInfo } from './tasks-md.js'

/** The file operations the loader uses; tests pass a counting or in-memory one. */
export interface ContextFs {
  readFile(path: string): Promise<string>
  /** `undefined` when the file does not exist. */
  stat(path: string): Promise<{ mtimeMs: number; size: number } | undefined>
  /** The names of the sub-folders; `undefined` when the folder does not exist. */
  listDirs(path: string): Promise<string[] | undefined>
}

const missing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

export const nodeContextFs: ContextFs = {
  readFile: (path) => readFile(path, 'utf8'),
  stat: async (path) => {
    try {
      const info = await stat(path)
      return { mtimeMs: info.mtimeMs, size: info.size }
    } catch (error) {
      if (missing(error)) return undefined
      throw error
    }
  },
  listDirs: async (path) => {
    try {
      return (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
    } catch (error) {
      if (missing(error)) return undefined
      throw error
    }
  },
}

export interface ContextLoaderOptions {
  /** DevFactory's folder, workspace-relative (default `.devfactory`). */
  dir?: string
  fs?: ContextFs
  clock?: Clock
}

export interface ContextLoader {
  readonly rootDir: string
  /** What was missing or odd at the last (re)load, e.g. a spec without tasks.md. */
  readonly warnings: readonly string[]
  /** Reads every document. */
  load(): Promise<ProjectContext>
  /** Re-reads the documents whose mtime or size changed (and notices new or removed ones); true when anything changed. */
  refresh(): Promise<boolean>
  /** The context of the last (re)load. */
  getContext(): ProjectContext
  /** The context for a prompt, within `maxTokens` (estimated as characters ÷ 4). */
  getSummary(maxTokens?: number, focus?: SummaryFocus): string
  /** One task's context: `taskId` is its id in tasks.md, or `<spec>/<id>`; `spec` narrows the search. */
  getTaskContext(taskId: string, spec?: string): TaskContext | undefined
}

export const PRODUCT_FILES = ['mission.md', 'mission-lite.md', 'roadmap.md', 'tech-stack.md'] as const

interface Cached {
  mtimeMs: number
  size: number
  text: string
}

interface LoadedSpec {
  context: SpecContext
  tasks: ParsedTask[]
  tasksFile: string
}

export function createContextLoader(rootDir: string, options: ContextLoaderOptions = {}): ContextLoader {
  const fs = options.fs ?? nodeContextFs
  const clock = options.clock ?? systemClock
  const dir = (options.dir ?? '.devfactory').replace(/\/+$/, '')
  const abs = (rel: string) => resolveInside(rootDir, rel)
  const cache = new Map<string, Cached>()
  let specNames: string[] | undefined
  let context: ProjectContext | undefined
  let specs: LoadedSpec[] = []
  let warnings: string[] = []

  const productFile = (name: string) => `${dir}/product/${name}`
  const specFile = (spec: string, name: string) => `${dir}/specs/${spec}/${name}`

  async function sync(force: boolean): Promise<boolean> {
    if (force) cache.clear()
    const names = (await fs.listDirs(abs(`${dir}/specs`)))?.filter((n) => !n.startsWith('.')).sort(compareCodeUnits)
    let changed = force || context === undefined || JSON.stringify(names) !== JSON.stringify(specNames)
    specNames = names
    const wanted = [...PRODUCT_FILES.map(productFile), ...(names ?? []).flatMap((s) => [specFile(s, 'srd.md'), specFile(s, 'tasks.md')])]
    for (const rel of wanted) {
      const info = await fs.stat(abs(rel))
      const cached = cache.get(rel)
      if (!info) {
        if (cache.delete(rel)) changed = true
        continue
      }
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) continue
      cache.set(rel, { ...info, text: await fs.readFile(abs(rel)) })
      changed = true
    }
    for (const rel of [...cache.keys()]) if (!wanted.includes(rel) && cache.delete(rel)) changed = true
    if (changed) rebuild()
    return changed
  }

  function rebuild(): void {
    const next: string[] = []
    const text = (rel: string) => cache.get(rel)?.text
    for (const name of PRODUCT_FILES) if (text(productFile(name)) === undefined) next.push(`${productFile(name)} is missing`)
    if (specNames === undefined) next.push(`${dir}/specs/ is missing: no specs`)
    specs = (specNames ?? []).map((name) => {
      const srd = text(specFile(name, 'srd.md'))
      const tasksMd = text(specFile(name, 'tasks.md'))
      if (srd === undefined) next.push(`${specFile(name, 'srd.md')} is missing`)
      if (tasksMd === undefined) next.push(`${specFile(name, 'tasks.md')} is missing`)
      const parsed = parseTasksMd(tasksMd ?? '', specFile(name, 'tasks.md'))
      next.push(...parsed.warnings)
      const done = parsed.tasks.filter((t) => t.status === 'complete').length
      const status: SpecContext['status'] = parsed.tasks.length > 0 && done === parsed.tasks.length ? 'complete' : done > 0 ? 'in_progress' : 'planning'
      return {
        context: { name, path: `${dir}/specs/${name}`, status, srd: srd ?? '', tasks: parsed.tasks.map(toTaskInfo), dependencies: specDependencies(srd ?? '') },
        tasks: parsed.tasks,
        tasksFile: specFile(name, 'tasks.md'),
      }
    })
    const mission = text(productFile('mission.md')) ?? ''
    context = {
      mission,
      missionLite: missionLiteOf(text(productFile('mission-lite.md')), mission),
      roadmap: parseRoadmap(text(productFile('roadmap.md')) ?? ''),
      techStack: parseTechStack(text(productFile('tech-stack.md')) ?? ''),
      specs: specs.map((s) => s.context),
      lastLoaded: clock.iso(),
    }
    warnings = next
  }

  function getContext(): ProjectContext {
    if (!context) throw errorInternal('ContextLoader: getContext() before load()')
    return context
  }

  function getTaskContext(taskId: string, spec?: string): TaskContext | undefined {
    getContext() // the same coded error as getContext() when nothing is loaded yet
    // `<spec>/<id>` is how a state file keeps task ids unique across specs (each numbers from 1).
    let id = taskId
    let specName = spec
    const slash = taskId.lastIndexOf('/')
    const prefix = taskId.slice(0, Math.max(0, slash))
    if (slash > 0 && (spec === undefined || spec === prefix) && specs.some((s) => s.context.name === prefix)) {
      specName = prefix
      id = taskId.slice(slash + 1)
    }
    const found = specs.filter((s) => specName === undefined || s.context.name === specName).flatMap((s) => s.tasks.filter((t) => t.id === id).map((task) => ({ spec: s, task })))[0]
    if (!found) return undefined
    const { spec: owner, task } = found
    const byId = new Map(owner.tasks.map((t) => [t.id, t]))
    const rootOf = (t: ParsedTask): string => (t.parent !== undefined && byId.has(t.parent) ? rootOf(byId.get(t.parent) as ParsedTask) : t.id)
    const root = rootOf(task)
    let related = owner.tasks.filter((t) => t !== task && rootOf(t) === root)
    if (related.length === 0) related = owner.tasks.filter((t) => t !== task && t.layer === task.layer)
    const parentTitle = task.parent === undefined ? undefined : byId.get(task.parent)?.title
    return {
      id: task.id,
      title: task.title,
      layer: task.layer,
      specName: owner.context.name,
      requirements: owner.context.srd.trim() === '' ? `(no srd.md in ${owner.context.path})` : requirementsFor(owner.context.srd, task, parentTitle),
      tasksFile: owner.tasksFile,
      line: task.line,
      dependencies: [...task.dependsOn, ...owner.context.dependencies],
      relatedTasks: related.map(toTaskInfo),
    }
  }

  return {
    rootDir,
    get warnings() {
      return warnings
    },
    async load() {
      await sync(true)
      return getContext()
    },
    refresh: () => sync(false),
    getContext,
    getSummary(maxTokens = 4000, focus = {}) {
      const task = focus.taskId === undefined ? undefined : getTaskContext(focus.taskId)
      return buildSummary(getContext(), maxTokens, focus, task)
    },
    getTaskContext,
  }
}
