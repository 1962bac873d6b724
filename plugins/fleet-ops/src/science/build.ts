// Builds the Science Lane index from the planner's dossiers, the products' last runs and their
// heal state (buildScienceIndex, pure), and reads those Dash files (readScienceInputs). The
// index has no clock and everything in it is sorted: the same inputs give the same bytes.

import { readFile, readdir } from 'node:fs/promises'
import { ExitCode, OracleError, type Problem, type TSchema, checkValue, compareCodeUnits, isOracleError, locateProblems, parseJsonText, resolveInside, stableStringify } from '@oraclekit/kernel'
import { rearmCommand } from '../heal.js'
import {
  type DossierLike,
  type HealStateLike,
  HealStateFile,
  type LaneStatus,
  type LastRunLike,
  LastRunFile,
  type ProofStatus,
  type ScienceDossier,
  type ScienceIndex,
  type ScienceProof,
} from './schema.js'

type Sourced<T> = T & { source: string }
type RunSummary = NonNullable<ScienceProof['run']>

export interface ScienceInputs {
  dossiers: readonly DossierLike[]
  /** Last runs by product id. */
  lastRuns: ReadonlyMap<string, Sourced<LastRunLike>>
  /** Heal state by product id. */
  heal: ReadonlyMap<string, Sourced<HealStateLike>>
  /** The declared products: each gets an entry, even one that never ran. */
  productIds: readonly string[]
  /** The runs folder, to recognise evidence links to a run (default `dash/runs`). */
  runsDir?: string
}

/**
 * Exit statuses that say the command ran and did not pass. A stopped job (a stop condition halted
 * it) and an error (it could not run) prove nothing either way, so they leave a proof as it is.
 */
export function isFailedExit(status: string): boolean {
  return status === 'failed' || status.startsWith('failed_') || status === 'timeout' || status === 'retry_exhausted'
}

