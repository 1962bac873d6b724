// The little Markdown the context loader needs, read line by line: headings, GFM task-list items
// and bullets, with their 1-based lines. A full parser (marked, remark) gives a tree without line
// numbers, and the loader's whole point is to say "tasks.md line 14"; fenced code is skipped so a
// checkbox inside an example is not taken for a task.

/** One line of interest of a Markdown document. */
export type MarkdownLine =
  | { kind: 'heading'; line: number; level: number; text: string }
  | { kind: 'checkbox'; line: number; indent: number; checked: boolean; text: string }
  | { kind: 'bullet'; line: number; indent: number; text: string }
  | { kind: 'text'; line: number; text: string }

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/
const CHECKBOX = /^(\s*)[-*+]\s+\[([ xX])\]\s+(.*\S)\s*$/
const BULLET = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*\S)\s*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/

/** The document's headings, checkboxes, bullets and other non-blank lines, outside fenced code. */
export function scanMarkdown(text: string): MarkdownLine[] {
  const out: MarkdownLine[] = []
  let fence: string | undefined
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    const fenceMatch = FENCE.exec(raw)
    if (fenceMatch?.[1]) {
      const marker = fenceMatch[1]
      if (fence === undefined) fence = marker
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined
      return
    }
    if (fence !== undefined || raw.trim() === '') return
    const heading = HEADING.exec(raw)
    if (heading?.[1]) {
      out.push({ kind: 'heading', line, level: heading[1].length, text: heading[2] ?? '' })
      return
    }
    const checkbox = CHECKBOX.exec(raw)
    if (checkbox) {
      out.push({ kind: 'checkbox', line, indent: indentOf(checkbox[1] ?? ''), checked: checkbox[2] !== ' ', text: checkbox[3] ?? '' })
      return
    }
    const bullet = BULLET.exec(raw)
    if (bullet) out.push({ kind: 'bullet', line, indent: indentOf(bullet[1] ?? ''), text: bullet[2] ?? '' })
    else out.push({ kind: 'text', line, text: raw.trim() })
  })
  return out
}

// A tab counts as 4 columns, as CommonMark has it for list nesting.
const indentOf = (space: string): number => space.replace(/\t/g, '    ').length

/** A heading and the text under it, up to the next heading of any level. */
export interface MarkdownSection {
  heading: string
  level: number
  /** 1-based line of the heading (1 for text before the first heading). */
  line: number
  /** The section's text, heading included. */
  text: string
}

/** Splits a document at its headings (outside fenced code); text before the first heading is a section of level 0. */
export function splitSections(text: string): MarkdownSection[] {
  const lines = text.split(/\r?\n/)
  const starts = scanMarkdown(text).filter((l): l is Extract<MarkdownLine, { kind: 'heading' }> => l.kind === 'heading')
  const sections: MarkdownSection[] = []
  const firstLine = starts[0]?.line ?? lines.length + 1
  const preamble = lines.slice(0, firstLine - 1).join('\n').trim()
  if (preamble !== '') sections.push({ heading: '', level: 0, line: 1, text: preamble })
  starts.forEach((start, i) => {
    const end = (starts[i + 1]?.line ?? lines.length + 1) - 1
    sections.push({ heading: start.text, level: start.level, line: start.line, text: lines.slice(start.line - 1, end).join('\n').trimEnd() })
  })
  return sections
}

/** Bold and code markers removed, for matching keys and titles. */
export const plain = (text: string): string => text.replace(/\*\*|__|`/g, '').trim()
