// The one way the Oracle reads and writes `.devfactory/beast/state.json`. DevFactory's workers
// write the same file, so every change is a read-modify-write under the file lock, and every write
// is an atomic rename: a reader without the lock sees the old file or the new one, never half.

import { readFile } from 'node:fs/promises'
import {
  ExitCode,
  OracleError,
  type Problem,
  checkValue,
  isOracleError,
  locateProblems,
  parseJsonText,
  resolveInside,
  withFileLock,
  writeJsonAtomic,
} from '@oraclekit/kernel'
import type { BeastState } from '../types.js'
import { BeastStateSchema } from './schema.js'

/** Reads and updates DevFactory's state file. */
export interface StateStore {
  /** Absolute path of `<dir>/beast/state.json`. */
  readonly path: string
  /** The state; an empty one when the file does not exist. Throws ORACLE_DEVFACTORY_STATE_INVALID for a broken file. */
  read(): Promise<BeastState>
  /**
   * Under the file lock: reads the state, lets `fn` change it in place, writes it back (stable
   * JSON, atomically) and returns what `fn` returned. Nothing is written when `fn` throws.
   * Throws ORACLE_DEVFACTORY_STATE_LOCKED when the lock stays taken through 5 attempts.
   */
  update<T>(fn: (state: BeastState) => T | Promise<T>): Promise<T>
}

/** The attempts at the lock: the first and 4 retries with backoff (about 0.4–0.8 s in all), as seed 3 asks. */
export const LOCK_ATTEMPTS = 5

export const emptyState = (): BeastState => ({ version: 1, workers: {}, tasks: {} })

const utf8 = new TextDecoder()

/** Creates the store of the workspace at `rootDir`; `dir` is DevFactory's folder (default `.devfactory`). */
export function createStateStore(rootDir: string, options: { dir?: string } = {}): StateStore {
  const file = `${(options.dir ?? '.devfactory').replace(/\/+$/, '')}/beast/state.json`
  const path = resolveInside(rootDir, file)

  const read = async (): Promise<BeastState> => {
    let text: string
    try {
      // Bytes, then one decode: readFile(path, 'utf8') decodes chunk by chunk and joins the
      // pieces, which for a 5 MB state with any non-ASCII text cost more than parsing it.
      text = utf8.decode(await readFile(path))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState()
      throw error
    }
    return parseState(text, file)
  }

  return {
    path,
    read,
    async update(fn) {
      let acquired = false
      try {
        return await withFileLock(
          path,
          async () => {
            acquired = true
            const state = await read()
            const result = await fn(state)
            await writeJsonAtomic(path, state)
            return result
          },
          { retries: LOCK_ATTEMPTS - 1 },
        )
      } catch (error) {
        // Only the lock's own failure is re-coded; whatever `fn` threw goes through as it is.
        if (!acquired && isOracleError(error) && error.code === 'ORACLE_ARTIFACT_LOCKED') throw errorStateLocked(file, error)
        throw error
      }
    },
  }
}

/** Parses and checks the text of a state file (`file` is the workspace-relative name for messages). */
export async function parseState(text: string, file: string): Promise<BeastState> {
  let value: unknown
  try {
    value = parseJsonText(text, file)
  } catch (error) {
    if (!isOracleError(error)) throw error
    const detail = error.message.replace(`${file} is not valid JSON: `, '')
    throw errorStateInvalid(file, [{ message: `not valid JSON: ${detail}`, path: '(root)', file, ...(error.line === undefined ? {} : { line: error.line }) }])
  }
  const checked = checkValue<BeastState>(BeastStateSchema, value, { file, inPlace: true })
  const problems = [...checked.problems, ...(checked.ok ? keyProblems(checked.value, file) : [])]
  if (problems.length > 0) throw errorStateInvalid(file, await locateProblems(problems, { file, text, kind: 'json' }))
  return checked.value
}

// A worker or task stored under another key than its id would be found by one and reported by the
// other; the detector and the guidance files would then disagree about which worker is stuck.
function keyProblems(state: BeastState, file: string): Problem[] {
  const problems: Problem[] = []
  for (const [section, records] of [['workers', state.workers], ['tasks', state.tasks]] as const) {
    for (const [key, record] of Object.entries(records)) {
      if (record.id === key) continue
      problems.push({
        message: `${section}.${key}.id is "${record.id}": the key and the id differ`,
        path: `${section}.${key}.id`,
        pointer: `/${section}/${escapePointer(key)}/id`,
        file,
        rule: 'key_id',
        severity: 'error',
        hint: `Store the record under "${record.id}", or set its id to "${key}".`,
      })
    }
  }
  return problems
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

export function errorStateInvalid(file: string, problems: Problem[]): OracleError {
  const first = problems[0]
  const where = first?.line === undefined ? file : `${file}:${first.line}`
  return new OracleError('ORACLE_DEVFACTORY_STATE_INVALID', `${where}: ${problems.length === 1 ? first?.message : `${problems.length} problems, the first: ${first?.message}`}`, {
    file,
    ...(first?.line === undefined ? {} : { line: first.line }),
    problems,
    exitCode: ExitCode.invalidInput,
    hint: 'DevFactory writes this file; fix each problem listed (or restore the file from DevFactory) and run again. The Oracle changed nothing. The schema: schemas/devfactory_state.schema.json.',
  })
}

export function errorStateLocked(file: string, cause: unknown): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_STATE_LOCKED', `${file} stayed locked through ${LOCK_ATTEMPTS} attempts`, {
    file,
    cause,
    hint: `A DevFactory worker or another oracle holds the lock. Run again; if nothing is running, remove ${file}.lock.`,
  })
}
