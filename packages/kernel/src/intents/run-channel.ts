import { BroadcastChannel } from 'node:worker_threads'
import type { Logger } from '../services/event-log.js'
import type { ChannelMessage } from './protocol.js'

interface Attempt {
  pids: Set<number>
  received: number
  wanted?: number
  done?: () => void
}

/**
 * The main-thread end of a run's BroadcastChannel: intents' log lines go to the run's event log,
 * spawned pids are kept per attempt (by marker) for stopping them.
 */
export interface RunChannel {
  readonly name: string
  /** The pids an attempt reported. */
  pids(marker: string): Set<number>
  /** Resolves once the attempt's `count` messages have all arrived, so its logs precede its result. */
  drain(marker: string, count: number): Promise<void>
  forget(marker: string): void
  close(): void
}

// Messages between threads are not lost, only late; this bounds the wait if a worker died mid-post.
const DRAIN_TIMEOUT_MS = 1_000

export function openRunChannel(name: string, log: Logger): RunChannel {
  const attempts = new Map<string, Attempt>()
  const attempt = (marker: string): Attempt => {
    let entry = attempts.get(marker)
    if (!entry) attempts.set(marker, (entry = { pids: new Set(), received: 0 }))
    return entry
  }
  const channel = new BroadcastChannel(name)
  channel.onmessage = (event) => {
    const message = (event as { data: ChannelMessage }).data
    const entry = attempt(message.marker)
    if (message.type === 'pid') entry.pids.add(message.pid)
    else log[message.level]({ event: 'intent_log', job: message.job, ...message.fields }, message.msg)
    entry.received++
    if (entry.wanted !== undefined && entry.received >= entry.wanted) entry.done?.()
  }
  return {
    name,
    pids: (marker) => attempts.get(marker)?.pids ?? new Set(),
    drain(marker, count) {
      const entry = attempt(marker)
      if (count === 0 || entry.received >= count) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)
        entry.wanted = count
        entry.done = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    },
    forget: (marker) => void attempts.delete(marker),
    close: () => channel.close(),
  }
}
