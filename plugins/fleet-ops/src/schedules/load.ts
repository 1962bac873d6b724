// Reads every schedule file (<schedulesDir>/<product_id>.json) and reports every problem of every
// file at once, each with its file, JSON path and line: broken JSON, schema problems, a product
// that is not declared or not the file's, an unknown timezone, an entry written twice.

import { readFile, readdir } from 'node:fs/promises'
import {
  ExitCode,
  OracleError,
  type Problem,
  type TSchema,
  checkValue,
  compareCodeUnits,
  isOracleError,
  locateProblems,
  parseJsonText,
  resolveInside,
  suggest,
} from '@oraclekit/kernel'
import { isTimeZone } from './cadence.js'
import { DEFAULT_TIMEZONE, ENTRY_SCHEMAS, EntryIntent, type ScheduleEntry, ScheduleOutline } from './schema.js'

/** What kind of problem a schedule file has. */
export type ScheduleProblemCode = 'unreadable' | 'file_name' | 'not_json' | 'schema' | 'product_unknown' | 'product_mismatch' | 'timezone_unknown' | 'duplicate_entry'

/** One problem of one schedule file. */
export interface ScheduleProblem {
  /** Workspace-relative, e.g. `dash/schedules/web-app.json`. */
  file: string
  /** Where in the file, as the kernel writes paths: `entries[2].day`, `(root)` for the whole file. */
  path: string
  line?: number
  message: string
  code: ScheduleProblemCode
  hint?: string
}

/** A schedule file without problems, its timezone filled in. */
export interface LoadedSchedule {
  /** Workspace-relative path of the file. */
  file: string
  product_id: string
  /** IANA name; UTC when the file gives none. */
  timezone: string
  entries: ScheduleEntry[]
}

export interface LoadedSchedules {
  /** The files without problems, in file-name order. */
  schedules: LoadedSchedule[]
  /** Every problem of every file, in file-name order. */
  problems: ScheduleProblem[]
}

const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}\.json$/

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A problem at a JSON pointer of the file (its line is looked up later), or about the whole file. */
function at(pointer: string | undefined, path: string, message: string, code: ScheduleProblemCode, hint?: string): Problem {
  return { message, path, ...(pointer === undefined ? {} : { pointer }), rule: code, ...(hint === undefined ? {} : { hint }) }
}

function semanticProblems(value: Record<string, unknown>, stem: string, productIds: readonly string[] | undefined): Problem[] {
  const problems: Problem[] = []
  const productId = value.product_id
  if (typeof productId === 'string') {
    if (productIds !== undefined && !productIds.includes(productId)) {
      const near = suggest(productId, productIds)
      problems.push(
        at('/product_id', 'product_id', `product "${productId}" is not declared in the config`, 'product_unknown', near ? `Did you mean "${near}"?` : `Declared products: ${productIds.join(', ') || 'none'} (the work-order-planner plugin's \`products\`).`),
      )
    }
    if (productId !== stem) {
      problems.push(at('/product_id', 'product_id', `product_id is "${productId}" but the file is named ${stem}.json`, 'product_mismatch', `Rename the file to ${productId}.json, or set product_id to "${stem}".`))
    }
  }
  const timezone = value.timezone
  if (typeof timezone === 'string' && timezone !== '' && !isTimeZone(timezone)) {
    const near = suggest(timezone, Intl.supportedValuesOf('timeZone'))
    problems.push(at('/timezone', 'timezone', `unknown time zone "${timezone}"`, 'timezone_unknown', near ? `Did you mean "${near}"?` : 'Use an IANA name such as "UTC", "Europe/Berlin" or "America/New_York".'))
  }
  const seen = new Map<string, number>()
  const entries = Array.isArray(value.entries) ? value.entries : []
  entries.forEach((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry.intent !== 'string' || typeof entry.cadence !== 'string') return
    const key = `${entry.intent}\u0000${entry.cadence}`
    const first = seen.get(key)
    if (first === undefined) seen.set(key, i)
    else problems.push(at(`/entries/${i}`, `entries[${i}]`, `intent "${entry.intent}" is scheduled ${entry.cadence} twice (also entries[${first}])`, 'duplicate_entry', 'Keep one entry per intent and cadence.'))
  })
  return problems
}

/** The schema problems of a parsed file: its outline, then each entry against its cadence's branch. */
function schemaProblems(value: unknown, file: string): Problem[] {
  const problems = checkValue(ScheduleOutline, value, { file }).problems
  const entries = isRecord(value) && Array.isArray(value.entries) ? value.entries : []
  entries.forEach((entry: unknown, i) => {
    if (!isRecord(entry)) return
    const cadence = entry.cadence
    const schema: TSchema = typeof cadence === 'string' && Object.hasOwn(ENTRY_SCHEMAS, cadence) ? ENTRY_SCHEMAS[cadence as keyof typeof ENTRY_SCHEMAS] : EntryIntent
    problems.push(...checkValue(schema, entry, { file, at: ['entries', i] }).problems)
  })
  // One problem a place: a literal reports both its type and its value (`1` vs `"1"`).
  const kept = new Map<string | undefined, Problem>()
  for (const problem of problems) if (!kept.has(problem.pointer)) kept.set(problem.pointer, { ...problem, rule: 'schema' })
  return [...kept.values()]
}

