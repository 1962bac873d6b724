// Tolerant readers: the dash reads other plugins' files without importing them, takes what it can
// use, and turns everything else into a Problem for the panel instead of an exception. Nothing here
// writes. Directory listings skip symlinks, so a link cannot pull a file from outside the workspace.

import { readFile, readdir, stat } from 'node:fs/promises'
import { compareCodeUnits, isOracleError, parseJsonText, resolveInside } from '@oraclekit/kernel'
import type { Problem } from './types.js'

export type JsonRead = { state: 'ok'; value: unknown } | { state: 'missing' } | { state: 'corrupt'; problem: Problem }

const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

/** The file's text, or undefined when it does not exist. Other I/O errors are problems of the caller's panel. */
export async function readTextFile(rootDir: string, rel: string): Promise<string | undefined> {
  try {
    return await readFile(resolveInside(rootDir, rel), 'utf8')
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}

/** A JSON file: its value, or missing, or a problem with the line the parser stopped at. */
export async function readJson(rootDir: string, rel: string): Promise<JsonRead> {
  let text: string | undefined
  try {
    text = await readTextFile(rootDir, rel)
  } catch (error) {
    return { state: 'corrupt', problem: corrupt(rel, (error as Error).message) }
  }
  if (text === undefined) return { state: 'missing' }
  try {
    return { state: 'ok', value: parseJsonText(text, rel) }
  } catch (error) {
    const line = isOracleError(error) ? error.line : undefined
    const detail = (error as Error).message.replace(`${rel} is not valid JSON: `, '')
    return { state: 'corrupt', problem: corrupt(rel, `not valid JSON: ${detail}`, line) }
  }
}

export interface Entry {
  name: string
  dir: boolean
}

/** Real files and folders in `rel`, sorted by name (code units); [] when the folder is missing. */
export async function listDir(rootDir: string, rel: string): Promise<Entry[]> {
  try {
    const entries = await readdir(resolveInside(rootDir, rel), { withFileTypes: true })
    return entries
      .filter((e) => e.isDirectory() || e.isFile())
      .map((e) => ({ name: e.name, dir: e.isDirectory() }))
      .sort((a, b) => compareCodeUnits(a.name, b.name))
  } catch (error) {
    if (isMissing(error)) return []
    throw error
  }
}

/** The size of a file, or null when it is not a file. */
export async function fileSize(rootDir: string, rel: string): Promise<number | null> {
  try {
    const info = await stat(resolveInside(rootDir, rel))
    return info.isFile() ? info.size : null
  } catch {
    return null
  }
}

export function corrupt(file: string, message: string, line?: number): Problem {
  return { file, ...(line === undefined ? {} : { line }), message, kind: 'corrupt' }
}

export function missing(file: string, message: string): Problem {
  return { file, message, kind: 'missing' }
}

// ---- Shape helpers: read a field if it has the expected type, else null ----------------------

export type Obj = Record<string, unknown>

export function asObj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined
}

export function str(o: Obj | undefined, key: string): string | null {
  const value = o?.[key]
  return typeof value === 'string' ? value : null
}

export function num(o: Obj | undefined, key: string): number | null {
  const value = o?.[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

export function strs(o: Obj | undefined, key: string): string[] {
  const value = o?.[key]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** `o[key]` as an object, or a problem naming the field when it is not one. */
export function requireFields(o: Obj | undefined, file: string, what: string, keys: readonly string[]): Problem | undefined {
  if (!o) return corrupt(file, `not ${what}: expected a JSON object`)
  const absent = keys.filter((key) => typeof o[key] !== 'string')
  return absent.length > 0 ? corrupt(file, `not ${what}: ${absent.map((k) => `"${k}"`).join(', ')} missing or not a string`) : undefined
}

/** The fields a run record (evidence.json, last_run.json) shares, once `intent` and `exit_status` are known to be there. */
export function runRecordFields(o: Obj | undefined) {
  return {
    job_id: str(o, 'job_id'),
    intent: str(o, 'intent') as string,
    exit_status: str(o, 'exit_status') as string,
    started_at: str(o, 'started_at'),
    finished_at: str(o, 'finished_at'),
    duration_ms: num(o, 'duration_ms'),
  }
}
