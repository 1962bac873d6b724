// The Science Lane: dash/science_index.json (schemas/science_index.schema.json), written by
// `oracle fleet science`. Each dossier: hypothesis → acceptance proofs → the runs that back them,
// and a lane status (proven, in_progress, failing, not_started).

import { type Obj, asObj, corrupt, missing, num, readJson, str, strs } from './read.js'
import type { DossierCard, Problem, ScienceData } from './types.js'


function proof(o: Obj | undefined): DossierCard['proofs'][number] {
  const run = asObj(o?.run)
  const runId = str(run, 'run_id')
  return {
    text: str(o, 'text') ?? '',
    status: str(o, 'status') ?? 'pending',
    evidence: strs(o, 'evidence'),
    run: runId === null ? null : { run_id: runId, exit_status: str(run, 'exit_status') ?? '?', finished_at: str(run, 'finished_at') ?? '' },
  }
}

export async function readScience(rootDir: string, file: string): Promise<ScienceData> {
  const problems: Problem[] = []
  const read = await readJson(rootDir, file)
  const index = read.state === 'ok' ? asObj(read.value) : undefined
  if (read.state === 'missing') problems.push(missing(file, 'No Science Lane index yet: `oracle fleet science` writes it from the dossiers and the run evidence.'))
  if (read.state === 'corrupt') problems.push(read.problem)
  if (read.state === 'ok' && (!index || !Array.isArray(index.dossiers))) problems.push(corrupt(file, 'not a Science Lane index: "dossiers" is not a list'))
  if (index && num(index, 'schema_version') !== 1) problems.push(corrupt(file, `schema_version ${JSON.stringify(index.schema_version)} is not 1; shown as far as it could be read`))

  const dossiers: DossierCard[] = []
  const list = Array.isArray(index?.dossiers) ? (index.dossiers as unknown[]) : []
  list.forEach((value, i) => {
    const d = asObj(value)
    const id = str(d, 'dossier_id')
    if (id === null) return problems.push(corrupt(file, `dossiers[${i}] has no dossier_id`))
    const h = asObj(d?.hypothesis)
    dossiers.push({
      dossier_id: id,
      product_id: str(d, 'product_id') ?? '?',
      title: str(d, 'title'),
      owner: str(d, 'owner'),
      status: str(d, 'status') ?? '?',
      lane_status: str(d, 'lane_status') ?? 'unknown',
      source: str(d, 'source'),
      hypothesis: { problem: str(h, 'problem'), claim: str(h, 'claim'), falsification: str(h, 'falsification') },
      proofs: (Array.isArray(d?.proofs) ? (d.proofs as unknown[]) : []).map((p) => proof(asObj(p))),
    })
  })
  const count = (status: string) => dossiers.reduce((n, d) => n + d.proofs.filter((p) => p.status === status).length, 0)
  const byLane: Record<string, number> = {}
  for (const d of dossiers) byLane[d.lane_status] = (byLane[d.lane_status] ?? 0) + 1
  return { file, summary: { dossiers: dossiers.length, pass: count('pass'), pending: count('pending'), fail: count('fail'), by_lane: byLane }, dossiers, problems }
}
