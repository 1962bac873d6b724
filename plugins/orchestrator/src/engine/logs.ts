// The tasks' logs, written by the main thread as results come in, at the end of the turn of the
// event loop that brought them (setImmediate): by then the next task of a chain is already with
// its worker, so the write is off the critical path. The writes are synchronous and small: the
// callback API cost four thread-pool round trips a log, each one waking the main thread while the
// next task ran (~0.1 ms a task in a chain of `true`s). Each log appears whole (a temp file renamed
// into place); `flush` writes what is queued, and the run ends only after it.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface LogWriter {
  /** `path` is workspace-relative. */
  write(path: string, text: string): void
  /** Resolves when every log written so far is in place; rejects with the first failure. */
  flush(): Promise<void>
}

export function createLogWriter(rootDir: string): LogWriter {
  const folders = new Set<string>()
  const queued: Array<[file: string, text: string]> = []
  let failure: Error | undefined
  let seq = 0
  const writeQueued = (): void => {
    for (const [file, text] of queued.splice(0)) {
      try {
        const dir = dirname(file)
        if (!folders.has(dir)) {
          mkdirSync(dir, { recursive: true })
          folders.add(dir)
        }
        const temp = `${file}.${process.pid}.${++seq}.tmp`
        writeFileSync(temp, text)
        renameSync(temp, file)
      } catch (error) {
        failure ??= error as Error
      }
    }
  }
  return {
    write(path, text) {
      if (queued.push([join(rootDir, path), text]) === 1) setImmediate(writeQueued)
    },
    async flush() {
      writeQueued()
      if (failure) throw failure
    },
  }
}
