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
 * factory's options appear in the source as call arguments, not under an `options` key).
 */
export async function locateProblems(problems: Problem[], source: SourceText, remap: (pointer: string) => string = (p) => p): Promise<Problem[]> {
  const locate = source.kind === 'json' ? await jsonLocator(source.text) : codeLocator(source.text)
  return problems.map((problem) => {
    if (problem.pointer === undefined || problem.line !== undefined) return problem
    const position = locate([...(source.at ?? []), ...pointerToSegments(remap(problem.pointer))])
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
    let position = -1
    for (const segment of segments) {
      if (typeof segment === 'number') continue
      const key = segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      const pattern = new RegExp(`(?:^|[\\s{,(])(["'\`]?)${key}\\1\\s*:`, 'gm')
      pattern.lastIndex = Math.max(position, 0)
      const match = pattern.exec(text)
      // Give no line rather than a wrong one when a key cannot be followed (spreads, variables).
      if (!match) return undefined
      position = match.index + match[0].indexOf(segment)
    }
    if (position < 0) return undefined
    const before = text.slice(0, position)
    const line = before.split('\n').length
    return { line, column: position - before.lastIndexOf('\n') }
  }
}