async function checkFile(file: string, name: string, text: string, productIds: readonly string[] | undefined): Promise<{ schedule?: LoadedSchedule; problems: ScheduleProblem[] }> {
  const problems: Problem[] = []
  if (!FILE_NAME.test(name)) {
    problems.push(at(undefined, '(root)', 'not a schedule file name: schedules are named <product_id>.json', 'file_name', 'Rename it to the id of the product it schedules, e.g. web-app.json, or move it out of the folder.'))
    if (!name.endsWith('.json')) return { problems: problems.map((p) => toScheduleProblem(p, file)) }
  }
  let value: unknown
  try {
    value = parseJsonText(text, file)
  } catch (error) {
    if (!isOracleError(error)) throw error
    problems.push({ ...at(undefined, '(root)', error.message.replace(`${file} is `, ''), 'not_json'), ...(error.line === undefined ? {} : { line: error.line }) })
    return { problems: problems.map((p) => toScheduleProblem(p, file)) }
  }
  problems.push(...schemaProblems(value, file))
  if (isRecord(value)) problems.push(...semanticProblems(value, name.slice(0, -'.json'.length), productIds))
  const located = await locateProblems(problems, { file, text, kind: 'json' })
  if (located.length > 0 || !isRecord(value)) return { problems: located.map((p) => toScheduleProblem(p, file)) }
  const schedule = value as { product_id: string; timezone?: string; entries: ScheduleEntry[] }
  return { schedule: { file, product_id: schedule.product_id, timezone: schedule.timezone ?? DEFAULT_TIMEZONE, entries: schedule.entries }, problems: [] }
}

function toScheduleProblem(problem: Problem, file: string): ScheduleProblem {
  return {
    file,
    path: problem.path ?? '(root)',
    ...(problem.line === undefined ? {} : { line: problem.line }),
    message: problem.message,
    code: (problem.rule ?? 'schema') as ScheduleProblemCode,
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  }
}

/**
 * Reads and checks every file in `schedulesDir` (workspace-relative); none when it does not
 * exist. `productIds` undefined: product ids are not checked against a config.
 */
export async function loadSchedules(rootDir: string, schedulesDir: string, productIds: readonly string[] | undefined): Promise<LoadedSchedules> {
  const dir = schedulesDir.replace(/\/+$/, '')
  const absolute = resolveInside(rootDir, dir)
  const entries = await readdir(absolute, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return []
    throw error
  })
  const schedules: LoadedSchedule[] = []
  const problems: ScheduleProblem[] = []
  for (const entry of entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => compareCodeUnits(a.name, b.name))) {
    const file = `${dir}/${entry.name}`
    if (entry.isDirectory()) {
      problems.push({ file, path: '(root)', message: 'a folder among the schedule files', code: 'file_name', hint: 'Only <product_id>.json files belong here; move it out.' })
      continue
    }
    let text: string
    try {
      text = await readFile(`${absolute}/${entry.name}`, 'utf8')
    } catch (error) {
      problems.push({ file, path: '(root)', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, code: 'unreadable' })
      continue
    }
    const checked = await checkFile(file, entry.name, text, productIds)
    problems.push(...checked.problems)
    if (checked.schedule) schedules.push(checked.schedule)
  }
  return { schedules, problems }
}

/** The coded error for schedule problems: every problem listed, the first file as its location. */
export function schedulesInvalid(problems: readonly ScheduleProblem[]): OracleError {
  const files = [...new Set(problems.map((p) => p.file))]
  const first = problems[0]
  return new OracleError('ORACLE_SCHEDULE_INVALID', `${problems.length} problem(s) in ${files.length} schedule file(s)`, {
    exitCode: ExitCode.invalidInput,
    ...(first ? { file: first.file } : {}),
    ...(first?.line === undefined ? {} : { line: first.line }),
    problems: problems.map((p) => ({
      file: p.file,
      path: p.path,
      message: p.message,
      rule: p.code,
      severity: 'error' as const,
      ...(p.line === undefined ? {} : { line: p.line }),
      ...(p.hint === undefined ? {} : { hint: p.hint }),
    })),
    hint: 'Fix every problem listed: each file is <product_id>.json with schema_version 1, product_id, an optional IANA timezone and entries. `oracle fleet schedules validate` checks them all and writes the JSON Schema for editors.',
  })
}

/** loadSchedules, throwing ORACLE_SCHEDULE_INVALID (exit 3) when any file has a problem. */
export async function assertSchedules(rootDir: string, schedulesDir: string, productIds: readonly string[] | undefined): Promise<LoadedSchedule[]> {
  const { schedules, problems } = await loadSchedules(rootDir, schedulesDir, productIds)
  if (problems.length > 0) throw schedulesInvalid(problems)
  return schedules
}
