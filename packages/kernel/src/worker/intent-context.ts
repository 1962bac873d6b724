import { BroadcastChannel } from 'node:worker_threads'
import type { ExecOptions, ExecResult, IntentContext, IntentLogger } from '../intent.js'
import { type ChannelMessage, type IntentWorkerData, MARKER_ENV, type WorkerRunRequest } from '../intents/protocol.js'
import { spawnProcess } from './spawn.js'

const channels = new Map<string, BroadcastChannel>()

function channelFor(name: string): BroadcastChannel {
  let channel = channels.get(name)
  if (!channel) {
    channel = new BroadcastChannel(name)
    // Do not keep the worker alive for the channel's sake.
    ;(channel as unknown as { unref?: () => void }).unref?.()
    channels.set(name, channel)
  }
  return channel
}

// The environment of the thread's processes: the worker's own, read once. Reading process.env
// whole costs ~30 µs a time in a worker thread (every variable is a call into C++), as much as a
// tenth of a `true`; a process that needs other variables gets them through options.env.
let threadEnv: NodeJS.ProcessEnv | undefined

/** What an attempt collects while it runs, returned with its response. */
export interface AttemptRecord {
  evidence: string[]
  posted: number
}

/** Builds the context an intent runs with, for one attempt of one job. */
export function createIntentContext(run: IntentWorkerData, task: WorkerRunRequest, record: AttemptRecord): IntentContext {
  const post = (message: ChannelMessage): void => {
    record.posted++
    channelFor(run.channel).postMessage(message)
  }
  const logAt =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: Record<string, unknown>): void =>
      post({ type: 'log', job: task.job, marker: task.marker, level, msg, ...(fields ? { fields } : {}) })
  const log: IntentLogger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') }

  async function exec(file: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    return spawnProcess(file, args, {
      cwd: options.cwd ?? run.rootDir,
      env: { ...(threadEnv ??= { ...process.env }), ...options.env, [MARKER_ENV]: task.marker },
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      onPid: (pid) => post({ type: 'pid', job: task.job, marker: task.marker, pid }),
    })
  }

  return {
    job: { id: task.job, intent: task.intent, attempt: task.attempt, runId: run.runId },
    rootDir: run.rootDir,
    log,
    exec,
    evidence: (path) => {
      record.evidence.push(path)
    },
    now: () => task.now ?? Date.now(),
  }
}
