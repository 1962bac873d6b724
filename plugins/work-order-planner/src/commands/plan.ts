import { type CommandContext, type CommandResult, ExitCode, errorUsage, suggest } from '@oraclekit/kernel'
import type { PlannerOptions } from '../options.js'
import { type PlanResult, plan } from '../plan/plan.js'
import { SOURCES_POINT, type WorkOrderSource } from '../plan/sources.js'
import { safeIntents } from '../safe-intents.js'

interface Flags {
  budget?: number
  product?: string
  fromSchedules?: boolean
}

export function formatPlan(result: PlanResult, budget: number, due?: number): string {
  const from = due === undefined ? '' : ` (from schedules: ${due} due)`
  const lines = [`${result.work_orders.length} work order(s) of ${result.candidates} candidate(s)${from}, budget ${budget}`]
  result.work_orders.forEach((order, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${order.job_id}  priority ${order.priority}  ${order.inputs.reasons[0] ?? ''}`)
  })
  for (const held of result.held) lines.push(`  held: ${held.product_id} (${held.intents.join(', ')}): ${held.reason} [${held.source}]`)
  const capped = result.skipped.filter((s) => s.reason === 'product_cap').length
  if (result.skipped.length > 0) lines.push(`  not planned: ${result.skipped.length} (${result.skipped.length - capped} over the budget, ${capped} over a product cap)`)
  if (result.written.length > 0 || result.removed.length > 0) lines.push(`written: ${result.written.length}, removed: ${result.removed.length} (${result.work_orders.length > 0 ? 'nexus/work_orders' : 'no work orders'})`)
  else lines.push('unchanged: the work orders on disk are already this plan')
  return lines.join('\n')
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as PlannerOptions
  const { budget = options.budget.workOrders, product, fromSchedules = false } = ctx.options
  if (!Number.isInteger(budget) || budget < 0) throw errorUsage(`--budget must be a whole number ≥ 0 (got ${budget})`)
  if (product !== undefined && !options.products.some((p) => p.id === product)) {
    const near = suggest(product, options.products.map((p) => p.id))
    throw errorUsage(`--product ${product}: no such product in the config`, near ? `Did you mean ${near}?` : `Products: ${options.products.map((p) => p.id).join(', ') || 'none declared'}.`)
  }
  const now = ctx.kernel.clock.now()
  let due: Awaited<ReturnType<WorkOrderSource['due']>> | undefined
  if (fromSchedules) {
    const source = ctx.kernel.extensions<WorkOrderSource>(SOURCES_POINT).find((s) => s.value.name === 'schedules')?.value
    if (!source) throw errorUsage('--from-schedules: no plugin offers schedules', 'Add the fleet-ops plugin (@oraclekit/fleet-ops) to the config: it reads dash/schedules/<product>.json.')
    due = await source.due({ rootDir: ctx.kernel.rootDir, now, productIds: options.products.map((p) => p.id), dashDir: options.dashDir.replace(/\/+$/, '') })
  }
  const result = await plan({ rootDir: ctx.kernel.rootDir, options, now, budget, safe: safeIntents(ctx.kernel), ...(product ? { product } : {}), ...(due ? { due } : {}) })
  return { exitCode: ExitCode.ok, data: { ...result, ...(due ? { due } : {}) }, text: formatPlan(result, budget, due?.length) }
}
