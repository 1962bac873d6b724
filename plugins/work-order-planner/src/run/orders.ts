// The work orders `oracle run` executes: every nexus/work_orders/*.json, checked against the
// schema and against the config before anything runs. An order for an intent that is not safe, a
// product that is gone, or a command the config no longer gives is refused with a coded error.

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ExitCode, OracleError, compareCodeUnits, isOracleError, sha256, stableStringify, suggest } from '@oraclekit/kernel'
import type { PlannerOptions, ProductConfig } from '../options.js'
import { commandArgv } from '../plan/command.js'
import { compareOrders } from '../plan/select.js'
import { BUILTIN_INTENTS, WorkOrder } from '../schema/artifacts.js'
import { readArtifact } from '../sources/dash.js'

export interface LoadedOrder {
  order: WorkOrder
  /** Workspace-relative path of the order. */
  file: string
  product: ProductConfig
  /** The argv to run: the config's command for a built-in intent; none for a plugin's intent. */
  argv: string[]
  sha256: string
}

function orderError(code: string, file: string, message: string, hint: string): OracleError {
  return new OracleError(code, `${file}: ${message}`, { file, exitCode: ExitCode.invalidInput, hint })
}

/** Reads and checks every order; `safe` maps each safe intent to its rank. Sorted as planned. */
export async function loadOrders(rootDir: string, options: PlannerOptions, safe: Readonly<Record<string, number>>): Promise<LoadedOrder[]> {
  const dir = options.workOrdersDir.replace(/\/+$/, '')
  const names = (await readdir(join(rootDir, dir)).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort(compareCodeUnits)
  const products = new Map(options.products.map((p) => [p.id, p]))
  const loaded: LoadedOrder[] = []
  for (const name of names) {
    const file = `${dir}/${name}`
    let order: WorkOrder | undefined
    try {
      order = await readArtifact<WorkOrder>(rootDir, file, WorkOrder)
    } catch (error) {
      if (!isOracleError(error)) throw error
      throw new OracleError('ORACLE_WORK_ORDER_INVALID', error.message, {
        file,
        ...(error.line === undefined ? {} : { line: error.line }),
        problems: error.problems,
        exitCode: ExitCode.invalidInput,
        hint: 'Work orders are written by `oracle plan`: plan again rather than edit them.',
      })
    }
    if (!order) continue
    if (name !== `${order.job_id}.json`) throw orderError('ORACLE_WORK_ORDER_INVALID', file, `job_id "${order.job_id}" does not match the file name`, 'Work orders are written by `oracle plan`: plan again rather than edit them.')
    if (!(order.intent in safe)) {
      throw orderError('ORACLE_INTENT_UNSAFE', file, `intent "${order.intent}" is not a safe intent; refused`, `oracle run executes only ${Object.keys(safe).sort(compareCodeUnits).join(', ')}. Code changes are never a work order.`)
    }
    const product = products.get(order.product_id)
    if (!product) {
      const near = suggest(order.product_id, [...products.keys()])
      throw orderError('ORACLE_WORK_ORDER_STALE', file, `product "${order.product_id}" is not declared in the config`, `${near ? `Did you mean "${near}"? ` : ''}Plan again: \`oracle plan\`.`)
    }
    let argv: string[] = []
    if ((BUILTIN_INTENTS as readonly string[]).includes(order.intent)) {
      const command = product.commands[order.intent as (typeof BUILTIN_INTENTS)[number]]
      if (!command) throw orderError('ORACLE_WORK_ORDER_STALE', file, `product "${product.id}" has no ${order.intent} command any more`, 'Plan again: `oracle plan`.')
      argv = commandArgv(command)
      // The config is the authority on what runs; an order planned from another command is stale.
      if (order.inputs.command && JSON.stringify(order.inputs.command) !== JSON.stringify(argv)) {
        throw orderError('ORACLE_WORK_ORDER_STALE', file, `its command (${order.inputs.command.join(' ')}) is not the config's ${order.intent} command of ${product.id} (${argv.join(' ')})`, 'Plan again: `oracle plan`.')
      }
    }
    loaded.push({ order, file, product, argv, sha256: sha256(stableStringify(order)) })
  }
  return loaded.sort((a, b) => compareOrders(a.order, b.order, safe))
}

/** The error for `--job ID` that names no order. */
export function jobNotFound(jobId: string, orders: readonly LoadedOrder[], dir: string): OracleError {
  const near = suggest(jobId, orders.map((o) => o.order.job_id))
  return new OracleError('ORACLE_JOB_NOT_FOUND', `No work order ${jobId} in ${dir}`, {
    exitCode: ExitCode.usage,
    hint: near ? `Did you mean ${near}?` : orders.length > 0 ? `The orders: ${orders.map((o) => o.order.job_id).join(', ')}.` : 'There are no work orders: run `oracle plan` first.',
  })
}
