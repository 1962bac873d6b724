// `oracle fleet science [--json]`: writes the Science Lane index (and its JSON Schema) for Dash.
// The dossiers come from the work-order-planner plugin through its extension point; a file is
// rewritten only when its bytes change, so a rerun on the same inputs touches nothing.

import { readFile } from 'node:fs/promises'
import { type CommandContext, type CommandResult, ExitCode, errorUsage, resolveInside, stableStringify, toJsonSchemaDocument, writeFileAtomic } from '@oraclekit/kernel'
import type { FleetOpsOptions } from '../options.js'
import { buildScienceIndex, readScienceInputs, scienceIndexText } from '../science/build.js'
import { type DossierLike, ScienceIndex } from '../science/schema.js'

/** What the planner offers at 'work-order-planner.pm-facts' (a structural contract). */
export interface PmFactsExtension {
  read(rootDir: string): Promise<{ dossiers: DossierLike[] }>
  productIds: string[]
}

export const PM_FACTS_POINT = 'work-order-planner.pm-facts'
export const SCIENCE_SCHEMA_FILE = 'dash/schemas/science_index.schema.json'

/** Writes `text` to the workspace file `rel` unless it already holds exactly that; true when written. */
async function writeIfChanged(rootDir: string, rel: string, text: string): Promise<boolean> {
  const path = resolveInside(rootDir, rel)
  const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (current === text) return false
  await writeFileAtomic(path, text)
  return true
}

/** Proofs of one dossier by status. */
function proofCounts(dossier: ScienceIndex['dossiers'][number]): ScienceIndex['summary']['proofs'] {
  const counts = { pass: 0, pending: 0, fail: 0 }
  for (const proof of dossier.proofs) counts[proof.status] += 1
  return counts
}

export function formatScience(index: ScienceIndex, file: string, written: boolean): string {
  const { proofs } = index.summary
  const lines = [`${index.summary.dossiers} dossier(s), proofs: ${proofs.pass} pass, ${proofs.pending} pending, ${proofs.fail} fail`]
  const width = Math.max(0, ...index.dossiers.map((d) => d.lane_status.length))
  for (const dossier of index.dossiers) {
    const count = proofCounts(dossier)
    lines.push(`  ${dossier.lane_status.padEnd(width)}  ${dossier.dossier_id}  (${count.pass}/${dossier.proofs.length} pass, ${count.pending} pending, ${count.fail} fail)`)
  }
  for (const product of index.products) {
    for (const heal of product.heal.filter((h) => h.rearm !== null)) lines.push(`  heal stopped: ${product.product_id} ${heal.intent} (${heal.rearm})`)
  }
  lines.push(written ? `written: ${file}` : `unchanged: ${file}`)
  return lines.join('\n')
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const options = ctx.pluginOptions as FleetOpsOptions
  const pm = ctx.kernel.extensions<PmFactsExtension>(PM_FACTS_POINT)[0]?.value
  if (!pm) throw errorUsage('the Science Lane index needs the work-order-planner plugin (it reads the dossiers)', 'Add the work-order-planner plugin to oracle.config.ts, alongside fleet-ops.')
  const rootDir = ctx.kernel.rootDir
  const [{ dossiers }, { lastRuns, heal }] = await Promise.all([
    pm.read(rootDir),
    readScienceInputs(rootDir, { runsDir: options.runsDir, healDir: options.heal.stateDir, productIds: pm.productIds }),
  ])
  const index = buildScienceIndex({ dossiers, lastRuns, heal, productIds: pm.productIds, runsDir: options.runsDir })
  // the schema first: a reader that finds the new index also finds the schema it follows
  const schemaWritten = await writeIfChanged(rootDir, SCIENCE_SCHEMA_FILE, stableStringify(toJsonSchemaDocument(ScienceIndex)))
  const written = await writeIfChanged(rootDir, options.scienceIndex, scienceIndexText(index))
  const lanes = index.dossiers.map((d) => ({ dossier_id: d.dossier_id, product_id: d.product_id, lane_status: d.lane_status, proofs: proofCounts(d) }))
  return {
    exitCode: ExitCode.ok,
    data: { file: options.scienceIndex, written, schema_file: SCIENCE_SCHEMA_FILE, schema_written: schemaWritten, summary: index.summary, lanes },
    text: formatScience(index, options.scienceIndex, written),
  }
}
