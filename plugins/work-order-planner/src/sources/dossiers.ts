// Design dossiers: a Markdown file whose YAML front matter names a dossier_id, a product_id and
// a status, with an optional hypothesis, acceptance proofs and evidence links.

import { isSeq } from 'yaml'
import { artifactInvalid, unknownProduct } from '../errors.js'
import type { AcceptanceProof, Dossier, ProofStatus } from '../types.js'
import { type Context, type FrontMatter, type MarkdownFile, fencedLines, isRecord, keyLine, nodeLine, optionalString, readFrontMatter, readMarkdownTree } from './markdown.js'

// ---------------------------------------------------------------------------------------------
// Dossiers

/** The dossiers under `dir`, each with its own dossier_id and a declared product. */
export async function readDossiers(ctx: Context, dir: string): Promise<Dossier[]> {
  const dossiers: Dossier[] = []
  const seen = new Map<string, string>()
  for (const file of await readMarkdownTree(ctx.rootDir, dir)) {
    const fm = readFrontMatter(file)
    // a README or notes file without front matter is not a dossier
    if (!fm) continue
    const dossier = parseDossier(ctx, file, fm)
    const first = seen.get(dossier.dossier_id)
    if (first !== undefined) {
      throw artifactInvalid(file.path, `dossier_id "${dossier.dossier_id}" is also the id of ${first}`, {
        line: keyLine(fm, fm.map, 'dossier_id') ?? 1,
        hint: 'Each dossier needs its own dossier_id.',
      })
    }
    seen.set(dossier.dossier_id, file.path)
    dossiers.push(dossier)
  }
  return dossiers
}

function parseDossier(ctx: Context, file: MarkdownFile, fm: FrontMatter): Dossier {
  const dossier_id = requiredString(file.path, fm, 'dossier_id')
  const product_id = requiredString(file.path, fm, 'product_id')
  if (!ctx.products.has(product_id)) throw unknownProduct(file.path, product_id, ctx.productIds, keyLine(fm, fm.map, 'product_id'))
  const text = (key: string): string | null => optionalString(file.path, key, fm.data[key], keyLine(fm, fm.map, key) ?? 1)
  return {
    dossier_id,
    product_id,
    status: requiredString(file.path, fm, 'status').toLowerCase(),
    title: text('title') ?? firstHeading(file.lines, fm.bodyStart),
    owner: text('owner'),
    created_at: readDate(file.path, fm),
    hypothesis: readHypothesis(file.path, fm),
    acceptance_proofs: readProofs(file.path, fm),
    evidence_links: readEvidenceLinks(file.path, fm),
    source: `${file.path}:1`,
  }
}

function requiredString(path: string, fm: FrontMatter, key: string): string {
  const value = fm.data[key]
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  const detail = value === undefined ? `front matter has no \`${key}\`` : `front matter \`${key}\` must be a non-empty string`
  throw artifactInvalid(path, detail, { line: keyLine(fm, fm.map, key) ?? 1, hint: 'A dossier’s front matter needs `dossier_id`, `product_id` and `status` strings.' })
}

function firstHeading(lines: readonly string[], from: number): string | null {
  const fenced = fencedLines(lines)
  for (let i = from; i < lines.length; i++) {
    const title = fenced[i] ? undefined : /^#\s+(.*?)(?:\s+#+)?\s*$/.exec(lines[i] ?? '')?.[1]
    if (title) return title
  }
  return null
}

function readDate(path: string, fm: FrontMatter): string | null {
  const value = fm.data.created_at
  // the core schema keeps an unquoted date a string; `!!timestamp` makes it a Date
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return optionalString(path, 'created_at', value, keyLine(fm, fm.map, 'created_at') ?? 1)
}

function readHypothesis(path: string, fm: FrontMatter): Dossier['hypothesis'] {
  const value = fm.data.hypothesis
  const line = keyLine(fm, fm.map, 'hypothesis') ?? 1
  if (value === undefined || value === null) return { problem: null, claim: null, falsification: null }
  if (!isRecord(value)) throw artifactInvalid(path, '`hypothesis` must be a mapping of problem, claim and falsification', { line })
  const node = fm.map.get('hypothesis', true)
  const part = (key: string): string | null => optionalString(path, `hypothesis.${key}`, value[key], keyLine(fm, node, key) ?? line)
  return { problem: part('problem'), claim: part('claim'), falsification: part('falsification') }
}

