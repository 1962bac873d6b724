import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../services/clock.js'
import { hashJson } from '../services/hash.js'
import { writeJsonAtomic } from '../services/store.js'
import type { PreparedJob } from './prepare.js'
import type { Budget, RunResult } from './types.js'

/**
 * The default id of a new run: the clock's time to the millisecond and a hash of the jobs, with
 * `-2`, `-3`… when taken (two runs in one millisecond, or a pinned clock).
 */
export function defaultRunId(clock: Clock, jobs: readonly PreparedJob[], runsDir: string): string {
  const stamp = clock.iso().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '.$1Z')
  const base = `${stamp}-${hashJson(jobs.map((j) => [j.request.id, j.request.intent, j.inputHash])).slice(0, 8)}`
  let id = base
  for (let n = 2; existsSync(join(runsDir, id)); n++) id = `${base}-${n}`
  return id
}

/** run.json: the summary the dashboard and `status` commands read (outputs stay in the journal). */
export function summarize(result: RunResult, budget: Budget): Record<string, unknown> {
  const counts = { ok: 0, failed: 0, skipped: 0, stopped: 0 }
  for (const job of result.jobs) counts[job.status]++
  return { ...result, budget, counts, jobs: result.jobs.map(({ output: _output, ...job }) => job) }
}

export async function writeRunFile(runDir: string, value: Record<string, unknown>): Promise<void> {
  await writeJsonAtomic(join(runDir, 'run.json'), value)
}
