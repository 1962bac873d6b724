// Specs: the Pending rows of traceability tables (a Requirement and a Status column), each
// attributed to a product through front matter, a `Product:` or `Dossier:` line near the top, or
// the folder the spec sits in.

import { type OracleError, suggest } from '@oraclekit/kernel'
import { artifactInvalid, unknownProduct } from '../errors.js'
import type { Dossier, PendingRequirement } from '../types.js'
import { type Context, type FrontMatter, type MarkdownFile, fencedLines, keyLine, optionalString, readFrontMatter, readMarkdownTree } from './markdown.js'

// Header names are compared lower-cased, without `*`; the first name found wins.
const REQUIREMENT_COLUMNS = ['requirement', 'requirement id', 'req', 'req id']
const COMPONENT_COLUMNS = ['file/component', 'component', 'file']
const TEST_COLUMNS = ['test case', 'test', 'tests']
const PENDING_WORDS = new Set(['pending', 'todo', 'not started', 'open', '⏳'])

// `Product:` / `Dossier:` lines count only near the top, where a spec says what it is about.
const HEADER_LINES = 40
const PRODUCT_LABEL = /^\s*(?:[-*]\s+)?product(?: id)?\s*:\s*(.+)$/i
const DOSSIER_LABEL = /^\s*(?:[-*]\s+)?dossier(?: id)?\s*:\s*(.+)$/i

interface Columns {
  requirement: number
  status: number
  component: number
  test: number
}

interface PendingRow {
  line: number
  requirement: string
  component: string
  test: string
}

interface SpecRef {
  id: string
  line: number
}

/** The pending requirements of the specs under `dir`, in file and row order. */
export async function readSpecs(ctx: Context, dir: string, dossiers: ReadonlyMap<string, Dossier>): Promise<PendingRequirement[]> {
  const pending: PendingRequirement[] = []
  for (const file of await readMarkdownTree(ctx.rootDir, dir)) pending.push(...specPending(ctx, file, dossiers))
  return pending
}

function specPending(ctx: Context, file: MarkdownFile, dossiers: ReadonlyMap<string, Dossier>): PendingRequirement[] {
  const fm = readFrontMatter(file)
  const bodyStart = fm?.bodyStart ?? 0
  const product = frontMatterRef(file.path, fm, 'product_id') ?? labelledRef(file.lines, bodyStart, PRODUCT_LABEL)
  const dossier = frontMatterRef(file.path, fm, 'dossier_id') ?? labelledRef(file.lines, bodyStart, DOSSIER_LABEL)
  if (product && !ctx.products.has(product.id)) throw unknownProduct(file.path, product.id, ctx.productIds, product.line)
  const rows = pendingRows(file.lines, bodyStart)
  const [first] = rows
  if (first === undefined) return []
  const product_id = product?.id ?? (dossier && dossiers.get(dossier.id)?.product_id) ?? folderProduct(ctx, file.rel)
  if (product_id === undefined) throw noProduct(file.path, dossier, first.line, dossiers)
  return rows.map((row) => ({
    product_id,
    requirement: row.requirement,
    component: row.component,
    test: row.test,
    dossier_id: dossier?.id ?? null,
    source: `${file.path}:${row.line}`,
  }))
}

function frontMatterRef(path: string, fm: FrontMatter | undefined, key: string): SpecRef | undefined {
  if (!fm) return undefined
  const line = keyLine(fm, fm.map, key) ?? 1
  const id = optionalString(path, key, fm.data[key], line)
  return id ? { id, line } : undefined
}

function labelledRef(lines: readonly string[], from: number, label: RegExp): SpecRef | undefined {
  const end = Math.min(lines.length, from + HEADER_LINES)
  for (let i = from; i < end; i++) {
    // `**Product:** x` and `**Product**: x` read as `Product: x`
    const value = label.exec((lines[i] ?? '').replaceAll('**', ''))?.[1]
    const id = value === undefined ? undefined : refValue(value)
    if (id) return { id, line: i + 1 }
  }
  return undefined
}

