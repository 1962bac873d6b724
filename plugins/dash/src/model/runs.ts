// Run history: every evidence.json under <runsDir>/<product>/<run>/, plus the runs last_run.json
// remembers whose folders are gone (cleaned by gc_runs). A run folder without evidence is a run
// in progress (or one that crashed before writing it).

import { compareCodeUnits } from '@oraclekit/kernel'
import type { ProductFacts } from './fleet.js'
import { asObj, corrupt, listDir, num, readJson, requireFields, runRecordFields, str } from './read.js'
import type { Problem, RunRow, RunsData } from './types.js'

/** The runs view lists this many of the newest runs; the API says how many there are in all. */
export const RUNS_SHOWN = 500

export async function readRuns(rootDir: string, runsDir: string, facts: readonly ProductFacts[]): Promise<RunsData> {
  const problems: Problem[] = []
  const perProduct = await Promise.all(facts.map((f) => productRuns(rootDir, `${runsDir}/${f.id}`, f, problems)))
  const rows = perProduct.flat().sort(newestFirst)
  return { total: rows.length, runs: rows.slice(0, RUNS_SHOWN), problems: problems.sort((a, b) => compareCodeUnits(a.file, b.file)) }
}

function newestFirst(a: RunRow, b: RunRow): number {
  return compareCodeUnits(b.finished_at ?? b.started_at ?? '', a.finished_at ?? a.started_at ?? '') || compareCodeUnits(a.product_id, b.product_id) || compareCodeUnits(a.run_id, b.run_id)
}

async function productRuns(rootDir: string, dir: string, facts: ProductFacts, problems: Problem[]): Promise<RunRow[]> {
  const folders = (await listDir(rootDir, dir)).filter((e) => e.dir)
  const rows = await Promise.all(folders.map((e) => runRow(rootDir, `${dir}/${e.name}`, e.name, facts.id, problems)))
  const seen = new Set(folders.map((e) => e.name))
  // Runs last_run.json names whose folders are gone: kept in the history without evidence.
  for (const [intent, latest] of Object.entries(facts.intents)) {
    if (seen.has(latest.run_id)) continue
    seen.add(latest.run_id)
    const top = facts.lastRun?.run_id === latest.run_id ? facts.lastRun : null
    rows.push({
      product_id: facts.id,
      run_id: latest.run_id,
      job_id: top?.job_id ?? null,
      intent,
      exit_status: latest.exit_status,
      started_at: top?.started_at ?? null,
      finished_at: latest.finished_at,
      duration_ms: top?.duration_ms ?? null,
      attempt: null,
      reason: null,
      evidence: null,
    })
  }
  return rows
}

async function runRow(rootDir: string, dir: string, runId: string, productId: string, problems: Problem[]): Promise<RunRow> {
  const file = `${dir}/evidence.json`
  const read = await readJson(rootDir, file)
  const base: RunRow = {
    product_id: productId,
    run_id: runId,
    job_id: null,
    intent: /^[^.]+\.([a-z][a-z0-9_]*)\.[0-9a-f]+$/.exec(runId)?.[1] ?? '?',
    exit_status: 'in_progress',
    started_at: null,
    finished_at: null,
    duration_ms: null,
    attempt: null,
    reason: null,
    evidence: null,
  }
  if (read.state === 'missing') return base
  if (read.state === 'corrupt') {
    problems.push(read.problem)
    return { ...base, exit_status: 'unreadable' }
  }
  const o = asObj(read.value)
  const problem = requireFields(o, file, 'an evidence.json', ['intent', 'exit_status'])
  if (problem) {
    problems.push(problem)
    return { ...base, exit_status: 'unreadable' }
  }
  if (str(o, 'run_id') !== null && str(o, 'run_id') !== runId) problems.push(corrupt(file, `its run_id "${str(o, 'run_id')}" is not its folder's name`))
  return {
    ...base,
    ...runRecordFields(o),
    attempt: num(o, 'attempt'),
    reason: str(o, 'reason'),
    evidence: file,
  }
}
