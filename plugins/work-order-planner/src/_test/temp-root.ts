// A throw-away folder per test for the readers' tests: created before each, removed after, with
// a `write` that lays out workspace-relative files.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach } from 'vitest'

/** The shared folder beside the repository (../shared): seeds, fixtures, research. */
export const SHARED = fileURLToPath(new URL('../../../../../shared/', import.meta.url))

export interface TempRoot {
  /** The folder of the running test. */
  readonly dir: string
  write(files: Record<string, string>): void
}

export function useTempRoot(prefix: string): TempRoot {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    get dir() {
      return dir
    },
    write(files) {
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true })
        writeFileSync(join(dir, rel), text)
      }
    },
  }
}
