// Per product, what the Dash files say: health, kill switch, last run, schedule, drift and heal
// state. The overview and the schedules view are two readings of these facts. A file that is not
// there is simply not shown; one that is there but broken becomes a problem of its product.

import { compareCodeUnits } from '@oraclekit/kernel'
import type { ResolvedPaths } from '../paths.js'
import { occurrences, isTimeZone } from './cadence.js'
import { type Obj, asObj, corrupt, listDir, num, readJson, requireFields, runRecordFields, str } from './read.js'
import type { ProductOps, ProductRow, Problem, RunRef, ScheduleEntryRow } from './types.js'

const PRODUCT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/

export interface ProductFacts {
  id: string
  declared: boolean
  health: ProductRow['health']
  killSwitch: ProductRow['kill_switch']
  lastRun: RunRef | null
  /** The latest run of each intent, from last_run.json. */
  intents: Record<string, { run_id: string; exit_status: string; finished_at: string | null }>
  schedule: ProductOps['schedule']
  drift: (ProductOps['drift'] & { verdict: 'none' | 'drift' | 'error'; drift: number; errors: number }) | null
  heal: ProductOps['heal']
  problems: Problem[]
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString())

/** Declared products, then any other id a Dash file is named after, sorted by code units. */
export async function productIds(rootDir: string, paths: ResolvedPaths, declared: readonly string[] | undefined): Promise<string[]> {
  const found = new Set(declared ?? [])
  const jsonNames = (dir: string) => listDir(rootDir, dir).then((es) => es.filter((e) => !e.dir && e.name.endsWith('.json')).map((e) => e.name.slice(0, -5)))
  const lists = await Promise.all([
    listDir(rootDir, paths.runsDir).then((es) => es.filter((e) => e.dir).map((e) => e.name)),
    jsonNames(`${paths.dashDir}/health`),
    jsonNames(`${paths.dashDir}/kill_switch`),
    jsonNames(paths.schedulesDir),
    jsonNames(paths.driftDir),
    jsonNames(paths.healDir),
  ])
  for (const id of lists.flat()) if (PRODUCT_ID.test(id)) found.add(id)
  return [...found].sort(compareCodeUnits)
}

export async function readProduct(rootDir: string, paths: ResolvedPaths, id: string, declared: boolean, now: number): Promise<ProductFacts> {
  const problems: Problem[] = []
  const read = async (file: string): Promise<Obj | undefined> => {
    const result = await readJson(rootDir, file)
    if (result.state === 'corrupt') problems.push(result.problem)
    if (result.state !== 'ok') return undefined
    const o = asObj(result.value)
    if (!o) problems.push(corrupt(file, 'not a JSON object'))
    return o
  }
  const files = {
    health: `${paths.dashDir}/health/${id}.json`,
    kill: `${paths.dashDir}/kill_switch/${id}.json`,
    lastRun: `${paths.runsDir}/${id}/last_run.json`,
    schedule: `${paths.schedulesDir}/${id}.json`,
    drift: `${paths.driftDir}/${id}.json`,
    heal: `${paths.healDir}/${id}.json`,
  }
  const [health, kill, lastRun, schedule, drift, heal] = await Promise.all([files.health, files.kill, files.lastRun, files.schedule, files.drift, files.heal].map(read))
  const killBroken = kill === undefined && problems.some((p) => p.file === files.kill)
  const facts: ProductFacts = {
    id,
    declared,
    health: health ? { status: str(health, 'status') ?? 'unknown', detail: str(health, 'detail'), checked_at: str(health, 'checked_at') } : null,
    // The planner counts a kill switch file it cannot read as on; so does the dash.
    killSwitch: kill
      ? { enabled: kill.enabled === true, reason: str(kill, 'reason'), set_by: str(kill, 'set_by'), set_at: str(kill, 'set_at') }
      : killBroken
        ? { enabled: true, reason: 'the kill switch file cannot be read (counts as on)', set_by: null, set_at: null }
        : null,
    lastRun: null,
    intents: {},
    schedule: null,
    drift: null,
    heal: [],
    problems,
  }
  if (lastRun) readLastRun(facts, lastRun, files.lastRun)
  if (schedule) facts.schedule = readSchedule(facts, schedule, files.schedule, now)
  if (drift) facts.drift = readDrift(drift, files.drift)
  if (heal) facts.heal = readHeal(heal)
  return facts
}

