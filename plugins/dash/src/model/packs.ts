// Pack runs (.oraclepack/runs/<pack_id>/{run.json,steps.json,outputs/}) and, when the actionizer
// ran on one, its tasks (actionizer/normalized.jsonl, one JSON task a line) for the backlog.

import { compareCodeUnits } from '@oraclekit/kernel'
import { asObj, corrupt, fileSize, listDir, missing, num, readJson, readTextFile, str } from './read.js'
import type { ActionTask, PackRun, PackStep, PacksData, Problem } from './types.js'

/** Tasks listed per run at most; the counts cover them all. */
export const TASKS_SHOWN = 500

export async function readPacks(rootDir: string, dir: string): Promise<PacksData> {
  const folders = (await listDir(rootDir, dir)).filter((e) => e.dir)
  const runs = await Promise.all(folders.map((e) => readPackRun(rootDir, `${dir}/${e.name}`, e.name)))
  runs.sort((a, b) => compareCodeUnits(b.updated_at ?? b.created_at ?? '', a.updated_at ?? a.created_at ?? '') || compareCodeUnits(b.pack_id, a.pack_id))
  const problems = folders.length === 0 ? [missing(dir, 'No pack runs yet: `oracle pack run <pack>` writes them here.')] : []
  return { dir, runs, problems }
}

async function readPackRun(rootDir: string, dir: string, name: string): Promise<PackRun> {
  const problems: Problem[] = []
  const run = await readJson(rootDir, `${dir}/run.json`)
  const meta = run.state === 'ok' ? asObj(run.value) : undefined
  if (run.state === 'corrupt') problems.push(run.problem)
  if (run.state === 'missing') problems.push(missing(`${dir}/run.json`, 'no run.json: the run has not started, or this is not a pack run'))
  if (run.state === 'ok' && !meta) problems.push(corrupt(`${dir}/run.json`, 'not a JSON object'))
  const engine = asObj(meta?.engine)
  return {
    pack_id: str(meta, 'pack_id') ?? name,
    dir,
    status: str(meta, 'status'),
    pack_path: str(meta, 'pack_path'),
    engine: str(engine, 'kind'),
    created_at: str(meta, 'created_at'),
    updated_at: str(meta, 'updated_at'),
    stop_reason: str(meta, 'stop_reason'),
    steps: await readSteps(rootDir, dir, problems),
    actionizer: await readActionizer(rootDir, `${dir}/actionizer`, problems),
    problems,
  }
}

async function readSteps(rootDir: string, dir: string, problems: Problem[]): Promise<PackStep[]> {
  const file = `${dir}/steps.json`
  const read = await readJson(rootDir, file)
  if (read.state === 'corrupt') problems.push(read.problem)
  if (read.state !== 'ok') return []
  const list = asObj(read.value)?.steps
  if (!Array.isArray(list)) {
    problems.push(corrupt(file, 'not a steps file: "steps" is not a list'))
    return []
  }
  const steps = list.map(asObj).filter((s) => str(s, 'step_id') !== null)
  return Promise.all(
    steps.map(async (s) => {
      const output = str(s, 'output_path')
      return {
        step_id: str(s, 'step_id') as string,
        category: str(s, 'category'),
        reference: str(s, 'reference'),
        roi: num(s, 'roi'),
        status: str(s, 'status') ?? 'unknown',
        attempts: num(s, 'attempts'),
        duration_ms: num(s, 'duration_ms'),
        cached: s?.cached === true,
        output_path: output,
        output_bytes: output === null ? null : await fileSize(rootDir, `${dir}/${output}`),
        last_error: str(s, 'last_error'),
      }
    }),
  )
}

async function readActionizer(rootDir: string, dir: string, problems: Problem[]): Promise<PackRun['actionizer']> {
  const files = (await listDir(rootDir, dir)).filter((e) => !e.dir).map((e) => e.name)
  if (files.length === 0) return null
  const file = `${dir}/normalized.jsonl`
  const text = await readTextFile(rootDir, file).catch((error: Error) => {
    problems.push(corrupt(file, error.message))
    return ''
  })
  if (text === undefined) problems.push(missing(file, 'no normalized.jsonl: run `oracle pack actionize` again'))
  const tasks: ActionTask[] = []
  const counts: Record<string, number> = {}
  ;(text ?? '').split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    let task: Record<string, unknown> | undefined
    try {
      task = asObj(JSON.parse(line))
    } catch (error) {
      problems.push(corrupt(file, `line is not JSON: ${(error as Error).message}`, i + 1))
      return
    }
    const id = str(task, 'task_id')
    const status = str(task, 'status')
    if (id === null || status === null) {
      problems.push(corrupt(file, 'not a task: "task_id" and "status" must be strings', i + 1))
      return
    }
    counts[status] = (counts[status] ?? 0) + 1
    if (tasks.length < TASKS_SHOWN) {
      tasks.push({ task_id: id, title: str(task, 'title') ?? '', status, category: str(task, 'category'), priority: str(task, 'priority'), roi: num(task, 'roi'), step_id: str(task, 'step_id') })
    }
  })
  return { files, counts, tasks }
}
