// `oracle fleet gc [--product ID] [--keep N] [--dry-run]`: the retention rules of gc_runs, run
// from the command line over every product folder of the runs folder (or one).

import { readdir } from 'node:fs/promises'
import { type CommandContext, type CommandResult, ExitCode, compareCodeUnits, errorUsage, resolveInside, suggest } from '@oraclekit/kernel'
import { type GcPlan, applyGc, planGc } from '../gc/collect.js'
import type { FleetOpsOptions } from '../options.js'

interface Flags {
  product?: string
  keep?: number
  dryRun?: boolean
}

export interface ProductGc {
  product_id: string
  kept: number
  /** Workspace-relative folders deleted (or, with --dry-run, that would be). */
  deleted: string[]
  decisions: GcPlan['decisions']
  symlinks: string[]
}

export interface GcReport {
  dry_run: boolean
  keep: number
  runs_dir: string
  products: ProductGc[]
}

/** The product folders under the runs folder: real folders only, a symlink is not a product. */
async function productIds(runsAbs: string): Promise<string[]> {
  const entries = await readdir(runsAbs, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(compareCodeUnits)
}

export function formatGc(report: GcReport): string {
  if (report.products.length === 0) return `no product folders under ${report.runs_dir}`
  const verb = report.dry_run ? 'would delete' : 'deleted'
  const lines: string[] = []
  for (const product of report.products) {
    lines.push(`${product.product_id}: kept ${product.kept}, ${verb} ${product.deleted.length}`)
    const reasons = new Map(product.decisions.map((d) => [d.run_id, d.reason]))
    for (const path of product.deleted) lines.push(`  ${verb} ${path} (${reasons.get(path.slice(path.lastIndexOf('/') + 1)) ?? 'over_limit'})`)
    if (product.symlinks.length > 0) lines.push(`  left alone: ${product.symlinks.length} symlink(s): ${product.symlinks.join(', ')}`)
  }
  const total = report.products.reduce((n, p) => n + p.deleted.length, 0)
  lines.push(`${report.dry_run ? 'dry run: would delete' : 'deleted'} ${total} run(s) in ${report.products.length} product(s), keeping the newest ${report.keep} of each and the protected ones`)
  return lines.join('\n')
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as FleetOpsOptions
  const { product, keep = options.gc.keep, dryRun = false } = ctx.options
  if (!Number.isInteger(keep) || keep < 1) throw errorUsage(`--keep must be a whole number ≥ 1 (got ${keep})`)
  const rootDir = ctx.kernel.rootDir
  const runsAbs = resolveInside(rootDir, options.runsDir)
  const all = await productIds(runsAbs)
  if (product !== undefined && !all.includes(product)) {
    const near = suggest(product, all)
    throw errorUsage(`--product ${product}: no folder ${options.runsDir}/${product}`, near ? `Did you mean ${near}?` : `Products with runs: ${all.join(', ') || 'none'}.`)
  }
  const ids = product === undefined ? all : [product]
  const report: GcReport = { dry_run: dryRun, keep, runs_dir: options.runsDir, products: [] }
  for (const [i, productId] of ids.entries()) {
    ctx.ui.status(`gc ${i + 1}/${ids.length}: ${productId}`)
    const plan = await planGc({ rootDir, runsDir: options.runsDir, productId, keep })
    const outcome = await applyGc(plan, { rootDir, dryRun })
    const kept = plan.decisions.filter((d) => d.action === 'keep').length
    report.products.push({ product_id: productId, kept, deleted: outcome.deleted, decisions: plan.decisions, symlinks: plan.symlinks })
  }
  return { exitCode: ExitCode.ok, data: report, text: formatGc(report) }
}
