// gc_runs on disk: read a product's run folders into RunInfo, decide, and delete what the rules
// give up. Symlinks are never followed, counted or deleted, and every folder is checked again
// just before it is removed; one doubtful path and nothing is touched.

import { type Dirent, readFileSync, readdirSync } from 'node:fs'
import { lstat, readdir, realpath, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { ExitCode, OracleError, compareCodeUnits, resolveInside, toPosixRelative } from '@oraclekit/kernel'
import { type Decision, type RunInfo, decideRetention } from './rules.js'

export interface PlanGcOptions {
  /** Absolute workspace root. */
  rootDir: string
  /** Workspace-relative runs folder, e.g. `dash/runs`. */
  runsDir: string
  productId: string
  keep: number
  /** Run ids to treat as in progress whatever their evidence says, e.g. the gc job's own folder. */
  running?: readonly string[]
}

/** What gc would do for one product. */
export interface GcPlan {
  product_id: string
  /** The runs folder the plan was made in, workspace-relative. */
  runs_dir: string
  /** One per run folder, newest first. */
  decisions: Decision[]
  /** Workspace-relative run folders to delete, in decision order. */
  delete: string[]
  /** Symlinks in the product folder, workspace-relative: never followed, counted or deleted. */
  symlinks: string[]
  bytes?: number
}

export interface GcOutcome {
  product_id: string
  dry_run: boolean
  /** The folders deleted (with dryRun: that would be); a folder already gone is left out. */
  deleted: string[]
}

export function errorGcUnsafePath(path: string, detail: string): OracleError {
  return new OracleError('ORACLE_GC_UNSAFE_PATH', `gc refused ${JSON.stringify(path)}: ${detail}`, {
    exitCode: ExitCode.invalidInput,
    hint: 'gc deletes only real run folders directly inside <runsDir>/<product>/; nothing was deleted. Remove the odd entry by hand if it should go.',
  })
}

/** A product id is one plain folder name under the runs folder. */
function checkProductId(productId: string): void {
  if (productId === '' || productId === '.' || productId === '..' || /[\\/\0]/.test(productId)) {
    throw errorGcUnsafePath(productId, 'a product id is a single folder name')
  }
}

const MARKERS = new Set(['KEEP', 'RELEASE', 'evidence.json'])

interface EvidenceFields {
  finished_at?: unknown
  started_at?: unknown
  exit_status?: unknown
  keep?: unknown
  release?: unknown
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/**
 * A run folder's RunInfo. An unreadable evidence.json, or one without a valid finished_at, reads
 * as in progress: kept. Synchronous on purpose: a run is a few tiny files, and for them the
 * thread-pool round trip of the async calls costs more than the reads (4× on 10,000 runs).
 */
function readRun(dir: string, runId: string): RunInfo | undefined {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (error) {
    // Removed since the product folder was listed (another gc): not a run any more.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const names = new Map(entries.filter((e) => MARKERS.has(e.name)).map((e) => [e.name, e] as const))
  const info: RunInfo = { run_id: runId, finished_at: null, started_at: null, exit_status: null, keep: names.has('KEEP'), release: names.has('RELEASE') }
  // Only a regular file is read: an evidence.json that is a symlink could point anywhere.
  if (!names.get('evidence.json')?.isFile()) return info
  let evidence: EvidenceFields
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8'))
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return info
    evidence = parsed as EvidenceFields
  } catch {
    return info
  }
  const finished = text(evidence.finished_at)
  info.keep ||= evidence.keep === true
  info.release ||= evidence.release === true
  if (finished === null || Number.isNaN(Date.parse(finished))) return info
  info.finished_at = finished
  info.started_at = text(evidence.started_at)
  info.exit_status = text(evidence.exit_status)
  return info
}

/** Reads `<runsDir>/<productId>/` and decides. A missing product folder gives an empty plan. */
export async function planGc({ rootDir, runsDir, productId, keep, running = [] }: PlanGcOptions): Promise<GcPlan> {
  checkProductId(productId)
  const runsAbs = resolveInside(rootDir, runsDir)
  const productAbs = join(runsAbs, productId)
  const productRel = toPosixRelative(rootDir, productAbs)
  const plan: GcPlan = { product_id: productId, runs_dir: toPosixRelative(rootDir, runsAbs) || '.', decisions: [], delete: [], symlinks: [] }
  const stat = await lstat(productAbs).catch(() => undefined)
  if (stat === undefined) return plan
  if (!stat.isDirectory()) throw errorGcUnsafePath(productRel, stat.isSymbolicLink() ? 'the product folder is a symlink' : 'the product folder is not a folder')
  const entries: Dirent[] = await readdir(productAbs, { withFileTypes: true })
  entries.sort((a, b) => compareCodeUnits(a.name, b.name))
  // Dirent types come from lstat semantics: a symlink to a folder is a symlink, not a directory.
  const runDirs = entries.filter((e) => e.isDirectory())
  plan.symlinks = entries.filter((e) => e.isSymbolicLink()).map((e) => `${productRel}/${e.name}`)
  const skip = new Set(running)
  const runs: RunInfo[] = []
  for (const e of runDirs) {
    const info = readRun(join(productAbs, e.name), e.name)
    if (info) runs.push(skip.has(e.name) ? { ...info, finished_at: null } : info)
  }
  plan.decisions = decideRetention(runs, keep)
  plan.delete = plan.decisions.filter((d) => d.action === 'delete').map((d) => `${productRel}/${d.run_id}`)
  return plan
}

export interface ApplyGcOptions {
  /** Absolute workspace root: every path of the plan must lie in its `<runsDir>/<product>/`. */
  rootDir: string
  dryRun?: boolean
}

/**
 * The absolute path of a folder the plan lists, after checking that it is a real folder whose
 * parent, resolved, is the product folder; undefined when it is already gone.
 */
async function checkTarget(productReal: string, rootDir: string, path: string, parents: Map<string, Promise<string | undefined>>): Promise<string | undefined> {
  const abs = resolve(rootDir, path)
  const name = basename(abs)
  // One realpath per distinct parent: every path of a plan has the same one.
  let resolving = parents.get(dirname(abs))
  if (resolving === undefined) parents.set(dirname(abs), (resolving = realpath(dirname(abs)).catch(() => undefined)))
  const parent = await resolving
  if (parent !== productReal || name === '' || name === '.' || name === '..') throw errorGcUnsafePath(path, `it is not a folder directly inside ${productReal}`)
  const stat = await lstat(join(parent, name)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (stat === undefined) return undefined
  if (stat.isSymbolicLink()) throw errorGcUnsafePath(path, 'it is a symlink')
  if (!stat.isDirectory()) throw errorGcUnsafePath(path, 'it is not a folder')
  return join(parent, name)
}

/** Deletes the plan's folders (none with dryRun), after checking every one of them first. */
export async function applyGc(plan: GcPlan, { rootDir, dryRun = false }: ApplyGcOptions): Promise<GcOutcome> {
  checkProductId(plan.product_id)
  const productAbs = join(resolveInside(rootDir, plan.runs_dir), plan.product_id)
  const outcome: GcOutcome = { product_id: plan.product_id, dry_run: dryRun, deleted: [] }
  if (plan.delete.length === 0) return outcome
  // The runs folder may be a symlink (a mounted volume); the product folder itself may not.
  const productStat = await lstat(productAbs).catch(() => undefined)
  if (!productStat?.isDirectory()) throw errorGcUnsafePath(toPosixRelative(rootDir, productAbs), 'the product folder is not a real folder')
  const productReal = join(await realpath(dirname(productAbs)), plan.product_id)
  const parents = new Map<string, Promise<string | undefined>>()
  const targets = await Promise.all(plan.delete.map(async (path) => ({ path, abs: await checkTarget(productReal, rootDir, path, parents) })))
  const present = targets.filter((t): t is { path: string; abs: string } => t.abs !== undefined)
  outcome.deleted = present.map((t) => t.path)
  if (dryRun) return outcome
  // fs.rm unlinks symlinks inside a run folder; it never descends into what they point to.
  await Promise.all(present.map((t) => rm(t.abs, { recursive: true, force: true })))
  return outcome
}
