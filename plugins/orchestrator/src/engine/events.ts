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
  /** Appends one line (written at the end of this turn of the event loop); `ts` is given apart so the caller's clock stays the only one. */
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
 * Opens (or creates) a run's log for appending. The events of one turn of the event loop are
 * written together, with one synchronous append, when the turn ends (setImmediate): a task's
 * completion and its dependent's start are then written after that dependent was handed to its
 * worker, not before (in a chain of short tasks, that write sat on the critical path). A process
 * killed mid-write loses at most the line it was writing (readEvents drops it, and opening the log
 * again cuts it off); killed before the write, it loses that turn's events, so a resume runs the
 * turn's tasks again (at least once), while a task whose completion is in the log never runs
 * again. The data is in the OS's cache once written; fsync, which only matters for a machine
 * crash or power loss, runs at most every FSYNC_INTERVAL_MS (a timer syncs the tail of a burst)
 * and on flush()/close(), which also write what is pending.
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

  // Events of this turn, not yet written: kept as values, so their JSON is built off the critical path too.
  const pending: Array<[Omit<RunEvent, 'ts'>, string]> = []
  const write = (): void => {
    if (pending.length === 0 || closed) return
    let text = ''
    for (const [event, ts] of pending) text += `${eventLine(event, ts)}\n`
    pending.length = 0
    appendFileSync(fd, text)
    dirty = true
    if (Date.now() - lastSync >= FSYNC_INTERVAL_MS) syncSoon()
    else if (!timer) {
      timer = setTimeout(syncSoon, FSYNC_INTERVAL_MS)
      // The log must never keep the process alive: close() syncs what is left.
      timer.unref()
    }
  }

  const sync = (): void => {
    write()
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
      if (closed) throw new Error(`event log ${path} is closed`)
      if (pending.push([event, ts]) === 1) setImmediate(write)
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