function readLastRun(facts: ProductFacts, o: Obj, file: string): void {
  const problem = requireFields(o, file, 'a last_run.json', ['run_id', 'intent', 'exit_status'])
  if (problem) {
    facts.problems.push(problem)
    return
  }
  facts.lastRun = { run_id: str(o, 'run_id') as string, ...runRecordFields(o) }
  for (const [intent, value] of Object.entries(asObj(o.intents) ?? {})) {
    const entry = asObj(value)
    const runId = str(entry, 'run_id')
    const status = str(entry, 'exit_status')
    if (runId !== null && status !== null) facts.intents[intent] = { run_id: runId, exit_status: status, finished_at: str(entry, 'finished_at') }
  }
}

function readSchedule(facts: ProductFacts, o: Obj, file: string, now: number): ProductOps['schedule'] {
  const timezone = str(o, 'timezone') ?? 'UTC'
  if (!isTimeZone(timezone)) {
    facts.problems.push(corrupt(file, `unknown timezone "${timezone}"`))
    return null
  }
  if (!Array.isArray(o.entries)) {
    facts.problems.push(corrupt(file, 'not a schedule: "entries" is not a list'))
    return null
  }
  const entries: ScheduleEntryRow[] = []
  o.entries.forEach((value, i) => {
    const e = asObj(value)
    const intent = str(e, 'intent')
    const cadence = str(e, 'cadence')
    if (intent === null || cadence === null) {
      facts.problems.push(corrupt(file, `entries[${i}]: "intent" and "cadence" must be strings`))
      return
    }
    const entry = { intent, cadence, ...(str(e, 'time') === null ? {} : { time: str(e, 'time') as string }), ...(str(e, 'day') === null ? {} : { day: str(e, 'day') as string }), ...(num(e, 'hours') === null ? {} : { hours: num(e, 'hours') as number }) }
    const { last, next } = occurrences(entry, timezone, now)
    const ran = facts.intents[intent]?.finished_at ?? null
    const ranAt = ran === null ? Number.NaN : Date.parse(ran)
    const due = last !== undefined && !(ranAt >= last)
    entries.push({ intent, cadence: describe(entry, timezone), last: iso(last), next: iso(next), due, last_run: ran })
  })
  return { file, timezone, entries }
}

function describe(e: { cadence: string; time?: string; day?: string; hours?: number }, timezone: string): string {
  const at = `${e.time ?? '00:00'} ${timezone}`
  if (e.cadence === 'daily') return `weekdays at ${at}`
  if (e.cadence === 'every_day') return `every day at ${at}`
  if (e.cadence === 'weekly') return `weekly on ${e.day ?? 'monday'} at ${at}`
  if (e.cadence === 'every_n_hours') return `every ${e.hours ?? '?'} h from ${at}`
  return `${e.cadence} at ${at}`
}

function readDrift(o: Obj, file: string): ProductFacts['drift'] {
  const code = num(o, 'exit_code')
  const summary = asObj(o.summary)
  const rows = (key: string) =>
    (Array.isArray(o[key]) ? (o[key] as unknown[]) : []).map(asObj).map((i) => ({
      kind: str(i, 'kind') ?? '?',
      key: str(i, 'key') ?? '?',
      expected: str(i, 'expected') ?? '',
      actual: str(i, 'actual') ?? '',
      status: str(i, 'status') ?? (key === 'errors' ? 'error' : '?'),
    }))
  const items = [...rows('items'), ...rows('errors')]
  return {
    file,
    checked_at: str(o, 'checked_at'),
    exit_code: code,
    items,
    verdict: code === 1 ? 'error' : code === 2 ? 'drift' : 'none',
    drift: num(summary, 'drift') ?? items.filter((i) => i.status === 'drift').length,
    errors: num(summary, 'errors') ?? items.filter((i) => i.status === 'error').length,
  }
}

function readHeal(o: Obj): ProductOps['heal'] {
  return Object.entries(asObj(o.intents) ?? {})
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([intent, value]) => {
      const h = asObj(value)
      return { intent, state: str(h, 'state') ?? 'unknown', attempts: num(h, 'attempts') ?? 0, stopped_at: str(h, 'stopped_at'), reason: str(h, 'reason') }
    })
}
