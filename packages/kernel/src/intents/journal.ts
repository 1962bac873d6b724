import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { JobResult } from './types.js'

/**
 * The run's journal: one JSON line per finished job, appended with a synchronous write so that a
 * result is on disk before the run goes on. A process killed mid-line leaves a torn last line,
 * which reading ignores; resume then re-runs that job.
 */
export interface Journal {
  append(result: JobResult): void
  close(): void
}

export function openJournal(path: string): Journal {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, 'a+')
  // A torn last line (no newline) must not swallow the next record.
  const size = fstatSync(fd).size
  if (size > 0) {
    const last = Buffer.alloc(1)
    readSync(fd, last, 0, 1, size - 1)
    if (last[0] !== 0x0a) writeSync(fd, '\n')
  }
  return {
    append(result) {
      // Plain JSON.stringify: the journal is state, read back by code, and written once per job.
      writeSync(fd, `${JSON.stringify({ type: 'job', result })}\n`)
    },
    close() {
      closeSync(fd)
    },
  }
}

/** Results recorded in a journal, last record per job wins; missing file → empty map. */
export function readJournal(path: string): Map<string, JobResult> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw error
  }
  const results = new Map<string, JobResult>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let record: { type?: string; result?: JobResult }
    try {
      record = JSON.parse(line) as typeof record
    } catch {
      continue
    }
    if (record.type === 'job' && record.result?.id) results.set(record.result.id, record.result)
  }
  return results
}
