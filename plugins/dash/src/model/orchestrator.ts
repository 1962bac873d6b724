// The orchestrator's DAG and its progress: tasks and edges from orchestrator.yml (and the files it
// includes), each task's state folded from the latest event log in .codex/runs/ by the rules of
// docs/plugins/orchestrator.md ("State comes from the log"). YAML is parsed with `yaml`, loaded
// only when there is a plan.

import { compareCodeUnits } from '@oraclekit/kernel'
import { layoutDag } from './dag-layout.js'
import { asObj, corrupt, listDir, missing, readTextFile, str, strs } from './read.js'
import type { OrchestratorData, Problem } from './types.js'

interface PlanTask {
  id: string
  title: string
  type: string
  dependencies: string[]
  gates: string[]
}

/** Plan-level gates apply by task type (the orchestrator's GATE_TASK_TYPES); other names to every task. */
const GATE_TYPES: Record<string, string[]> = { apply_patch: ['code_change'], deploy: ['deploy', 'release'], tag: ['release'] }

async function parseYaml(rootDir: string, file: string, problems: Problem[]): Promise<Record<string, unknown> | undefined> {
  const text = await readTextFile(rootDir, file).catch((error: Error) => {
    problems.push(corrupt(file, error.message))
    return undefined
  })
  if (text === undefined) return undefined
  const { parseDocument } = await import('yaml')
  const doc = parseDocument(text, { prettyErrors: true })
  const [error] = doc.errors
  if (error) {
    problems.push(corrupt(file, `not YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`, error.linePos?.[0].line))
    return undefined
  }
  const value = asObj(doc.toJS())
  if (!value) problems.push(corrupt(file, 'not a plan: expected a mapping'))
  return value
}

async function readPlan(rootDir: string, file: string, problems: Problem[]): Promise<{ project: string | null; tasks: PlanTask[] } | undefined> {
  const plan = await parseYaml(rootDir, file, problems)
  if (!plan) return undefined
  const planGates = strs(asObj(asObj(plan.orchestrator)?.approvals), 'required')
  const sources: Array<{ file: string; tasks: unknown }> = [{ file, tasks: plan.tasks }]
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : ''
  for (const pattern of strs(plan, 'include')) {
    for (const included of await expandInclude(rootDir, folder, pattern)) sources.push({ file: included, tasks: (await parseYaml(rootDir, included, problems))?.tasks })
  }
  const tasks: PlanTask[] = []
  for (const source of sources) {
    if (source.tasks === undefined) continue
    if (!Array.isArray(source.tasks)) {
      problems.push(corrupt(source.file, 'not a plan: "tasks" is not a list'))
      continue
    }
    source.tasks.forEach((value, i) => {
      const t = asObj(value)
      const id = str(t, 'id')
      if (id === null) return problems.push(corrupt(source.file, `tasks[${i}] has no id`))
      const type = str(t, 'type') ?? 'task'
      const gates = [...strs(asObj(t?.approvals), 'required'), ...planGates.filter((g) => GATE_TYPES[g]?.includes(type) ?? true)]
      tasks.push({ id, title: str(t, 'title') ?? id, type, dependencies: strs(t, 'dependencies'), gates: [...new Set(gates)] })
    })
  }
  return { project: str(asObj(plan.project), 'name'), tasks }
}