/** The run an evidence link points into (`<runsDir>/<product>/<run_id>/…`), when it is one a last run knows. */
export function runOfLink(link: string, lastRuns: ScienceInputs['lastRuns'], runsDir = 'dash/runs'): RunSummary | undefined {
  const prefix = `${runsDir.replace(/\/+$/, '')}/`
  const path = link.trim().replace(/^\.\//, '')
  if (!path.startsWith(prefix)) return undefined
  const [product, runId] = path.slice(prefix.length).split('/')
  const last = product ? lastRuns.get(product) : undefined
  if (!last || !runId) return undefined
  const known = Object.values(last.intents).find((run) => run.run_id === runId)
  if (known) return { run_id: known.run_id, exit_status: known.exit_status, finished_at: known.finished_at }
  return last.run_id === runId ? { run_id: last.run_id, exit_status: last.exit_status, finished_at: last.finished_at } : undefined
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The intent of `intents` the text names first as a whole word (`test`, not `tests` or `test_x`). */
export function intentNamed(text: string, intents: readonly string[]): string | undefined {
  let best: { intent: string; at: number } | undefined
  for (const intent of [...intents].sort(compareCodeUnits)) {
    const at = text.search(new RegExp(`(?<![A-Za-z0-9_])${escape(intent)}(?![A-Za-z0-9_])`, 'i'))
    if (at >= 0 && (!best || at < best.at)) best = { intent, at }
  }
  return best?.intent
}

/**
 * A proof's run and status. The run is the one an evidence link points into, else the latest run
 * of the intent the text names, for the dossier's product.
 * Evidence beats intent: only a run the proof links to by its evidence turns a pending proof into
 * fail, when it ended failed. A run found by the intent word is shown but changes nothing (that
 * intent may fail for reasons unrelated to the proof), and no run overrules a pass or a fail the
 * dossier records: the dossier's owner decides those.
 */
export function resolveProof(proof: DossierLike['acceptance_proofs'][number], productId: string, inputs: Pick<ScienceInputs, 'lastRuns' | 'runsDir'>): ScienceProof {
  const linked = proof.evidence.map((link) => runOfLink(link, inputs.lastRuns, inputs.runsDir)).find((run) => run !== undefined)
  const intents = inputs.lastRuns.get(productId)?.intents ?? {}
  const named = linked ? undefined : intentNamed(proof.text, Object.keys(intents))
  const byIntent = named === undefined ? undefined : intents[named]
  const run = linked ?? (byIntent ? { run_id: byIntent.run_id, exit_status: byIntent.exit_status, finished_at: byIntent.finished_at } : null)
  const status: ProofStatus = proof.status === 'pending' && linked && isFailedExit(linked.exit_status) ? 'fail' : proof.status
  return { text: proof.text, status, evidence: [...proof.evidence], run }
}

/** failing beats proven beats not_started (a draft nobody has proven anything of yet) beats in_progress. */
export function laneStatus(statuses: readonly ProofStatus[], dossierStatus: string): LaneStatus {
  if (statuses.includes('fail')) return 'failing'
  if (statuses.length > 0 && statuses.every((s) => s === 'pass')) return 'proven'
  if (statuses.every((s) => s === 'pending') && dossierStatus === 'draft') return 'not_started'
  return 'in_progress'
}

function dossierEntry(dossier: DossierLike, inputs: ScienceInputs): ScienceDossier {
  const proofs = dossier.acceptance_proofs.map((proof) => resolveProof(proof, dossier.product_id, inputs))
  return {
    dossier_id: dossier.dossier_id,
    product_id: dossier.product_id,
    title: dossier.title,
    status: dossier.status,
    owner: dossier.owner,
    created_at: dossier.created_at,
    source: dossier.source,
    hypothesis: { problem: dossier.hypothesis.problem, claim: dossier.hypothesis.claim, falsification: dossier.hypothesis.falsification },
    proofs,
    evidence_links: [...dossier.evidence_links],
    lane_status: laneStatus(proofs.map((p) => p.status), dossier.status),
  }
}

function productEntry(productId: string, inputs: ScienceInputs): ScienceIndex['products'][number] {
  const last = inputs.lastRuns.get(productId)
  const heal = inputs.heal.get(productId)
  const byName = <T>(record: Record<string, T>) => Object.entries(record).sort(([a], [b]) => compareCodeUnits(a, b))
  return {
    product_id: productId,
    last_run: last ? { intent: last.intent, exit_status: last.exit_status, finished_at: last.finished_at, evidence: last.evidence } : null,
    intents: Object.fromEntries(byName(last?.intents ?? {}).map(([intent, run]) => [intent, { exit_status: run.exit_status, finished_at: run.finished_at }])),
    heal: byName(heal?.intents ?? {}).map(([intent, state]) => ({
      intent,
      state: state.state,
      attempts: state.attempts,
      stopped_at: state.state === 'stopped' ? (state.stopped_at ?? null) : null,
      rearm: state.state === 'stopped' ? rearmCommand(productId, intent) : null,
    })),
  }
}

const sorted = (items: Iterable<string>) => [...new Set(items)].sort(compareCodeUnits)

/** The index for these inputs. Pure: no clock, no disk, and input order does not matter. */
export function buildScienceIndex(inputs: ScienceInputs): ScienceIndex {
  const dossiers = [...inputs.dossiers]
    .sort((a, b) => compareCodeUnits(a.dossier_id, b.dossier_id) || compareCodeUnits(a.source, b.source))
    .map((dossier) => dossierEntry(dossier, inputs))
  const productIds = sorted([...inputs.productIds, ...inputs.dossiers.map((d) => d.product_id), ...inputs.lastRuns.keys(), ...inputs.heal.keys()])
  const proofs = { pass: 0, pending: 0, fail: 0 }
  for (const proof of dossiers.flatMap((d) => d.proofs)) proofs[proof.status] += 1
  return {
    schema_version: 1,
    generated_from: {
      // a dossier's source is `path:line`; the file is what it stands on
      dossiers: sorted(inputs.dossiers.map((d) => d.source.replace(/:\d+$/, ''))),
      runs: sorted([...inputs.lastRuns.values()].map((r) => r.source)),
      heal: sorted([...inputs.heal.values()].map((h) => h.source)),
    },
    summary: { dossiers: dossiers.length, proofs, products: productIds.length },
    dossiers,
    products: productIds.map((id) => productEntry(id, inputs)),
  }
}

/** The index file's bytes: sorted keys, two-space indent, final newline. */
export function scienceIndexText(index: ScienceIndex): string {
  return stableStringify(index)
}

// ---------------------------------------------------------------------------------------------
// Reading the Dash files

/** A Dash file the index cannot be built from; the same code the planner uses for its inputs. */
export function artifactInvalid(file: string, detail: string, options: { line?: number; problems?: Problem[]; cause?: unknown } = {}): OracleError {
  return new OracleError('ORACLE_PLAN_ARTIFACT_INVALID', `${file}: ${detail}`, {
    file,
    ...(options.line === undefined ? {} : { line: options.line }),
    ...(options.problems ? { problems: options.problems } : {}),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    exitCode: ExitCode.invalidInput,
    hint: 'Fix the file (or delete it, when it is generated) and run `oracle fleet science` again. Nothing was written.',
  })
}

/** Entries of a workspace folder, sorted; none when it does not exist. */
async function entries(rootDir: string, dir: string): Promise<Array<{ name: string; folder: boolean }>> {
  const found = await readdir(resolveInside(rootDir, dir), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return []
    throw error
  })
  return found
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => ({ name: entry.name, folder: entry.isDirectory() }))
    .sort((a, b) => compareCodeUnits(a.name, b.name))
}

