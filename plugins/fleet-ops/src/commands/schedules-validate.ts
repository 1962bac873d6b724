// `oracle fleet schedules validate`: writes the schedule JSON Schema into the workspace (for
// editors), checks every schedule file and lists each entry with its last and next slot; or fails
// with every problem of every file.

import { readFile } from 'node:fs/promises'
import { type CommandContext, type CommandResult, ExitCode, resolveInside, stableStringify, toJsonSchemaDocument, writeFileAtomic } from '@oraclekit/kernel'
import type { FleetOpsOptions } from '../options.js'
import { describeCadence, lastOccurrence, nextOccurrence } from '../schedules/cadence.js'
import { loadSchedules, schedulesInvalid } from '../schedules/load.js'
import { Schedule } from '../schedules/schema.js'

const PLANNER = 'oracle:work-order-planner'

/** The products the planner declares; undefined when it is not in the config. */
function declaredProducts(ctx: CommandContext): string[] | undefined {
  const planner = ctx.kernel.plugins.find((p) => p.name === PLANNER)
  if (!planner) return undefined
  const products = (planner.options as { products?: Array<{ id?: unknown }> } | undefined)?.products ?? []
  return products.map((p) => p.id).filter((id): id is string => typeof id === 'string')
}

/** Writes the schema when its bytes differ; true when it wrote. */
async function writeSchema(rootDir: string, file: string): Promise<boolean> {
  const path = resolveInside(rootDir, file)
  const text = stableStringify(toJsonSchemaDocument(Schedule))
  const current = await readFile(path, 'utf8').catch(() => undefined)
  if (current === text) return false
  await writeFileAtomic(path, text)
  return true
}

const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString())

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const options = ctx.pluginOptions as FleetOpsOptions
  const rootDir = ctx.kernel.rootDir
  const productIds = declaredProducts(ctx)
  const written = await writeSchema(rootDir, options.scheduleSchemaFile)
  const { schedules, problems } = await loadSchedules(rootDir, options.schedulesDir, productIds)
  if (problems.length > 0) throw schedulesInvalid(problems)

  const now = ctx.kernel.clock.now()
  const files = schedules.map((schedule) => ({
    file: schedule.file,
    product_id: schedule.product_id,
    timezone: schedule.timezone,
    entries: schedule.entries.map((entry) => ({
      intent: entry.intent,
      cadence: entry.cadence,
      description: describeCadence(entry, schedule.timezone),
      last: iso(lastOccurrence(entry, schedule.timezone, now)),
      next: iso(nextOccurrence(entry, schedule.timezone, now)),
    })),
  }))
  const entries = files.reduce((n, f) => n + f.entries.length, 0)

  const lines = [files.length === 0 ? `no schedule files in ${options.schedulesDir}` : `${files.length} schedule file(s), ${entries} entr${entries === 1 ? 'y' : 'ies'}: valid`]
  for (const file of files) {
    lines.push(`${file.file} (${file.product_id}, ${file.timezone})`)
    const width = Math.max(...file.entries.map((e) => e.intent.length))
    for (const entry of file.entries) {
      lines.push(`  ${entry.intent.padEnd(width)}  ${entry.description}; last ${entry.last ?? 'none'}, next ${entry.next ?? 'none'}`)
    }
  }
  if (productIds === undefined) lines.push('product ids not checked: the work-order-planner plugin is not in the config')
  lines.push(`schema: ${options.scheduleSchemaFile} (${written ? 'written' : 'unchanged'})`)

  return {
    exitCode: ExitCode.ok,
    data: { files, entries, problems: [], schema: { file: options.scheduleSchemaFile, written }, products_checked: productIds !== undefined },
    text: lines.join('\n'),
  }
}
