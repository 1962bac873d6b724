// Where each artifact lives: the dash's `paths` option, else the owning plugin's own option (read
// from the kernel's loaded plugins by name, a structural contract like fleet-ops' use of the
// planner's products), else that plugin's default. Also the fleet's declared product ids.

import type { Kernel } from '@oraclekit/kernel'
import type { DashPaths } from './options.js'

export type ResolvedPaths = Required<DashPaths>

type Obj = Record<string, unknown>
const asObj = (value: unknown): Obj => (typeof value === 'object' && value !== null ? (value as Obj) : {})
const pick = (o: Obj, key: string): string | undefined => (typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined)

/** A stand-in for the parts of the kernel the dash reads: tests and the benchmark build one. */
export type KernelView = Pick<Kernel, 'rootDir' | 'plugins' | 'extensions'>

function pluginOptions(kernel: KernelView, name: string): Obj {
  return asObj(kernel.plugins.find((p) => p.name === name)?.options)
}

export function resolvePaths(kernel: KernelView, own: DashPaths = {}): ResolvedPaths {
  const planner = pluginOptions(kernel, 'oracle:work-order-planner')
  const fleet = pluginOptions(kernel, 'oracle:fleet-ops')
  const pack = pluginOptions(kernel, 'oracle:oraclepack-runner')
  const actionizer = pluginOptions(kernel, 'oracle:actionizer')
  const orchestrator = pluginOptions(kernel, 'oracle:orchestrator')
  const devfactory = pluginOptions(kernel, 'oracle:devfactory-oracle')
  const dashDir = own.dashDir ?? pick(planner, 'dashDir') ?? 'dash'
  return {
    dashDir,
    runsDir: own.runsDir ?? pick(fleet, 'runsDir') ?? `${dashDir}/runs`,
    schedulesDir: own.schedulesDir ?? pick(fleet, 'schedulesDir') ?? 'dash/schedules',
    driftDir: own.driftDir ?? pick(fleet, 'driftDir') ?? 'dash/drift',
    healDir: own.healDir ?? pick(asObj(fleet.heal), 'stateDir') ?? 'dash/heal',
    scienceIndex: own.scienceIndex ?? pick(fleet, 'scienceIndex') ?? 'dash/science_index.json',
    workOrdersDir: own.workOrdersDir ?? pick(planner, 'workOrdersDir') ?? 'nexus/work_orders',
    packRunsDir: own.packRunsDir ?? pick(pack, 'runsDir') ?? pick(actionizer, 'runsDir') ?? '.oraclepack/runs',
    orchestratorPlan: own.orchestratorPlan ?? pick(orchestrator, 'file') ?? 'orchestrator.yml',
    orchestratorRunsDir: own.orchestratorRunsDir ?? '.codex/runs',
    devfactoryDir: own.devfactoryDir ?? pick(devfactory, 'dir') ?? '.devfactory',
  }
}

/**
 * The products the config declares: the planner's `work-order-planner.pm-facts` extension (the
 * contract fleet-ops uses too), else the planner's options. Undefined without a planner.
 */
export function declaredProducts(kernel: KernelView): string[] | undefined {
  const facts = kernel.extensions<{ productIds?: unknown }>('work-order-planner.pm-facts')[0]?.value
  if (Array.isArray(facts?.productIds)) return facts.productIds.filter((id): id is string => typeof id === 'string')
  const products = pluginOptions(kernel, 'oracle:work-order-planner').products
  if (!Array.isArray(products)) return undefined
  return products.map((p) => pick(asObj(p), 'id')).filter((id): id is string => id !== undefined)
}
