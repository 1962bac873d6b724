// The worker-thread entry of the intent pool (loaded by tinypool from dist/worker/intent-worker.js).
import { isMainThread, workerData } from 'node:worker_threads'
import type { IntentFunction } from '../intent.js'
import type { IntentWorkerData, SerializedError, WorkerResponse, WorkerRunRequest, WorkerWarmRequest } from '../intents/protocol.js'
import { createJiti } from '../config/cjs.js'
import { type AttemptRecord, createIntentContext } from './intent-context.js'

if (isMainThread) {
  throw new Error('@oraclekit/kernel intent-worker must run in a worker thread; the kernel starts it through tinypool.')
}

// tinypool passes [its own data, ours].
const run = (workerData as [unknown, IntentWorkerData] | undefined)?.[1] as IntentWorkerData
const modules = new Map<string, Promise<Record<string, unknown>>>()

function loadModule(href: string): Promise<Record<string, unknown>> {
  let loading = modules.get(href)
  if (!loading) {
    loading = /\.[cm]?ts$/.test(href)
      ? (createJiti(import.meta.url).import(href) as Promise<Record<string, unknown>>)
      : (import(href) as Promise<Record<string, unknown>>)
    modules.set(href, loading)
  }
  return loading
}

const WARM_WAIT_MS = 2_000

/**
 * Loads the run's intent modules before any job (and the process machinery, when one of them
 * spawns processes), so a job's time is the job's own. A module that fails to load is left for the
 * job to report.
 */
async function warm(task: WorkerWarmRequest): Promise<void> {
  const intents = task.intents.flatMap((name) => (run.intents[name] ? [run.intents[name]] : []))
  await Promise.all([
    ...(intents.some((intent) => intent.spawns) ? [import('node:child_process')] : []),
    ...intents.map((intent) => loadModule(intent.module).catch(() => undefined)),
  ])
  const counter = new Int32Array(task.barrier)
  Atomics.add(counter, 0, 1)
  Atomics.notify(counter, 0)
  // Hold this thread until every thread is warm, so that the pool hands each one a warm task.
  const deadline = Date.now() + WARM_WAIT_MS
  for (let seen = Atomics.load(counter, 0); seen < task.threads && Date.now() < deadline; seen = Atomics.load(counter, 0)) {
    Atomics.wait(counter, 0, seen, 50)
  }
}

/** Runs one attempt of one job; never throws (a failure is a response). */
export default async function runIntentTask(task: WorkerRunRequest | WorkerWarmRequest): Promise<WorkerResponse | undefined> {
  if ('warm' in task) return warm(task).then(() => undefined)
  const record: AttemptRecord = { evidence: [], posted: 0 }
  try {
    const intent = run.intents[task.intent]
    if (!intent) throw Object.assign(new Error(`intent "${task.intent}" is not registered in this run`), { kind: 'intent_invalid' })
    const module = await loadModule(intent.module)
    const fn = module[intent.exportName]
    if (typeof fn !== 'function') {
      throw Object.assign(new Error(`intent module ${intent.module} has no function export "${intent.exportName}"`), { kind: 'intent_invalid' })
    }
    const output = await (fn as IntentFunction)(task.input, createIntentContext(run, task, record))
    return { type: 'done', output, ...record }
  } catch (error) {
    return { type: 'failed', error: serializeError(error), ...record }
  }
}

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const e = error as Error & { code?: unknown; kind?: unknown; transient?: unknown; hint?: unknown }
  return {
    name: e.name,
    message: e.message,
    ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.kind === 'string' ? { kind: e.kind } : {}),
    ...(e.transient === true ? { transient: true } : {}),
    ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
  }
}
