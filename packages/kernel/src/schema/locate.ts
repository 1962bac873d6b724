import type { Problem } from '../errors/oracle-error.js'
import { type PathSegment, pointerToSegments } from './json-path.js'

export interface SourceText {
  file: string
  text: string
  /** JSON is located exactly through a parser; code is located by following keys through the text. */
  kind: 'json' | 'code'
  /** Path of the checked document inside the file (e.g. ['oracle'] for package.json). */
  at?: readonly PathSegment[]
}

/**
 * Fills in `line`/`column` of problems whose place can be found in the source text. `remap` turns
 * a problem's pointer into the pointer to search for, when the value was built by code (a plugin
 * factory's options appear in the source as call arguments, not under an `options` key); the
 * pointer itself is tried when the remapped one leads nowhere (an inline plugin object).
 */
export async function locateProblems(problems: Problem[], source: SourceText, remap: (pointer: string) => string = (p) => p): Promise<Problem[]> {
  // Building a locator parses the whole text: not worth it when there is nothing to place.
  if (!problems.some((problem) => problem.pointer !== undefined && problem.line === undefined)) return problems
  const locate = source.kind === 'json' ? await jsonLocator(source.text) : codeLocator(source.text)
  return problems.map((problem) => {
    if (problem.pointer === undefined || problem.line !== undefined) return problem
    const at = (pointer: string) => locate([...(source.at ?? []), ...pointerToSegments(pointer)])
    const remapped = remap(problem.pointer)
    const position = at(remapped) ?? (remapped === problem.pointer ? undefined : at(problem.pointer))
    return position ? { ...problem, file: problem.file ?? source.file, ...position } : problem
  })
}

type Locator = (segments: PathSegment[]) => { line: number; column: number } | undefined

async function jsonLocator(text: string): Promise<Locator> {
  const { LineCounter, parseDocument, isMap, isPair, isScalar } = await import('yaml')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false })
  return (segments) => {
    // Walk down as far as the document goes; an unknown or missing key points at its parent.
    let node: unknown = doc.contents
    let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0]
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))
        if (!pair) break
        offset = (pair.key as { range?: [number] }).range?.[0] ?? offset
        node = pair.value
      } else if (node && typeof node === 'object' && 'items' in node && typeof segment === 'number') {
        const item = (node as { items: unknown[] }).items[segment]
        if (!item) break
        offset = (item as { range?: [number] }).range?.[0] ?? offset
        node = item
      } else break
    }
    if (offset === undefined) return undefined
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
}

function codeLocator(text: string): Locator {
  return (segments) => {
    // The first key is searched anywhere (the config object may sit inside defineConfig(...) or a
    // function); each later step stays inside the value found by the step before it.
    let position = -1
    let region: [number, number] = [0, text.length]
    for (const [index, segment] of segments.entries()) {
      const found = typeof segment === 'number' ? elementAt(text, region, segment) : index === 0 ? firstKey(text, segment) : memberOf(text, region, segment)
      // Give no line rather than a wrong one when a step cannot be followed (spreads, variables,
      // a missing key, a key written twice).
      if (!found) return undefined
      position = found.at
      region = [found.valueStart, valueEnd(text, found.valueStart)]
    }
    if (position < 0) return undefined
    const before = text.slice(0, position)
    const line = before.split('\n').length
    return { line, column: position - before.lastIndexOf('\n') }
  }
}

interface Step {
  /** Where the key (or the array element) starts. */
  at: number
  valueStart: number
}

const keyPattern = (key: string, flags: string): RegExp => new RegExp(`(["'\`]?)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1\\s*:(?!:)`, flags)

/** The first place `key:` is written as code (not in a string or comment), at any depth. */
function firstKey(text: string, key: string): Step | undefined {
  const pattern = keyPattern(key, 'y')
  for (let i = 0; i < text.length; i++) {
    if (/[\s{,(]/.test(text[i - 1] ?? ' ')) {
      pattern.lastIndex = i
      const match = pattern.exec(text)
      if (match) return { at: i + (match[1] as string).length, valueStart: pattern.lastIndex }
    }
    i = Math.max(i, skipLiteral(text, i) - 1)
  }
  return undefined
}

/** The key written directly in the object literal(s) of `region` (not in nested ones); unique or nothing. */
function memberOf(text: string, [start, end]: [number, number], key: string): Step | undefined {
  const pattern = keyPattern(key, 'y')
  let depth = 0
  let found: Step | undefined
  for (let i = start; i < end; i++) {
    if (depth === 1 && /[\s{,(]/.test(text[i - 1] ?? '')) {
      pattern.lastIndex = i
      const match = pattern.exec(text)
      if (match) {
        if (found) return undefined
        found = { at: i + (match[1] as string).length, valueStart: pattern.lastIndex }
      }
    }
    const skipped = skipLiteral(text, i)
    if (skipped > i) {
      i = skipped - 1
      continue
    }
    const c = text[i] as string
    if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
  }
  return found
}

/** Element `index` of the array literal that `region` starts with; nothing after a spread. */
function elementAt(text: string, [start, end]: [number, number], index: number): Step | undefined {
  let i = skipSpace(text, start)
  if (text[i] !== '[') return undefined
  for (let n = 0; i < end; n++) {
    const elementStart = skipSpace(text, i + 1)
    if (elementStart >= end || text[elementStart] === ']' || text.startsWith('...', elementStart)) return undefined
    if (n === index) return { at: elementStart, valueStart: elementStart }
    i = valueEnd(text, elementStart)
    if (text[i] !== ',') return undefined
  }
  return undefined
}

/** Where the expression starting at `start` ends: at a comma or closing bracket of its parent. */
function valueEnd(text: string, start: number): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const skipped = skipLiteral(text, i)
    if (skipped > i) {
      i = skipped - 1
      continue
    }
    const c = text[i] as string
    if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i
      depth--
    } else if ((c === ',' || c === ';') && depth === 0) return i
  }
  return text.length
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++
    const skipped = text.startsWith('//', i) || text.startsWith('/*', i) ? skipLiteral(text, i) : i
    if (skipped === i) return i
    i = skipped
  }
}

/** The index after a string, template literal or comment starting at `i` (or `i` if none does). */
function skipLiteral(text: string, i: number): number {
  const c = text[i]
  if (c === '/' && text[i + 1] === '/') return lineEnd(text, i)
  if (c === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2)
    return close < 0 ? text.length : close + 2
  }
  if (c !== '"' && c !== "'" && c !== '`') return i
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++
    else if (text[j] === c) return j + 1
    else if (c === '`' && text.startsWith('${', j)) j = valueEnd(text, j + 2)
    else if (c !== '`' && text[j] === '\n') return j
  }
  return text.length
}

function lineEnd(text: string, i: number): number {
  const end = text.indexOf('\n', i)
  return end < 0 ? text.length : end
}
