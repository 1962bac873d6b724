// What both commands need from the kernel: where the artifacts are and which products the config
// declares, and (for the server) the folders to watch.

import type { DashOptions } from '../options.js'
import type { ModelSource } from '../model/model.js'
import type { DashModel } from '../model/types.js'
import { type KernelView, type ResolvedPaths, declaredProducts, resolvePaths } from '../paths.js'

export function modelSource(kernel: KernelView, options: DashOptions): Omit<ModelSource, 'now'> {
  return { rootDir: kernel.rootDir, paths: resolvePaths(kernel, options.paths), declared: declaredProducts(kernel) }
}

/** The folders and files whose changes the server follows. */
export function watchedRoots(paths: ResolvedPaths): string[] {
  return [
    paths.dashDir,
    paths.runsDir,
    paths.schedulesDir,
    paths.driftDir,
    paths.healDir,
    paths.scienceIndex,
    paths.workOrdersDir,
    paths.packRunsDir,
    paths.orchestratorPlan,
    paths.orchestratorRunsDir,
    `${paths.devfactoryDir}/beast`,
    `${paths.devfactoryDir}/oracle`,
  ]
}

/** How many problems the views show, of each kind (for the commands' summaries). */
export function countProblems(model: DashModel): { corrupt: number; missing: number } {
  const all = [
    ...Object.values(model).flatMap((view) => view.problems),
    ...model.overview.products.flatMap((p) => p.problems),
    ...model.packs.runs.flatMap((r) => r.problems),
  ]
  return { corrupt: all.filter((p) => p.kind === 'corrupt').length, missing: all.filter((p) => p.kind === 'missing').length }
}