/** The id in `[id](link)`, `` `id` `` or `id (a note)`, without trailing punctuation. */
function refValue(raw: string): string | undefined {
  const text = raw.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`"']/g, '').trim()
  return text.split(/\s+/)[0]?.replace(/[.,;:]+$/, '') || undefined
}

/** The nearest enclosing folder named like a declared product: `specs/<product_id>/…`. */
function folderProduct(ctx: Context, rel: string): string | undefined {
  const folders = rel.split('/').slice(0, -1)
  return folders.reverse().find((folder) => ctx.products.has(folder))
}

function noProduct(path: string, dossier: SpecRef | undefined, rowLine: number, dossiers: ReadonlyMap<string, Dossier>): OracleError {
  if (dossier) {
    const near = suggest(dossier.id, [...dossiers.keys()])
    return artifactInvalid(path, `has pending traceability rows, and its dossier "${dossier.id}" is not among the dossiers read`, {
      line: dossier.line,
      hint: near ? `Did you mean "${near}"? Or add \`Product: <id>\` near the top.` : 'Fix the dossier id, or add `Product: <id>` near the top.',
    })
  }
  return artifactInvalid(path, 'has pending traceability rows but names no product', {
    line: rowLine,
    hint: 'Add `Product: <id>` near the top, or `Dossier: <id>` of a dossier that names it.',
  })
}

/** The Pending rows of every table with a Requirement and a Status column. */
function pendingRows(lines: readonly string[], from: number): PendingRow[] {
  const fenced = fencedLines(lines)
  const rows: PendingRow[] = []
  let columns: Columns | undefined
  for (let i = from; i < lines.length; i++) {
    const text = fenced[i] ? '' : (lines[i] ?? '').trim()
    if (!text.startsWith('|')) {
      columns = undefined
    } else if (isSeparator(lines[i + 1])) {
      // a header row: the table is one of ours if it names the columns we need
      columns = traceColumns(splitCells(text))
      i++
    } else if (columns) {
      const row = pendingRow(splitCells(text), columns, i + 1)
      if (row) rows.push(row)
    }
  }
  return rows
}

function pendingRow(cells: readonly string[], columns: Columns, line: number): PendingRow | undefined {
  const cell = (index: number): string => cells[index] ?? ''
  const status = cell(columns.status).replaceAll('*', '').replace(/\s+/g, ' ').toLowerCase()
  const pending = PENDING_WORDS.has(status) || PENDING_WORDS.has(status.replace(/^⏳\uFE0F?\s*/u, ''))
  if (!pending || cell(columns.requirement) === '') return undefined
  return { line, requirement: cell(columns.requirement), component: cell(columns.component), test: cell(columns.test) }
}

function traceColumns(header: readonly string[]): Columns | undefined {
  const names = header.map((cell) => cell.replaceAll('*', '').replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').toLowerCase())
  const find = (candidates: readonly string[]): number => candidates.map((name) => names.indexOf(name)).find((index) => index >= 0) ?? -1
  const requirement = find(REQUIREMENT_COLUMNS)
  const status = names.indexOf('status')
  if (requirement < 0 || status < 0) return undefined
  return { requirement, status, component: find(COMPONENT_COLUMNS), test: find(TEST_COLUMNS) }
}

function isSeparator(line: string | undefined): boolean {
  const text = line?.trim() ?? ''
  return text.startsWith('|') && text.includes('-') && splitCells(text).every((cell) => /^:?-+:?$/.test(cell))
}

/** The cells of a `| a | b |` row: split on unescaped pipes, trimmed, backticks dropped. */
function splitCells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '')
  return inner.split(/(?<!\\)\|/).map((cell) => cell.replaceAll('\\|', '|').replaceAll('`', '').trim())
}
