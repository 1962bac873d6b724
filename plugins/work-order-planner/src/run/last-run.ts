// dash/runs/<product_id>/last_run.json: the product's latest job, and the latest job of each
// intent. It is folded from evidence files, so folding one twice changes nothing: a run killed
// between a job's evidence and this file catches up on the next `oracle run`.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stableStringify, writeFileAtomic } from '@oraclekit/kernel'
import { type Evidence, LastRun } from '../schema/artifacts.js'
import { readArtifact } from '../sources/dash.js'

/** `prev` with `evidence` folded in; newer wins, ties keep the later run id. */
export function foldEvidence(prev: LastRun | undefined, evidence: Evidence, evidencePath: string): LastRun {
  // Times are compared as instants: `…T13:30:00+02:00` is before `…T11:45:00Z`.
  const newer = (a: { finished_at: string; run_id: string }, b: { finished_at: string; run_id: string }) => {
    const diff = Date.parse(a.finished_at) - Date.parse(b.finished_at)
    return diff > 0 || (diff === 0 && a.run_id >= b.run_id)
  }
  const intents = { ...(prev?.intents ?? {}) }
  const current = intents[evidence.intent]
  if (!current || newer(evidence, current)) intents[evidence.intent] = { run_id: evidence.run_id, exit_status: evidence.exit_status, finished_at: evidence.finished_at }
  if (prev && !newer(evidence, prev)) return { ...prev, intents }
  return {
    schema_version: 1,
    product_id: evidence.product_id,
    run_id: evidence.run_id,
    job_id: evidence.job_id,
    intent: evidence.intent,
    exit_status: evidence.exit_status,
    exit_code: evidence.exit_code,
    started_at: evidence.started_at,
    finished_at: evidence.finished_at,
    duration_ms: evidence.duration_ms,
    evidence: evidencePath,
    intents,
  }
}

/** Folds one job's evidence into its product's last_run.json (atomically; only when it changes). */
export async function recordEvidence(rootDir: string, dashDir: string, evidence: Evidence): Promise<void> {
  const rel = `${dashDir}/runs/${evidence.product_id}/last_run.json`
  const prev = await readArtifact<LastRun>(rootDir, rel, LastRun)
  const next = stableStringify(foldEvidence(prev, evidence, `${dashDir}/runs/${evidence.product_id}/${evidence.run_id}/evidence.json`))
  const path = join(rootDir, rel)
  if ((await readFile(path, 'utf8').catch(() => undefined)) !== next) await writeFileAtomic(path, next)
}
