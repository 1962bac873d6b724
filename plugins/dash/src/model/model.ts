// One pass over the workspace builds every view. Pure in its inputs (the files, the paths, the
// declared products and `now`): the same inputs give the same model, so the static build is
// byte-identical and the server can tell a real change from a touched file.

import { basename } from 'node:path'
import type { ResolvedPaths } from '../paths.js'
import { readDevfactory } from './devfactory.js'
import { productIds, readProduct } from './fleet.js'
import { readOrchestrator } from './orchestrator.js'
import { overviewOf, schedulesOf } from './overview.js'
import { readPacks } from './packs.js'
import { missing } from './read.js'
import { readRuns } from './runs.js'
import { readScience } from './science.js'
import type { DashModel, Problem, ViewEnvelope, ViewName } from './types.js'
import { readWorkOrders } from './work-orders.js'

export interface ModelSource {
  rootDir: string
  paths: ResolvedPaths
  /** Product ids the config declares; undefined without the planner. */
  declared: readonly string[] | undefined
  /** The kernel clock's now, in ms. */
  now: number
}

export async function buildModel(source: ModelSource): Promise<DashModel> {
  const { rootDir, paths, declared, now } = source
  const ids = await productIds(rootDir, paths, declared)
  const known = new Set(declared ?? [])
  const facts = await Promise.all(ids.map((id) => readProduct(rootDir, paths, id, declared === undefined || known.has(id), now)))
  const fleetProblems: Problem[] = ids.length === 0 ? [missing(paths.dashDir, 'No products: declare them in the work-order-planner options; the dash also lists every product its Dash files name.')] : []
  const [runs, workOrders, packs, orchestrator, devfactory, science] = await Promise.all([
    readRuns(rootDir, paths.runsDir, facts),
    readWorkOrders(rootDir, paths.workOrdersDir, paths.runsDir),
    readPacks(rootDir, paths.packRunsDir),
    readOrchestrator(rootDir, paths.orchestratorPlan, paths.orchestratorRunsDir),
    readDevfactory(rootDir, paths.devfactoryDir),
    readScience(rootDir, paths.scienceIndex),
  ])
  if (workOrders.orders.length === 0 && workOrders.problems.length === 0) workOrders.problems.push(missing(paths.workOrdersDir, 'No work orders: `oracle plan` writes them here.'))
  return {
    overview: overviewOf(facts, fleetProblems),
    runs,
    'work-orders': workOrders,
    schedules: schedulesOf(facts, []),
    packs,
    orchestrator,
    devfactory,
    science,
  }
}

export interface EnvelopeMeta {
  version: number
  now: number
  rootDir: string
}

export function envelope<V extends ViewName>(model: DashModel, view: V, meta: EnvelopeMeta): ViewEnvelope<DashModel[V]> {
  return { view, version: meta.version, now: new Date(meta.now).toISOString(), workspace: basename(meta.rootDir), data: model[view] }
}