/** Reads and checks one JSON file against its schema; undefined when it does not exist. */
async function readChecked<T>(rootDir: string, rel: string, schema: TSchema): Promise<T | undefined> {
  let text: string
  try {
    text = await readFile(resolveInside(rootDir, rel), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw artifactInvalid(rel, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error })
  }
  let value: unknown
  try {
    value = parseJsonText(text, rel)
  } catch (error) {
    if (!isOracleError(error)) throw error
    throw artifactInvalid(rel, error.message.replace(`${rel} is `, ''), { ...(error.line === undefined ? {} : { line: error.line }), cause: error })
  }
  const checked = checkValue<T>(schema, value, { inPlace: true, file: rel })
  if (checked.ok) return checked.value
  const problems = await locateProblems(checked.problems, { file: rel, text, kind: 'json' })
  const first = problems[0]
  throw artifactInvalid(rel, `${problems.length} problem(s) against its schema${first ? `, first: ${first.path} ${first.message}` : ''}`, {
    ...(first?.line === undefined ? {} : { line: first.line }),
    problems,
  })
}

export interface ReadScienceOptions {
  /** Default `dash`. */
  dashDir?: string
  /** Default `<dashDir>/runs`. */
  runsDir?: string
  /** Default `<dashDir>/heal`. */
  healDir?: string
  /** Files of other products are left out: the index covers the declared fleet. */
  productIds: readonly string[]
}

/** The last runs (`<runsDir>/<id>/last_run.json`) and heal states (`<healDir>/<id>.json`) of the declared products. */
export async function readScienceInputs(rootDir: string, options: ReadScienceOptions): Promise<Pick<ScienceInputs, 'lastRuns' | 'heal'>> {
  const trim = (dir: string) => dir.replace(/\/+$/, '')
  const dash = trim(options.dashDir ?? 'dash')
  const runsDir = trim(options.runsDir ?? `${dash}/runs`)
  const healDir = trim(options.healDir ?? `${dash}/heal`)
  const known = new Set(options.productIds)
  const lastRuns = new Map<string, Sourced<LastRunLike>>()
  for (const { name } of (await entries(rootDir, runsDir)).filter((e) => e.folder && known.has(e.name))) {
    const rel = `${runsDir}/${name}/last_run.json`
    const run = await readChecked<LastRunLike>(rootDir, rel, LastRunFile)
    if (run === undefined) continue
    if (run.product_id !== name) throw artifactInvalid(rel, `product_id is "${run.product_id}" but the file is in the folder of "${name}"`)
    lastRuns.set(name, { ...run, source: rel })
  }
  const heal = new Map<string, Sourced<HealStateLike>>()
  for (const { name } of (await entries(rootDir, healDir)).filter((e) => !e.folder && e.name.endsWith('.json'))) {
    const id = name.slice(0, -'.json'.length)
    if (!known.has(id)) continue
    const rel = `${healDir}/${name}`
    const state = await readChecked<HealStateLike>(rootDir, rel, HealStateFile)
    if (state === undefined) continue
    if (state.product_id !== id) throw artifactInvalid(rel, `product_id is "${state.product_id}" but the file is named for "${id}"`)
    heal.set(id, { ...state, source: rel })
  }
  return { lastRuns, heal }
}
