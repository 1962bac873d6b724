// Reads the Dash artifacts the planner decides from: per product, its kill switch
// (dash/kill_switch/<id>.json), its health (dash/health/<id>.json) and its last run
// (dash/runs/<id>/last_run.json). Each file is checked against its schema; a bad one stops the
// plan with a coded error naming it, and a file for a product the config does not declare too.

import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type TSchema, checkValue, compareCodeUnits, isOracleError, parseJsonText } from '@oraclekit/kernel'
import { artifactInvalid, unknownProduct } from '../errors.js'
import { Health, KillSwitch, LastRun } from '../schema/artifacts.js'
import type { DashFacts, SourceRef } from '../types.js'

/** Names in `dir` (only folders, with `folders`), sorted; none when it does not exist. */
async function names(dir: string, folders = false): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return []
    throw error
  })
  return entries
    .filter((entry) => !entry.name.startsWith('.') && (!folders || entry.isDirectory()))
    .map((entry) => entry.name)
    .sort(compareCodeUnits)
}

/**
 * Reads and checks one JSON artifact; undefined when it does not exist. Synchronous read: a plan
 * reads thousands of small files, and promise-based reads were ten times slower at that.
 */
export async function readArtifact<T>(rootDir: string, rel: string, schema: TSchema): Promise<T | undefined> {
  let text: string
  try {
    text = readFileSync(join(rootDir, rel), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw artifactInvalid(rel, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let value: unknown
  try {
    value = parseJsonText(text, rel)
  } catch (error) {
    if (!isOracleError(error)) throw error
    throw artifactInvalid(rel, error.message.replace(`${rel} is `, ''), error.line === undefined ? {} : { line: error.line })
  }
  const checked = checkValue<T>(schema, value, { inPlace: true })
  if (!checked.ok) {
    const first = checked.problems[0]
    throw artifactInvalid(rel, `${checked.problems.length} problem(s) against its schema${first ? `, first: ${first.path} ${first.message}` : ''}`, {
      problems: checked.problems.map((p) => ({ ...p, file: rel })),
    })
  }
  return checked.value
}

async function each<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (const item of items) out.push(await fn(item))
  return out
}

/** `<dir>/<product_id>.json` files, one per product. */
async function perProductFiles<T>(rootDir: string, dir: string, schema: TSchema, known: ReadonlySet<string>): Promise<Map<string, T & { source: SourceRef }>> {
  const files = (await names(join(rootDir, dir))).filter((name) => name.endsWith('.json'))
  const read = await each(files, async (name) => {
    const rel = `${dir}/${name}`
    const id = name.slice(0, -'.json'.length)
    if (!known.has(id)) throw unknownProduct(rel, id, [...known])
    const value = await readArtifact<T>(rootDir, rel, schema)
    return value === undefined ? undefined : ([id, { ...value, source: rel }] as const)
  })
  return new Map(read.filter((entry) => entry !== undefined))
}

/** Everything the planner reads from Dash, for the declared products. */
export async function readDashFacts(rootDir: string, dashDir: string, productIds: readonly string[]): Promise<DashFacts> {
  const known = new Set(productIds)
  const dash = dashDir.replace(/\/+$/, '')
  const [killSwitches, health, runDirs] = await Promise.all([
    perProductFiles<KillSwitch>(rootDir, `${dash}/kill_switch`, KillSwitch, known),
    perProductFiles<Health>(rootDir, `${dash}/health`, Health, known),
    names(join(rootDir, dash, 'runs'), true),
  ])
  const runs = await each(runDirs, async (id) => {
    const rel = `${dash}/runs/${id}/last_run.json`
    const value = await readArtifact<LastRun>(rootDir, rel, LastRun)
    if (value === undefined) return undefined
    if (!known.has(id)) throw unknownProduct(rel, id, [...known])
    if (value.product_id !== id) throw artifactInvalid(rel, `product_id is "${value.product_id}" but the file is in the folder of "${id}"`)
    return [id, { ...value, source: rel }] as const
  })
  return { killSwitches, health, lastRuns: new Map(runs.filter((entry) => entry !== undefined)) }
}
