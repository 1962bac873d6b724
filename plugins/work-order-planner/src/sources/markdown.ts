// The Markdown side of the PM sources: the `.md` files of a folder read in code-unit order of
// their paths, the lines of fenced code blocks, and YAML front matter that knows the file line
// of each of its keys.

import { type Dirent, readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { compareCodeUnits, resolveInside, toPosixRelative } from '@oraclekit/kernel'
import { LineCounter, type YAMLMap, isMap, isNode, isScalar, parseDocument } from 'yaml'
import { artifactInvalid } from '../errors.js'

/** What every PM reader needs: the workspace root and the declared products. */
export interface Context {
  rootDir: string
  productIds: readonly string[]
  products: ReadonlySet<string>
}

/** A Markdown file, read into lines. */
export interface MarkdownFile {
  /** Workspace-relative, for sources and errors. */
  path: string
  /** Relative to the folder it was found in. */
  rel: string
  lines: string[]
}

// ---------------------------------------------------------------------------------------------
// Files

/**
 * The `.md` files under `dir`, hidden ones skipped; a missing folder has none. Read one by one,
 * synchronously: for thousands of small files, promise-based reads cost four round trips each and
 * were ten times slower (the plan benchmark).
 */
export async function readMarkdownTree(rootDir: string, dir: string): Promise<MarkdownFile[]> {
  const base = resolveInside(rootDir, dir)
  const rels = (await listMarkdown(rootDir, base, '')).sort(compareCodeUnits)
  return rels.map((rel) => {
    const absolute = join(base, rel)
    const path = toPosixRelative(rootDir, absolute)
    return { path, rel, lines: splitLines(readText(absolute, path)) }
  })
}

async function listMarkdown(rootDir: string, base: string, rel: string): Promise<string[]> {
  let entries: Dirent[]
  try {
    entries = await readdir(join(base, rel), { withFileTypes: true })
  } catch (error) {
    // no folder, no facts of that kind
    if (rel === '' && errorCode(error) === 'ENOENT') return []
    throw artifactInvalid(toPosixRelative(rootDir, join(base, rel)), `cannot be read (${errorCode(error)})`)
  }
  const found: string[] = []
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`
    if (entry.isDirectory()) found.push(...(await listMarkdown(rootDir, base, child)))
    else if (entry.isFile() && entry.name.endsWith('.md')) found.push(child)
  }
  return found
}

function readText(absolute: string, path: string): string {
  try {
    return readFileSync(absolute, 'utf8')
  } catch (error) {
    throw artifactInvalid(path, `cannot be read (${errorCode(error)})`)
  }
}

/** The lines of a text, without a byte-order mark. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)
}

/** The `code` of a Node.js file-system error, for messages. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error'
}

/** Marks the lines of fenced code blocks: examples in code are not facts. */
export function fencedLines(lines: readonly string[]): boolean[] {
  const fenced: boolean[] = []
  let fence: string | undefined
  for (const line of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined
      fenced.push(true)
    } else {
      fenced.push(fence !== undefined)
    }
  }
  return fenced
}

// ---------------------------------------------------------------------------------------------
// Front matter

/** The YAML front matter of a Markdown file, with the file line of any of its nodes. */
export interface FrontMatter {
  map: YAMLMap
  data: Record<string, unknown>
  /** Index of the first line after the closing `---`. */
  bodyStart: number
  /** The file line of an offset into the YAML text. */
  lineAt: (offset: number) => number
}

/** The front matter between the opening `---` line and the next, when the file has one. */
export function readFrontMatter(file: MarkdownFile): FrontMatter | undefined {
  if (file.lines[0]?.trimEnd() !== '---') return undefined
  const end = file.lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---')
  if (end === -1) {
    throw artifactInvalid(file.path, 'front matter opened on line 1 is never closed', { line: 1, hint: 'End the YAML front matter with a line holding only `---`.' })
  }
  const counter = new LineCounter()
  const doc = parseDocument(file.lines.slice(1, end).join('\n'), { lineCounter: counter })
  // the YAML text starts on the file's line 2
  const lineAt = (offset: number): number => counter.linePos(offset).line + 1
  const [error] = doc.errors
  if (error) {
    const reason = error.message.split(' at line ')[0] ?? error.message
    throw artifactInvalid(file.path, `front matter is not valid YAML: ${reason}`, { line: lineAt(error.pos[0]), hint: 'Fix the YAML between the two `---` lines.' })
  }
  if (!isMap(doc.contents)) throw artifactInvalid(file.path, 'front matter is not a YAML mapping of keys to values', { line: 2 })
  let data: Record<string, unknown>
  try {
    data = doc.toJS() as Record<string, unknown>
  } catch (cause) {
    // e.g. an alias bomb; yaml refuses to expand it
    throw artifactInvalid(file.path, `front matter cannot be read: ${(cause as Error).message}`, { line: 2 })
  }
  return { map: doc.contents, data, bodyStart: end + 1, lineAt }
}

/** The file line of a YAML node, or `fallback` when it has no position. */
export function nodeLine(fm: FrontMatter, node: unknown, fallback: number): number {
  return isNode(node) && node.range ? fm.lineAt(node.range[0]) : fallback
}

/** The line of `key` in a YAML mapping node, when there is one. */
export function keyLine(fm: FrontMatter, map: unknown, key: string): number | undefined {
  if (!isMap(map)) return undefined
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key)
  return pair ? nodeLine(fm, pair.key, 1) : undefined
}

/** A front matter value that is absent, null or a string; anything else is an error at `line`. */
export function optionalString(path: string, key: string, value: unknown, line: number): string | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'string') return value.trim()
  throw artifactInvalid(path, `front matter \`${key}\` must be a string`, { line })
}

/** A YAML mapping once read: an object that is neither a list nor a date. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}
