// DevFactory's workers and tasks (.devfactory/beast/state.json, written by the workers) and the
// oracle's interventions (.devfactory/oracle/interventions.json, written by devfactory-oracle),
// read by the shapes in that plugin's src/types.ts and tracker/schema.ts.

import { compareCodeUnits } from '@oraclekit/kernel'
import { type Obj, asObj, corrupt, missing, num, readJson, str } from './read.js'
import type { DevfactoryData, Problem } from './types.js'

const clip = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

function lastActivity(worker: Obj | undefined): string | null {
  const list = worker?.activity
  if (!Array.isArray(list) || list.length === 0) return null
  const last = asObj(list[list.length - 1])
  if (str(last, 'kind') === 'message') return clip(`said: ${str(last, 'text') ?? ''}`)
  const error = str(last, 'error')
  return clip(`${str(last, 'tool') ?? 'action'}${error === null ? '' : ` failed: ${error}`}`)
}

async function readObject(rootDir: string, file: string, problems: Problem[]): Promise<Obj | undefined | null> {
  const read = await readJson(rootDir, file)
  if (read.state === 'missing') return null
  if (read.state === 'corrupt') {
    problems.push(read.problem)
    return undefined
  }
  const o = asObj(read.value)
  if (!o) problems.push(corrupt(file, 'not a JSON object'))
  return o
}

export async function readDevfactory(rootDir: string, dir: string): Promise<DevfactoryData> {
  const problems: Problem[] = []
  const stateFile = `${dir}/beast/state.json`
  const historyFile = `${dir}/oracle/interventions.json`
  const [state, history] = await Promise.all([readObject(rootDir, stateFile, problems), readObject(rootDir, historyFile, problems)])
  if (state === null) problems.push(missing(stateFile, "No DevFactory state: DevFactory's workers write it; `oracle devfactory watch` supervises them."))
  const entries = (o: unknown) => Object.entries(asObj(o) ?? {}).sort(([a], [b]) => compareCodeUnits(a, b))
  if (state && (!asObj(state.workers) || !asObj(state.tasks))) problems.push(corrupt(stateFile, 'not a DevFactory state: "workers" and "tasks" must be objects'))

  const workers = entries(state?.workers).map(([id, value]) => {
    const w = asObj(value)
    const waiting = asObj(w?.waiting_on)
    return {
      id: str(w, 'id') ?? id,
      status: str(w, 'status') ?? 'unknown',
      task_id: str(w, 'task_id'),
      since: str(w, 'status_since'),
      heartbeat: str(w, 'last_heartbeat'),
      waiting_on: waiting ? str(waiting, 'command') : null,
      last_error: str(w, 'last_error'),
      last_activity: lastActivity(w),
    }
  })
  const tasks = entries(state?.tasks).map(([id, value]) => {
    const t = asObj(value)
    const escalation = asObj(t?.escalation)
    return { id: str(t, 'id') ?? id, title: str(t, 'title'), spec: str(t, 'spec'), status: str(t, 'status') ?? 'unknown', assigned_to: str(t, 'assigned_to'), escalation: escalation ? str(escalation, 'reason') : null }
  })

  if (history && !Array.isArray(history.records)) problems.push(corrupt(historyFile, 'not an interventions file: "records" is not a list'))
  const records = Array.isArray(history?.records) ? history.records.map(asObj) : []
  const interventions = records
    .filter((r) => str(r, 'id') !== null)
    .map((r) => ({
      id: str(r, 'id') as string,
      timestamp: str(r, 'timestamp') ?? '',
      task_id: str(r, 'taskId') ?? '',
      worker: str(r, 'worker') ?? '',
      classification: str(r, 'classification') ?? '',
      type: str(r, 'type') ?? '',
      outcome: str(r, 'outcome') ?? 'pending',
      action: clip(str(r, 'action') ?? '', 400),
      resolution_ms: num(r, 'resolutionTime'),
      not_delivered: str(r, 'notDelivered'),
    }))
    .sort((a, b) => compareCodeUnits(b.timestamp, a.timestamp) || compareCodeUnits(b.id, a.id))

  const byOutcome: Record<string, number> = {}
  for (const i of interventions) byOutcome[i.outcome] = (byOutcome[i.outcome] ?? 0) + 1
  const decided = (byOutcome.resolved ?? 0) + (byOutcome.failed ?? 0) + (byOutcome.escalated ?? 0)
  const takeovers = interventions.filter((i) => i.type === 'takeover').length
  return {
    workers,
    tasks,
    interventions,
    stats: {
      total: interventions.length,
      success_rate: decided === 0 ? 0 : (byOutcome.resolved ?? 0) / decided,
      takeover_rate: interventions.length === 0 ? 0 : takeovers / interventions.length,
      by_outcome: byOutcome,
    },
    problems,
  }
}
