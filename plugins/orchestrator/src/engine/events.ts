// The run's event log: `.codex/runs/<run_id>.jsonl`, one RunEvent a line, append-only. Every view
// (status, TASKS.md, report, resume) is a reduction of it (state.ts).
import { closeSync, existsSync, fsync, fsyncSync, ftruncateSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { compareCodeUnits, errorArtifactCorrupt } from '@oraclekit/kernel'
import type { RunEvent } from '../types.js'

/** Where a workspace keeps its run logs. */
export const RUNS_DIR = '.codex/runs'

/** fsync at most this often: a durable write per event costs ~1-10 ms, too much for 500 tasks. */
export const FSYNC_INTERVAL_MS = 50

export interface EventLog {
  /** The log file, absolute. */
  path: string
  /** Appends one line synchronously; `ts` is given apart so the caller's clock stays the only one. */
  append(event: Omit<RunEvent, 'ts'>, ts: string): void
  /** fsyncs whatever is not yet synced. */
  flush(): void
  /** Flushes and closes the file. */
  close(): void
}

export function eventLogPath(rootDir: string, runId: string): string {
  return join(rootDir, RUNS_DIR, `${runId}.jsonl`)
}

/**
 * A new run id: the UTC second (`20261122T031500Z`), with `-02`, `-03`… when a run of that second
 * already exists, so ids sort by name in the order the runs were taken.
 */
export function createRunId(rootDir: string, date: Date): string {
  const base = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  let id = base
  for (let n = 2; existsSync(eventLogPath(rootDir, id)); n++) id = `${base}-${String(n).padStart(2, '0')}`
  return id
}

/**
 * Opens (or creates) a run's log for appending. Each event is written with one synchronous
 * append, so a killed process loses at most the line it was writing (readEvents drops it, and
 * opening the log again cuts it off). The data is in the OS's cache as soon as append returns;
 * fsync, which only matters for a machine crash or power loss, runs at most every
 * FSYNC_INTERVAL_MS (a timer syncs the tail of a burst) and on flush()/close().
 */
export function openEventLog(rootDir: string, runId: string): EventLog {
  const path = eventLogPath(rootDir, runId)
  mkdirSync(join(rootDir, RUNS_DIR), { recursive: true })
  const fd = openSync(path, 'a+')
  cutTornTail(fd)
  let lastSync = Date.now()
  let dirty = false
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const sync = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!dirty || closed) return
    fsyncSync(fd)
    dirty = false
    lastSync = Date.now()
  }
  // While the run goes, the periodic fsync runs on the thread pool: a synchronous one held the main
  // thread (and so the next task) for about a millisecond each time. flush() and close() stay
  // synchronous: when they return, the log is on disk.
  const syncSoon = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!dirty || closed) return
    dirty = false
    lastSync = Date.now()
    fsync(fd, () => undefined)
  }

  return {
    path,
    append(event, ts) {
      appendFileSync(fd, `${eventLine(event, ts)}\n`)
      dirty = true
      if (Date.now() - lastSync >= FSYNC_INTERVAL_MS) syncSoon()
      else if (!timer) {
        timer = setTimeout(syncSoon, FSYNC_INTERVAL_MS)
        // The log must never keep the process alive: close() syncs what is left.
        timer.unref()
      }
    },
    flush: sync,
    close() {
      if (closed) return
      sync()
      closed = true
      closeSync(fd)
    },
  }
}

/** One JSONL line: `ts` and `type` first, as in seed 4's examples, then the other fields sorted. */
export function eventLine(event: Omit<RunEvent, 'ts'>, ts: string): string {
  const { type, ...rest } = event as RunEvent
  const record: Record<string, unknown> = { ts, type }
  for (const key of Object.keys(rest).sort(compareCodeUnits)) {
    const value = (rest as Record<string, unknown>)[key]
    if (key !== 'ts' && value !== undefined) record[key] = value
  }
  return JSON.stringify(record)
}

/**
 * The events of a log. A last line without its newline that does not parse is the one a killed
 * process was writing: it is dropped. Any other bad line is corruption and a coded error.
 */
export function readEvents(path: string): RunEvent[] {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  const events: RunEvent[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.trim() === '') continue
    try {
      events.push(JSON.parse(line) as RunEvent)
    } catch (error) {
      const torn = i === lines.length - 1
      if (torn) break
      throw errorArtifactCorrupt(path, (error as Error).message, i + 1)
    }
  }
  return events
}

/** The newest run of a workspace (run ids sort by name), or undefined when there is none. */
export function latestRun(rootDir: string): string | undefined {
  let names: string[]
  try {
    names = readdirSync(join(rootDir, RUNS_DIR))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const runs = names.filter((name) => name.endsWith('.jsonl')).map((name) => name.slice(0, -'.jsonl'.length))
  return runs.sort(compareCodeUnits).at(-1)
}

// A log whose last line has no newline was cut by a kill: appending to it would glue the next
// event onto the fragment, so the fragment goes before anything is appended.
function cutTornTail(fd: number): void {
  const size = fstatSync(fd).size
  if (size === 0) return
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024))
  let end = size
  while (end > 0) {
    const start = Math.max(0, end - chunk.length)
    const read = readSync(fd, chunk, 0, end - start, start)
    if (end === size && chunk[read - 1] === 0x0a) return
    const newline = chunk.subarray(0, read).lastIndexOf(0x0a)
    if (newline >= 0) {
      ftruncateSync(fd, start + newline + 1)
      return
    }
    end = start
  }
  ftruncateSync(fd, 0)
}
