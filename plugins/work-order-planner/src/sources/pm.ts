// PM facts: design dossiers (YAML front matter), the Pending rows of specs' traceability tables,
// and the roadmap's Now / Next / Later lanes. Files are read in code-unit order of their paths so
// the same workspace always gives the same facts; a file the planner cannot read is an error that
// names its line, never a silently partial fact.

import type { PmFacts } from '../types.js'
import { readDossiers } from './dossiers.js'
import { type Context } from './markdown.js'
import { readRoadmap } from './roadmap.js'
import { readSpecs } from './specs.js'

/** Where the PM artifacts live, relative to the workspace root (the plugin's `pm` option). */
export interface PmPaths {
  dossiersDir: string
  specsDir: string
  roadmap: string
}

/** Reads the dossiers, pending spec rows and roadmap lanes of the declared products. */
export async function readPmFacts(rootDir: string, pm: PmPaths, productIds: readonly string[]): Promise<PmFacts> {
  const ctx: Context = { rootDir, productIds, products: new Set(productIds) }
  const dossiers = await readDossiers(ctx, pm.dossiersDir)
  // specs and the roadmap may name a dossier instead of its product
  const byId = new Map(dossiers.map((dossier) => [dossier.dossier_id, dossier]))
  const pending = await readSpecs(ctx, pm.specsDir, byId)
  const roadmap = await readRoadmap(ctx, pm.roadmap, byId)
  return { dossiers, pending, roadmap }
}
