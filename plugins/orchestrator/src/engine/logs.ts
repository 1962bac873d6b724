// The tasks' logs, written by the main thread as results come in. The write is started, not
// waited for: the next task need not wait for a file to be created. Each log appears whole (a temp
// file renamed into place); `flush` waits for all of them, and the run ends only after it.

import { mkdir, rename, writeFile } from 'node:fs'
import { dirname, join } from 'node:path'

export interface LogWriter {
  /** `path` is workspace-relative. */
  write(path: string, text: string): void
  /** Resolves when every log written so far is in place; rejects with the first failure. */
  flush(): Promise<void>
}

// The callback API: the promise API makes a FileHandle per write, which cost the main thread (on
// the critical path of a chain of short tasks) more than the write itself.
const call = <T extends unknown[]>(fn: (...args: [...T, (error: NodeJS.ErrnoException | null) => void]) => void, ...args: T): Promise<void> =>
  new Promise((resolve, reject) => fn(...args, (error) => (error ? reject(error) : resolve())))

export function createLogWriter(rootDir: string): LogWriter {
  const folders = new Map<string, Promise<unknown>>()
  const pending = new Set<Promise<void>>()
  let failure: Error | undefined
  let seq = 0
  return {
    write(path, text) {
      const file = join(rootDir, path)
      const dir = dirname(file)
      let made = folders.get(dir)
      if (!made) folders.set(dir, (made = new Promise((resolve, reject) => mkdir(dir, { recursive: true }, (error) => (error ? reject(error) : resolve(undefined))))))
      const temp = `${file}.${process.pid}.${++seq}.tmp`
      const done: Promise<void> = made
        .then(() => call(writeFile, temp, text))
        .then(() => call(rename, temp, file))
        .catch((error: unknown) => {
          failure ??= error as Error
        })
        .finally(() => pending.delete(done))
      pending.add(done)
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending])
      if (failure) throw failure
    },
  }
}