/** An include: a file under the plan's folder, `*` and `?` allowed in its name only. */
async function expandInclude(rootDir: string, folder: string, pattern: string): Promise<string[]> {
  if (pattern.startsWith('/') || pattern.split('/').includes('..')) return []
  const full = folder ? `${folder}/${pattern}` : pattern
  const dir = full.includes('/') ? full.slice(0, full.lastIndexOf('/')) : '.'
  const name = full.slice(full.lastIndexOf('/') + 1)
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`)
  const entries = await listDir(rootDir, dir)
  return entries.filter((e) => !e.dir && re.test(e.name) && /\.(ya?ml|json)$/.test(e.name)).map((e) => (dir === '.' ? e.name : `${dir}/${e.name}`))
}

interface TaskState {
  state: string
  attempts: number
  started: string | null
  duration_ms: number | null
  message: string | null
}

interface Folded {
  tasks: Map<string, TaskState>
  awaiting: Set<string>
  approved: Map<string, { by: string; at: string }>
  finished: boolean
  events: number
}

function fold(text: string, file: string, problems: Problem[], gatesOf: ReadonlyMap<string, readonly string[]>): Folded {
  const out: Folded = { tasks: new Map(), awaiting: new Set(), approved: new Map(), finished: false, events: 0 }
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let e: Record<string, unknown> | undefined
    try {
      e = asObj(JSON.parse(line))
    } catch {
      // A torn last line (a killed writer) is ignored, as the orchestrator does; one in the middle is not.
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== '')) problems.push(corrupt(file, 'event line is not JSON', i + 1))
      return
    }
    out.events++
    const id = str(e, 'task')
    const rec = id === null ? undefined : (out.tasks.get(id) ?? { state: 'pending', attempts: 0, started: null, duration_ms: null, message: null })
    if (id !== null && rec) out.tasks.set(id, rec)
    const ts = str(e, 'ts')
    const gate = str(e, 'gate')
    switch (str(e, 'type')) {
      case 'task_started':
        if (rec) Object.assign(rec, { state: 'running', attempts: rec.attempts + 1, started: ts, duration_ms: null, message: null })
        break
      case 'task_completed':
      case 'task_failed':
        if (!rec) break
        rec.state = str(e, 'type') === 'task_completed' ? 'completed' : 'failed'
        rec.duration_ms = typeof e?.duration_ms === 'number' ? e.duration_ms : rec.started && ts ? Math.max(0, Date.parse(ts) - Date.parse(rec.started)) : null
        rec.message = str(e, 'message')
        break
      case 'blocked':
      case 'skipped':
        if (rec) Object.assign(rec, { state: str(e, 'type'), message: str(e, 'message') })
        break
      case 'awaiting_approval':
        if (gate !== null && !out.approved.has(gate)) out.awaiting.add(gate)
        if (rec) Object.assign(rec, { state: 'awaiting_approval', message: str(e, 'message') ?? (gate === null ? null : `awaiting approval: ${gate}`) })
        break
      case 'approved':
        if (gate === null) break
        out.approved.set(gate, { by: str(e, 'by') ?? 'unknown', at: ts ?? '' })
        out.awaiting.delete(gate)
        for (const [task, r] of out.tasks) {
          const gates = gatesOf.get(task) ?? []
          const waiting = gates.length > 0 ? gates.some((g) => !out.approved.has(g)) : out.awaiting.size > 0
          if (r.state === 'awaiting_approval' && !waiting) Object.assign(r, { state: 'pending', message: null })
        }
        break
      case 'resumed':
        out.finished = false
        for (const r of out.tasks.values()) if (['running', 'failed', 'blocked'].includes(r.state)) r.state = 'pending'
        break
      case 'completed':
        out.finished = true
        break
    }
  })
  return out
}

function runStatus(f: Folded): string {
  const states = [...f.tasks.values()].map((t) => t.state)
  if (f.finished) return 'completed'
  if (states.includes('running')) return 'in progress'
  if (states.includes('failed') || states.includes('blocked')) return 'failed'
  if (f.awaiting.size > 0 || states.includes('awaiting_approval')) return 'awaiting approval'
  return 'in progress'
}

export async function readOrchestrator(rootDir: string, planFile: string, runsDir: string): Promise<OrchestratorData> {
  const problems: Problem[] = []
  const plan = await readPlan(rootDir, planFile, problems)
  if (!plan && !problems.some((p) => p.file === planFile)) problems.push(missing(planFile, 'No orchestrator plan: the orchestrator plugin runs orchestrator.yml (the actionizer writes one).'))
  const logs = (await listDir(rootDir, runsDir)).filter((e) => !e.dir && e.name.endsWith('.jsonl')).map((e) => e.name.slice(0, -6))
  const gatesOf = new Map((plan?.tasks ?? []).map((t) => [t.id, t.gates]))
  const runs: OrchestratorData['runs'] = []
  let latest: (Folded & { id: string; file: string }) | undefined
  for (const id of logs.slice(-20)) {
    const file = `${runsDir}/${id}.jsonl`
    const text = (await readTextFile(rootDir, file).catch(() => undefined)) ?? ''
    const folded = fold(text, file, id === logs[logs.length - 1] ? problems : [], gatesOf)
    runs.push({ id, status: runStatus(folded) })
    latest = { ...folded, id, file }
  }
  runs.reverse()
  const tasks = plan?.tasks ?? []
  const { width, height, at } = layoutDag(tasks)
  const nodes = tasks.map((t) => {
    const s = latest?.tasks.get(t.id)
    const p = at.get(t.id) ?? { layer: 0, x: 0, y: 0 }
    return { id: t.id, title: t.title, type: t.type, state: s?.state ?? 'pending', attempts: s?.attempts ?? 0, duration_ms: s?.duration_ms ?? null, message: s?.message ?? null, gates: t.gates, ...p }
  })
  const ids = new Set(tasks.map((t) => t.id))
  const edges = tasks.flatMap((t) => t.dependencies.filter((d) => ids.has(d)).map((d) => ({ from: d, to: t.id })))
  return {
    plan: plan ? { file: planFile, project: plan.project, tasks: tasks.length } : null,
    run: latest ? { id: latest.id, file: latest.file, status: runStatus(latest), events: latest.events } : null,
    runs,
    dag: { width, height, nodes, edges },
    awaiting: [...(latest?.awaiting ?? [])].sort(compareCodeUnits),
    approved: [...(latest?.approved ?? new Map<string, { by: string; at: string }>())].map(([gate, a]) => ({ gate, ...a })).sort((a, b) => compareCodeUnits(a.gate, b.gate)),
    problems,
  }
}
