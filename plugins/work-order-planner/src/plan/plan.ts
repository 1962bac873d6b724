// `oracle plan`: read the facts, rank the candidates, keep the best N, and replace the work
// orders on disk with them. Reading is all-or-nothing: a bad artifact stops the plan before
// anything is written.

import { readFile, readdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { acquireRunLock, compareCodeUnits, stableStringify, toJsonSchemaDocument, writeFileAtomic } from '@oraclekit/kernel'
import type { PlannerOptions, ProductConfig } from '../options.js'
import { WorkOrder } from '../schema/artifacts.js'
import { readDashFacts } from '../sources/dash.js'
import { readPmFacts } from '../sources/pm.js'
import { type DueJob, type Held, candidatesFor } from './candidates.js'
import { type Skipped, selectOrders } from './select.js'

export interface PlanRequest {
  rootDir: string
  options: PlannerOptions
  now: number
  budget: number
  product?: string
  /** plan --from-schedules: the jobs a source says are due; only those are candidates. */
  due?: readonly DueJob[]
  /** Safe intents → rank (built-ins and those plugins offer). */
  safe?: Readonly<Record<string, number>>
}

export interface PlanResult {
  work_orders: WorkOrder[]
  held: Held[]
  skipped: Skipped[]
  candidates: number
  /** Workspace-relative paths written and removed. */
  written: string[]
  removed: string[]
}

/** The lock `oracle plan` and `oracle run` share: one of them at a time touches the work orders. */
export function lockDir(rootDir: string, options: PlannerOptions): string {
  return join(rootDir, dirname(options.workOrdersDir), '.oracle-run')
}

/** Writes only when the bytes differ: a re-plan on the same inputs touches nothing. */
async function writeIfChanged(path: string, text: string): Promise<boolean> {
  const old = await readFile(path, 'utf8').catch(() => undefined)
  if (old === text) return false
  await writeFileAtomic(path, text)
  return true
}

export async function computePlan(request: PlanRequest): Promise<Omit<PlanResult, 'written' | 'removed'>> {
  const { rootDir, options } = request
  const products: ProductConfig[] = request.product ? options.products.filter((p) => p.id === request.product) : options.products
  const ids = options.products.map((p) => p.id)
  const [dash, pm] = await Promise.all([readDashFacts(rootDir, options.dashDir, ids), readPmFacts(rootDir, options.pm, ids)])
  const { candidates, held } = candidatesFor(
    {
    products,
    dash,
    pm,
    now: request.now,
    reportMaxAgeHours: options.reportMaxAgeHours,
    perProduct: options.budget.perProduct,
    jobTimeMs: options.budget.jobTimeMs,
    dashDir: options.dashDir.replace(/\/+$/, ''),
    },
    request.due,
    request.safe,
  )
  const { selected, skipped } = selectOrders(candidates, request.budget, request.safe)
  return { work_orders: selected, held, skipped, candidates: candidates.length }
}

export async function plan(request: PlanRequest): Promise<PlanResult> {
  const computed = await computePlan(request)
  const { rootDir, options } = request
  const lock = acquireRunLock(lockDir(rootDir, options), `of the work orders in ${options.workOrdersDir}`)
  try {
    const written: string[] = []
    const schemaText = stableStringify(toJsonSchemaDocument(WorkOrder))
    if (await writeIfChanged(join(rootDir, options.schemaFile), schemaText)) written.push(options.schemaFile)
    const keep = new Set<string>()
    for (const order of computed.work_orders) {
      const rel = `${options.workOrdersDir}/${order.job_id}.json`
      keep.add(`${order.job_id}.json`)
      if (await writeIfChanged(join(rootDir, rel), stableStringify(order))) written.push(rel)
    }
    // The previous plan's orders that are not in this one go: `oracle run` runs what is there.
    const existing = await readdir(join(rootDir, options.workOrdersDir)).catch(() => [] as string[])
    const removed: string[] = []
    for (const name of existing.sort(compareCodeUnits)) {
      if (!name.endsWith('.json') || name.startsWith('.') || keep.has(name)) continue
      await rm(join(rootDir, options.workOrdersDir, name), { force: true })
      removed.push(`${options.workOrdersDir}/${name}`)
    }
    return { ...computed, written, removed }
  } finally {
    lock.release()
  }
}
