// Reading a pack run: run.json, steps.json and the answers they point to. The actionizer never
// imports the runner: it reads the files, checked against the part of their contract it uses.

import { readFile, readdir } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { ExitCode, OracleError, type Static, Type, checkValue, compareCodeUnits, isOracleError, parseJsonText, sha256 } from '@oraclekit/kernel'

const RunJson = Type.Object({
  pack_id: Type.String({ minLength: 1 }),
  pack_hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  pack_path: Type.String(),
  created_at: Type.String(),
})

const StepsJson = Type.Object({
  steps: Type.Array(
    Type.Object({
      step_id: Type.String({ pattern: '^\\d{2}$' }),
      title: Type.String(),
      reference: Type.Union([Type.String(), Type.Null()]),
      category: Type.Union([Type.String(), Type.Null()]),
      // From the step's [oraclepack-meta] block; runs written before it existed lack them.
      question_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      expected_artifacts: Type.Optional(Type.Array(Type.String())),
      roi: Type.Number(),
      output_path: Type.String(),
      output_hash: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
      last_error: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})

export type RunInfo = Static<typeof RunJson>
export type StepInfo = Static<typeof StepsJson>['steps'][number]

export interface RunStep extends StepInfo {
  /** The answer's text, when the step is ok and its file is there and intact. */
  answer?: string
  /** Why there is no answer to read. */
  unreadable?: string
}

export interface LoadedRun {
  dir: string
  run: RunInfo
  steps: RunStep[]
}

function invalid(file: string, detail: string, problems: ReturnType<typeof checkValue>['problems'] = [], line?: number): OracleError {
  return new OracleError('ORACLE_ACTIONIZE_RUN_INVALID', `${file}: ${detail}`, {
    file,
    ...(line === undefined ? {} : { line }),
    exitCode: ExitCode.invalidInput,
    hint: 'Point --run-dir at a directory written by `oracle pack run` (.oraclepack/runs/<pack_id>).',
    ...(problems.length > 0 ? { problems: problems.map((p) => ({ ...p, file })) } : {}),
  })
}

async function readJson<T>(file: string, schema: Parameters<typeof checkValue>[0], display: string): Promise<T> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw invalid(display, code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? 'error'})`)
  }
  let value: unknown
  try {
    value = parseJsonText(text, display)
  } catch (error) {
    // the parse error names the file already: keep only what is wrong, and where
    if (!isOracleError(error)) throw error
    throw invalid(display, error.message.replace(`${display} is `, ""), [], error.line)
  }
  const checked = checkValue(schema, value)
  if (!checked.ok) throw invalid(display, `${checked.problems.length} problem(s) against the run manifest contract`, checked.problems)
  return value as T
}

/** Reads a run directory; a step's answer is read only when its file matches the recorded hash. */
export async function loadRun(runDir: string, cwd: string): Promise<LoadedRun> {
  const dir = resolve(cwd, runDir)
  const show = (name: string) => (relative(cwd, join(dir, name)) || name).split(sep).join('/')
  const run = await readJson<RunInfo>(join(dir, 'run.json'), RunJson, show('run.json'))
  const { steps } = await readJson<Static<typeof StepsJson>>(join(dir, 'steps.json'), StepsJson, show('steps.json'))
  const loaded = await Promise.all(
    steps.map(async (step): Promise<RunStep> => {
      if (step.status !== 'ok') return { ...step, unreadable: step.status === 'failed' ? `the step failed: ${step.last_error ?? 'no error recorded'}` : `the step is ${step.status}` }
      const path = resolve(dir, step.output_path)
      if (!path.startsWith(dir + sep)) return { ...step, unreadable: `output_path ${step.output_path} is outside the run directory` }
      const data = await readFile(path).catch(() => undefined)
      if (!data) return { ...step, unreadable: `the answer file ${step.output_path} is missing` }
      if (step.output_hash && sha256(data) !== step.output_hash) return { ...step, unreadable: `the answer file ${step.output_path} changed after the run (hash mismatch)` }
      return { ...step, answer: data.toString('utf8') }
    }),
  )
  return { dir, run, steps: loaded }
}

/** `--run-dir latest`: the run under `runsDir` updated last (ties: the later name). */
export async function latestRun(rootDir: string, runsDir: string): Promise<string> {
  const base = resolve(rootDir, runsDir)
  const names = await readdir(base).catch(() => [] as string[])
  let best: { name: string; updated: string } | undefined
  for (const name of names.sort(compareCodeUnits)) {
    const text = await readFile(join(base, name, 'run.json'), 'utf8').catch(() => undefined)
    const updated = text ? (/"updated_at":\s*"([^"]+)"/.exec(text)?.[1] ?? '') : undefined
    if (updated !== undefined && (!best || compareCodeUnits(updated, best.updated) >= 0)) best = { name, updated }
  }
  if (!best) {
    throw new OracleError('ORACLE_ACTIONIZE_RUN_INVALID', `--run-dir latest: no run in ${runsDir}`, {
      exitCode: ExitCode.usage,
      hint: 'Run a pack first (`oracle pack run <pack>`), or give --run-dir <dir>.',
    })
  }
  return join(base, best.name)
}
