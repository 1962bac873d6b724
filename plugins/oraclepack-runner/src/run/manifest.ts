// run.json and steps.json: the run's manifest. Both are rewritten whole, atomically (temp file,
// fsync, rename), so a run killed at any instant leaves the previous or the next version, never a
// torn one. Keys are sorted; only timestamps differ between two runs of the same inputs.

import { join } from 'node:path'
import { ExitCode, OracleError, type Problem, type Static, type TSchema, Type, checkValue, isOracleError, readJsonFile, stableStringify, writeFileAtomic } from '@oraclekit/kernel'

export const SCHEMA_VERSION = 1

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' })
const Timestamp = Type.String({ description: 'ISO-8601 UTC' })

export const StepStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')])

export const RetryRecordSchema = Type.Object({
  attempt: Type.Integer({ minimum: 1, description: 'The attempt that failed.' }),
  error: Type.String(),
  delay_ms: Type.Integer({ minimum: 0, description: 'Backoff before the next attempt.' }),
})

export const StepRecordSchema = Type.Object({
  step_id: Type.String({ pattern: '^\\d{2}$' }),
  title: Type.String({ description: "The header with ROI removed (oraclepack's original_line)." }),
  reference: Nullable(Type.String()),
  category: Nullable(Type.String()),
  // Optional: run directories written before the metadata block existed lack them.
  question_id: Type.Optional(Nullable(Type.String({ description: "QuestionId of the step's [oraclepack-meta] block; null without one." }))),
  expected_artifacts: Type.Optional(Type.Array(Type.String(), { description: "ExpectedArtifacts of the step's [oraclepack-meta] block; [] without one." })),
  roi: Type.Number(),
  command_hash: Type.String({ description: "sha256 of the step's oracle argv as written in the pack (after expansion)." }),
  cache_key: Type.String({ description: 'sha256 of what the answer depends on: prompt, flags, attached files, engine version and config.' }),
  output_path: Type.String({ description: 'Relative to the run directory: outputs/NN-<slug>.md.' }),
  output_hash: Nullable(Sha256),
  status: StepStatusSchema,
  attempts: Type.Integer({ minimum: 0, description: 'Engine invocations in the latest execution (0 when answered from the cache).' }),
  cached: Type.Boolean(),
  last_error: Nullable(Type.String()),
  retries: Type.Array(RetryRecordSchema),
  started_at: Nullable(Timestamp),
  finished_at: Nullable(Timestamp),
  duration_ms: Nullable(Type.Integer({ minimum: 0 })),
})

export const StepsFileSchema = Type.Object(
  { schema_version: Type.Literal(SCHEMA_VERSION), pack_id: Type.String(), steps: Type.Array(StepRecordSchema) },
  { title: 'oraclepack steps.json', description: 'Per-step state of an oraclepack run: .oraclepack/runs/<pack_id>/steps.json.' },
)

export const RunFileSchema = Type.Object(
  {
    schema_version: Type.Literal(SCHEMA_VERSION),
    pack_id: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}__([0-9a-f]{7}|nogit)__[0-9a-f]{8}$' }),
    pack_path: Type.String({ description: 'The pack, relative to the workspace root.' }),
    pack_hash: Sha256,
    git_sha: Nullable(Type.String()),
    oraclekit_version: Type.String(),
    oracle_version: Type.String({ description: "The engine's version (`replay` for the replay engine)." }),
    engine: Type.Object({ kind: Type.String(), source: Type.String(), path: Type.String(), args: Type.Array(Type.String()) }),
    providers: Type.Array(Type.String()),
    models: Type.Array(Type.String()),
    out_dir: Nullable(Type.String({ description: "The pack's own out_dir; answers go to outputs/ instead." })),
    created_at: Timestamp,
    updated_at: Timestamp,
    max_parallel: Type.Integer({ minimum: 1 }),
    ci: Type.Boolean(),
    cache: Type.Boolean(),
    sessions: Type.Integer({ minimum: 1, description: 'How many times `pack run` worked on this run.' }),
    status: Type.Union([Type.Literal('running'), Type.Literal('ok'), Type.Literal('failed'), Type.Literal('stopped')]),
    stop_reason: Nullable(Type.String()),
    steps_total: Type.Integer({ minimum: 0 }),
  },
  { title: 'oraclepack run.json', description: 'Metadata of an oraclepack run: .oraclepack/runs/<pack_id>/run.json.' },
)

export type StepStatus = Static<typeof StepStatusSchema>
export type RetryRecord = Static<typeof RetryRecordSchema>
export type StepRecord = Static<typeof StepRecordSchema>
export type StepsFile = Static<typeof StepsFileSchema>
export type RunFile = Static<typeof RunFileSchema>

export const RUN_FILE = 'run.json'
export const STEPS_FILE = 'steps.json'

function corrupt(file: string, detail: string, problems: Problem[] = []): OracleError {
  return new OracleError('ORACLE_PACK_MANIFEST_INVALID', `${file} is not a valid run manifest: ${detail}`, {
    file,
    exitCode: ExitCode.invalidInput,
    hint: 'It was edited or written by another tool. Move the run directory away to start over; the cache keeps the answers.',
    ...(problems.length > 0 ? { problems } : {}),
  })
}

async function readManifest<S extends TSchema>(file: string, schema: S): Promise<Static<S> | undefined> {
  let value: unknown
  try {
    value = await readJsonFile(file)
  } catch (error) {
    throw isOracleError(error) ? corrupt(file, error.message) : error
  }
  if (value === undefined) return undefined
  const checked = checkValue(schema, value)
  if (!checked.ok) throw corrupt(file, `${checked.problems.length} problem(s), first: ${checked.problems[0]?.path ?? ''} ${checked.problems[0]?.message ?? ''}`, checked.problems.map((p) => ({ ...p, file })))
  return value as Static<S>
}

export function readRunFile(runDir: string): Promise<RunFile | undefined> {
  return readManifest(join(runDir, RUN_FILE), RunFileSchema)
}

export function readStepsFile(runDir: string): Promise<StepsFile | undefined> {
  return readManifest(join(runDir, STEPS_FILE), StepsFileSchema)
}

export function writeRunFile(runDir: string, run: RunFile): Promise<void> {
  return writeFileAtomic(join(runDir, RUN_FILE), stableStringify(run))
}

export function writeStepsFile(runDir: string, steps: StepsFile): Promise<void> {
  return writeFileAtomic(join(runDir, STEPS_FILE), stableStringify(steps))
}
