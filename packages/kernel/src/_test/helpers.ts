import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import type { OracleError } from '../errors/oracle-error.js'

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<OracleError> {
  try {
    await promise
  } catch (error) {
    return error as OracleError
  }
  throw new Error('expected a rejection')
}

/** A fresh temporary directory for each test of the file; `dir()` gives the current one. */
export function useTempDir(prefix: string): () => string {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  return () => dir
}