function readEvidenceLinks(path: string, fm: FrontMatter): string[] {
  const value = fm.data.evidence
  const line = keyLine(fm, fm.map, 'evidence') ?? 1
  if (value === undefined || value === null) return []
  const links = isRecord(value) ? (value.links ?? []) : undefined
  if (!Array.isArray(links) || !links.every((link) => typeof link === 'string')) {
    throw artifactInvalid(path, '`evidence.links` must be a list of strings', { line: keyLine(fm, fm.map.get('evidence', true), 'links') ?? line })
  }
  return links
}

// ---------------------------------------------------------------------------------------------
// Acceptance proofs

const PROOF_STATUSES = new Map<string, ProofStatus>([
  ['pass', 'pass'],
  ['passed', 'pass'],
  ['passing', 'pass'],
  ['done', 'pass'],
  ['ok', 'pass'],
  ['pending', 'pending'],
  ['fail', 'fail'],
  ['failed', 'fail'],
  ['failing', 'fail'],
])

// A plain string proof may carry its status as a checkbox, an emoji or a prefix.
const PROOF_MARKERS: ReadonlyArray<readonly [RegExp, ProofStatus]> = [
  [/^\[[xX]\]\s*/, 'pass'],
  [/^✅\uFE0F?\s*/u, 'pass'],
  [/^PASS:\s*/i, 'pass'],
  [/^\[ \]\s*/, 'pending'],
  [/^FAIL:\s*/i, 'fail'],
  [/^❌\uFE0F?\s*/u, 'fail'],
]

const PROOF_HINT = 'An acceptance proof is a string, or a mapping `{ text, status: pass|pending|fail, evidence }`.'

function readProofs(path: string, fm: FrontMatter): AcceptanceProof[] {
  const value = fm.data.acceptance_proofs
  const line = keyLine(fm, fm.map, 'acceptance_proofs') ?? 1
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw artifactInvalid(path, '`acceptance_proofs` must be a list', { line, hint: PROOF_HINT })
  const seq = fm.map.get('acceptance_proofs', true)
  return value.map((item: unknown, i) => readProof(path, fm, item, isSeq(seq) ? seq.items[i] : undefined, line))
}

function readProof(path: string, fm: FrontMatter, item: unknown, node: unknown, fallback: number): AcceptanceProof {
  const line = nodeLine(fm, node, fallback)
  if (typeof item === 'string') return proofFromText(item)
  const text = isRecord(item) ? (item.text ?? item.proof) : undefined
  if (!isRecord(item) || typeof text !== 'string') {
    throw artifactInvalid(path, 'an acceptance proof must be a string or a mapping with a `text` string', { line, hint: PROOF_HINT })
  }
  const status = item.status === undefined || item.status === null ? 'pending' : proofStatus(item.status)
  if (status === undefined) {
    throw artifactInvalid(path, `acceptance proof status ${JSON.stringify(item.status)} is not pass, pending or fail`, { line: keyLine(fm, node, 'status') ?? line, hint: PROOF_HINT })
  }
  const evidence = item.evidence === undefined || item.evidence === null ? [] : typeof item.evidence === 'string' ? [item.evidence] : item.evidence
  if (!Array.isArray(evidence) || !evidence.every((link) => typeof link === 'string')) {
    throw artifactInvalid(path, 'acceptance proof `evidence` must be a string or a list of strings', { line: keyLine(fm, node, 'evidence') ?? line, hint: PROOF_HINT })
  }
  return { text: text.trim(), status, evidence }
}

function proofStatus(value: unknown): ProofStatus | undefined {
  return typeof value === 'string' ? PROOF_STATUSES.get(value.trim().toLowerCase()) : undefined
}

function proofFromText(raw: string): AcceptanceProof {
  const text = raw.trim()
  for (const [marker, status] of PROOF_MARKERS) {
    if (marker.test(text)) return { text: text.replace(marker, ''), status, evidence: [] }
  }
  return { text, status: 'pending', evidence: [] }
}
