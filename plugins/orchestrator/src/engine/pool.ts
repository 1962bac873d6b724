// One kernel run for the whole DAG: the scheduler submits each ready task as a job, the kernel's
// lanes take them from this feed as they free up, and each submit resolves with its job's result.
// One pool for all tasks keeps the per-task overhead to a message, not a worker's start.

import type { JobFeed, JobRequest, JobResult, RunEvent as KernelRunEvent } from '@oraclekit/kernel'

export interface TaskPool {
  feed: JobFeed
  /** Resolves when the job has ended (or the run stopped before it could start). */
  submit(job: JobRequest): Promise<JobResult>
  /** For the kernel's onEvent: settles the submit of each finished job. */
  onEvent(event: KernelRunEvent): void
  /** No more jobs: lanes waiting for one end. */
  close(): void
  /** The run ended: what is still waiting is settled as skipped. */
  settle(reason: string): void
}

export function createTaskPool(intents: readonly string[]): TaskPool {
  const ready: JobRequest[] = []
  const lanes: Array<(job: JobRequest | undefined) => void> = []
  const waiting = new Map<string, { job: JobRequest; resolve: (result: JobResult) => void }>()
  let closed = false
  return {
    feed: {
      intents,
      next: () => {
        const job = ready.shift()
        if (job || closed) return Promise.resolve(job)
        return new Promise((resolve) => lanes.push(resolve))
      },
    },
    submit(job) {
      return new Promise((resolve) => {
        waiting.set(job.id, { job, resolve })
        const lane = lanes.shift()
        if (lane) lane(job)
        else ready.push(job)
      })
    },
    onEvent(event) {
      if (event.type !== 'job_finished' || !event.result) return
      const entry = waiting.get(event.result.id)
      waiting.delete(event.result.id)
      entry?.resolve(event.result)
    },
    close() {
      closed = true
      for (const lane of lanes.splice(0)) lane(undefined)
    },
    settle(reason) {
      for (const [id, { job, resolve }] of waiting) resolve({ id, intent: job.intent, status: 'skipped', attempts: 0, durationMs: 0, reason, evidence: [], inputHash: '' })
      waiting.clear()
    },
  }
}
