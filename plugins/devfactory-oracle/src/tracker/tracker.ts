// The intervention history. `watch` and a manual `intervene` may write it at the same time, so
// every change is a locked read-modify-write with an atomic rename; reads take no lock (a reader
// sees the old file or the new one). Methods read the file each time instead of caching it: the
// other process may have changed it, and it holds at most maxInterventionHistory records.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Clock, checkValue, isOracleError, locateProblems, parseJsonText, systemClock, withFileLock, writeJsonAtomic } from '@oraclekit/kernel'
import { errorInterventionsInvalid } from '../errors.js'
import { DEFAULT_DIR } from '../oracle-files.js'
import { type InterventionOutcome, type OracleStats, STUCK_CLASSIFICATIONS, type StuckClassification } from '../types.js'
import { type InterventionsFile, InterventionsFileSchema, type TrackedIntervention } from './schema.js'

export interface TrackerOptions {
  /** DevFactory's folder (default `.devfactory`). */
  dir?: string
  /** Records kept (default 100). */
  maxHistory?: number
  clock?: Clock
}

/** What `record` takes: everything but the id, and the timestamp unless the caller knows better. */
export type NewIntervention = Omit<TrackedIntervention, 'id' | 'timestamp'> & { timestamp?: string }

const LOCK_RETRIES = 4

export class InterventionTracker {
  /** Absolute path of interventions.json. */
  readonly path: string
  /** Workspace-relative, for messages. */
  readonly file: string
  private readonly maxHistory: number
  private readonly clock: Clock

  constructor(rootDir: string, options: TrackerOptions = {}) {
    this.file = `${(options.dir ?? DEFAULT_DIR).replace(/\/+$/, '')}/oracle/interventions.json`
    this.path = join(rootDir, this.file)
    this.maxHistory = options.maxHistory ?? 100
    this.clock = options.clock ?? systemClock
  }

  /** Appends a record, prunes to the newest maxHistory, and returns its id (`int-<n>`). */
  async record(input: NewIntervention): Promise<string> {
    return this.change((history) => {
      history.lastId += 1
      const id = `int-${history.lastId}`
      history.records.push({ ...input, id, timestamp: input.timestamp ?? this.clock.iso() })
      history.records = history.records.slice(-this.maxHistory)
      return id
    })
  }

  /** Sets a record's outcome (and resolution time); false when no record has that id (pruned). */
  async updateOutcome(id: string, outcome: InterventionOutcome, resolutionTime?: number): Promise<boolean> {
    return this.change((history) => {
      const record = history.records.find((r) => r.id === id)
      if (!record) return false
      record.outcome = outcome
      if (resolutionTime === undefined) delete record.resolutionTime
      else record.resolutionTime = Math.max(0, Math.round(resolutionTime))
      return true
    })
  }

  /** Every kept record, oldest first. */
  async list(): Promise<TrackedIntervention[]> {
    return (await this.read()).records
  }

  /** The newest `limit` records, newest first. */
  async getHistory(limit = 10): Promise<TrackedIntervention[]> {
    if (limit <= 0) return []
    return (await this.list()).slice(-limit).reverse()
  }

  /** The kept records of one task, oldest first. */
  async getForTask(taskId: string): Promise<TrackedIntervention[]> {
    return (await this.list()).filter((r) => r.taskId === taskId)
  }

  async getStats(): Promise<OracleStats> {
    return computeStats(await this.list())
  }

  private async read(): Promise<InterventionsFile> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, lastId: 0, records: [] }
      throw error
    }
    return parseInterventions(text, this.file)
  }

  // A broken file throws before anything is written: the history is never replaced by a fresh one.
  private async change<T>(fn: (history: InterventionsFile) => T): Promise<T> {
    return withFileLock(
      this.path,
      async () => {
        const history = await this.read()
        const result = fn(history)
        await writeJsonAtomic(this.path, history)
        return result
      },
      { retries: LOCK_RETRIES },
    )
  }
}

/** Parses and checks interventions.json; ORACLE_DEVFACTORY_INTERVENTIONS_INVALID with file:line when broken. */
export async function parseInterventions(text: string, file: string): Promise<InterventionsFile> {
  let value: unknown
  try {
    value = parseJsonText(text, file)
  } catch (error) {
    if (!isOracleError(error)) throw error
    throw errorInterventionsInvalid(file, `not valid JSON: ${error.message.replace(`${file} is not valid JSON: `, '')}`, {
      ...(error.line === undefined ? {} : { line: error.line }),
      cause: error,
    })
  }
  const checked = checkValue<InterventionsFile>(InterventionsFileSchema, value, { file, inPlace: true })
  const problems = [...checked.problems]
  if (checked.ok) {
    const seen = new Set<string>()
    checked.value.records.forEach((r, i) => {
      if (seen.has(r.id)) problems.push({ message: `records[${i}].id ${r.id} appears twice`, path: `records[${i}].id`, pointer: `/records/${i}/id`, file, rule: 'unique_id' })
      seen.add(r.id)
      if (Number(r.id.slice(4)) > checked.value.lastId) {
        problems.push({ message: `records[${i}].id ${r.id} is above lastId ${checked.value.lastId}`, path: `records[${i}].id`, pointer: `/records/${i}/id`, file, rule: 'last_id' })
      }
    })
  }
  if (problems.length === 0) return checked.value
  const located = await locateProblems(problems, { file, text, kind: 'json' })
  const first = located[0]
  const detail = problems.length === 1 ? `${first?.path ? `${first.path}: ` : ''}${first?.message}` : `${problems.length} problems`
  throw errorInterventionsInvalid(file, detail, { ...(first?.line === undefined ? {} : { line: first.line }), problems: located })
}

/** OracleStats over the given records (types.ts documents each ratio). */
export function computeStats(records: readonly TrackedIntervention[]): OracleStats {
  const byClassification = Object.fromEntries(STUCK_CLASSIFICATIONS.map((c) => [c, 0])) as Record<StuckClassification, number>
  let resolved = 0
  let decided = 0
  let takeovers = 0
  const times: number[] = []
  for (const record of records) {
    byClassification[record.classification] += 1
    if (record.type === 'takeover') takeovers += 1
    if (record.outcome !== 'pending') decided += 1
    if (record.outcome === 'resolved') {
      resolved += 1
      if (record.resolutionTime !== undefined) times.push(record.resolutionTime)
    }
  }
  const total = records.length
  return {
    totalInterventions: total,
    successRate: decided === 0 ? 0 : resolved / decided,
    avgResolutionTime: times.length === 0 ? 0 : Math.round(times.reduce((a, b) => a + b, 0) / times.length),
    byClassification,
    takeoverRate: total === 0 ? 0 : takeovers / total,
  }
}
