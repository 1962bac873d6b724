// run.json and steps.json: the run's manifest. Both are rewritten whole, atomically (temp file,
// fsync, rename), so a run killed at any instant leaves the previous or the next version, never a
// torn one. Keys are sorted; only timestamps differ between two runs of the same inputs.

import { join } from 'node:path'
import { ExitCode, OracleError, isOracleError, readJsonFile, stableStringify, writeFileAtomic } from '@oraclekit/kernel'

export const SCHEMA_VERSION = 1

export type StepStatus = 'pending' | 'ok' | 'failed' | 'skipped'

export interface RetryRecord {
  attempt: number
  error: string
  delay_ms: number
}

export interface StepRecord {
  step_id: string
  title: string
  reference: string | null
  category: string | null
  roi: number
  /** sha256 of the step's oracle argv as written in the pack (after expansion). */
  command_hash: string
  /** sha256 of what the answer depends on: prompt, attached files, flags, model, engine. */
  cache_key: string
  /** Relative to the run directory: `outputs/NN-<slug>.md`. */
  output_path: string
  output_hash: string | null
  status: StepStatus
  /** Engine invocations in the latest execution of the step (0 when answered from the cache). */
  attempts: number
  cached: boolean
  last_error: string | null
  retries: RetryRecord[]
  started_at: string | null
  finished_at: string | null
  duration_ms: number | null
}

export interface StepsFile {
  schema_version: number
  pack_id: string
  steps: StepRecord[]
}

export interface RunFile {
  schema_version: number
  pack_id: string
  /** The pack, relative to the workspace root. */
  pack_path: string
  pack_hash: string
  git_sha: string | null
  oraclekit_version: string
  oracle_version: string
  engine: { kind: string; source: string; path: string; args: string[] }
  providers: string[]
  models: string[]
  /** The pack's own `out_dir`; answers are written to `outputs/` instead. */
  out_dir: string | null
  created_at: string
  updated_at: string
  max_parallel: number
  ci: boolean
  cache: boolean
  sessions: number
  status: 'running' | 'ok' | 'failed' | 'stopped'
  stop_reason: string | null
  steps_total: number
}

export const RUN_FILE = 'run.json'
export const STEPS_FILE = 'steps.json'

function corrupt(file: string, detail: string): OracleError {
  return new OracleError('ORACLE_PACK_MANIFEST_INVALID', `${file} is not a valid run manifest: ${detail}`, {
    file,
    exitCode: ExitCode.invalidInput,
    hint: 'It was edited or written by another tool. Move the run directory away to start over; the cache keeps the answers.',
  })
}

async function readManifest<T>(file: string, check: (value: Record<string, unknown>) => string | undefined): Promise<T | undefined> {
  let value: unknown
  try {
    value = await readJsonFile(file)
  } catch (error) {
    throw isOracleError(error) ? corrupt(file, error.message) : error
  }
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(file, 'not a JSON object')
  const problem = check(value as Record<string, unknown>)
  if (problem) throw corrupt(file, problem)
  return value as T
}

export function readRunFile(runDir: string): Promise<RunFile | undefined> {
  return readManifest<RunFile>(join(runDir, RUN_FILE), (v) => (typeof v.pack_hash !== 'string' || typeof v.pack_id !== 'string' ? 'pack_id or pack_hash missing' : undefined))
}

export function readStepsFile(runDir: string): Promise<StepsFile | undefined> {
  return readManifest<StepsFile>(join(runDir, STEPS_FILE), (v) => {
    if (!Array.isArray(v.steps)) return '"steps" is not an array'
    const bad = (v.steps as unknown[]).findIndex((s) => typeof s !== 'object' || s === null || typeof (s as StepRecord).step_id !== 'string' || typeof (s as StepRecord).status !== 'string')
    return bad >= 0 ? `steps[${bad}] has no step_id or status` : undefined
  })
}

export function writeRunFile(runDir: string, run: RunFile): Promise<void> {
  return writeFileAtomic(join(runDir, RUN_FILE), stableStringify(run))
}

export function writeStepsFile(runDir: string, steps: StepsFile): Promise<void> {
  return writeFileAtomic(join(runDir, STEPS_FILE), stableStringify(steps))
}
