// Work orders of the last plan (nexus/work_orders/*.json), each with what became of it: pending
// until `oracle run` leaves its evidence, then that evidence's exit_status.

import { compareCodeUnits } from '@oraclekit/kernel'
import { asObj, corrupt, listDir, num, readJson, requireFields, str, strs } from './read.js'
import type { Problem, WorkOrderRow, WorkOrdersData } from './types.js'

export async function readWorkOrders(rootDir: string, dir: string, runsDir: string): Promise<WorkOrdersData> {
  const problems: Problem[] = []
  const files = (await listDir(rootDir, dir)).filter((e) => !e.dir && e.name.endsWith('.json'))
  const rows = await Promise.all(files.map((e) => readOrder(rootDir, `${dir}/${e.name}`, e.name.slice(0, -5), runsDir, problems)))
  const orders = rows.filter((r): r is WorkOrderRow => r !== undefined).sort((a, b) => b.priority - a.priority || compareCodeUnits(a.job_id, b.job_id))
  return { dir, orders, problems: problems.sort((a, b) => compareCodeUnits(a.file, b.file)) }
}

async function readOrder(rootDir: string, file: string, name: string, runsDir: string, problems: Problem[]): Promise<WorkOrderRow | undefined> {
  const read = await readJson(rootDir, file)
  if (read.state !== 'ok') {
    if (read.state === 'corrupt') problems.push(read.problem)
    return undefined
  }
  const o = asObj(read.value)
  const problem = requireFields(o, file, 'a work order', ['job_id', 'product_id', 'intent'])
  if (problem) {
    problems.push(problem)
    return undefined
  }
  const jobId = str(o, 'job_id') as string
  const productId = str(o, 'product_id') as string
  if (jobId !== name) problems.push(corrupt(file, `its job_id "${jobId}" is not its file name; oracle run refuses it`))
  const inputs = asObj(o?.inputs)
  let state = 'pending'
  if (/^[a-z0-9][a-z0-9._-]{0,127}$/.test(jobId) && /^[a-z0-9][a-z0-9._-]{0,63}$/.test(productId)) {
    const evidence = await readJson(rootDir, `${runsDir}/${productId}/${jobId}/evidence.json`)
    if (evidence.state === 'ok') state = str(asObj(evidence.value), 'exit_status') ?? 'unreadable'
    if (evidence.state === 'corrupt') state = 'unreadable'
  }
  return {
    job_id: jobId,
    product_id: productId,
    intent: str(o, 'intent') as string,
    priority: num(o, 'priority') ?? 0,
    reasons: strs(inputs, 'reasons'),
    sources: strs(inputs, 'sources'),
    scheduled: str(inputs, 'scheduled'),
    max_time_ms: num(asObj(o?.budget), 'max_time_ms'),
    state,
    file,
  }
}
