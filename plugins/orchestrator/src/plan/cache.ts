// The resolved plan, kept in `.codex/cache/` and reused while no file of the plan has changed.
// Parsing YAML is the biggest cost of starting a run of a large plan (0.4 ms a task on 500 tasks);
// Nx keeps its project graph for the same reason. A hit needs every input unchanged: the bytes of
// each file read (by sha256) and what each include pattern matches now. Only a plan without
// problems is kept, so a hit never hides one. A cache that cannot be read or written is ignored.

import { readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { resolveInside, sha256, writeFileAtomic } from '@oraclekit/kernel'
import pkg from '../../package.json' with { type: 'json' }
import type { PlanSpec } from '../types.js'
import { type LoadedPlan, type PlanTrace, expandInclude, loadPlan } from './load.js'

export const PLAN_CACHE_DIR = '.codex/cache'

interface CacheEntry {
  /** The plugin's version: a new parser may resolve the same text differently. */
  version: string
  file: string
  inputs: Array<{ file: string; sha256: string }>
  includes: Array<{ pattern: string; files: string[] }>
  plan: PlanSpec
}

const entryPath = (rootDir: string, file: string): string => join(rootDir, PLAN_CACHE_DIR, `plan-${sha256(posix.normalize(file)).slice(0, 16)}.json`)

async function fresh(rootDir: string, entry: CacheEntry, file: string): Promise<boolean> {
  if (entry.version !== pkg.version || entry.file !== file) return false
  for (const input of entry.inputs) {
    const text = await readFile(resolveInside(rootDir, input.file), 'utf8').catch(() => undefined)
    if (text === undefined || sha256(text) !== input.sha256) return false
  }
  for (const include of entry.includes) {
    const now = await expandInclude(rootDir, file, include.pattern)
    if (now.files.join('\n') !== include.files.join('\n')) return false
  }
  return true
}

/**
 * loadPlan, through the cache. `cache: false` reads and checks everything (and refreshes the
 * cache); `write: false` (a dry run, status) uses the cache but never writes it.
 */
export async function loadPlanCached(rootDir: string, file = 'orchestrator.yml', options: { cache?: boolean; write?: boolean } = {}): Promise<LoadedPlan> {
  const path = entryPath(rootDir, file)
  if (options.cache !== false) {
    const entry = await readFile(path, 'utf8')
      .then((text) => JSON.parse(text) as CacheEntry)
      .catch(() => undefined)
    if (entry?.plan && Array.isArray(entry.inputs) && Array.isArray(entry.includes) && (await fresh(rootDir, entry, file))) return { plan: entry.plan, problems: [] }
  }
  const trace: PlanTrace = { files: new Map(), includes: [] }
  const loaded = await loadPlan(rootDir, file, trace)
  if (loaded.plan && options.write !== false) {
    const entry: CacheEntry = {
      version: pkg.version,
      file,
      inputs: [...trace.files].map(([input, text]) => ({ file: input, sha256: sha256(text) })),
      includes: trace.includes,
      plan: loaded.plan,
    }
    // Plain JSON: the plan comes back with its keys in the order the loader made them.
    await writeFileAtomic(path, `${JSON.stringify(entry)}\n`).catch(() => undefined)
  }
  return loaded
}
