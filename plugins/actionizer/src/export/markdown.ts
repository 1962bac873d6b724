// Markdown for one line of answer text. Answer text is data, not Markdown we vouch for: a `|`, a
// stray backtick, `<!-- … -->` or `# ` must render as the characters they are and never open a
// block, a table cell, an HTML comment or a link. Balanced code spans are kept, because answers
// quote code that way and GitHub renders it.

import { oneLine } from './text.js'

/** Characters that can start inline structure anywhere: emphasis, links, HTML, strikethrough, cells. */
const ALWAYS = /[\\*[<|~]/g
const URL = /(?:https?:\/\/|www\.)[^\s<]+/g

/** `text` (made one line) as Markdown inline content that renders to the same characters. */
export function escapeMarkdown(text: string): string {
  const line = oneLine(text)
  let out = ''
  for (const part of splitCodeSpans(line)) out += part.code ? part.text : escapeText(part.text, out.length === 0)
  return out
}

/** A code span holding `text` verbatim, fenced with more backticks than it contains. */
export function codeSpan(text: string): string {
  const content = oneLine(text)
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  // CommonMark strips one space on each side when both are there; pad when the content starts or
  // ends with a backtick (or is all spaces), so the fence stays separate from the content.
  const pad = content === '' || content.startsWith('`') || content.endsWith('`') || /^ .* $/.test(content) ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

interface Part {
  text: string
  /** Already Markdown: a code span, or an escaped unmatched backtick run. */
  code: boolean
}

/** CommonMark's rule: a run of n backticks opens a code span closed by the next run of exactly n. */
function splitCodeSpans(line: string): Part[] {
  const parts: Part[] = []
  let text = ''
  let i = 0
  while (i < line.length) {
    if (line[i] !== '`') {
      text += line[i]
      i += 1
      continue
    }
    const run = /^`+/.exec(line.slice(i))?.[0] ?? '`'
    const close = findRun(line, i + run.length, run.length)
    if (text) parts.push({ text, code: false })
    text = ''
    // An unmatched run is literal backticks: escaped here, and kept out of escapeText.
    const end = close < 0 ? i + run.length : close + run.length
    parts.push({ text: close < 0 ? '\\`'.repeat(run.length) : line.slice(i, end), code: true })
    i = end
  }
  if (text) parts.push({ text, code: false })
  return parts
}

function findRun(line: string, from: number, length: number): number {
  const pattern = /`+/g
  pattern.lastIndex = from
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) if (m[0].length === length) return m.index
  return -1
}

function escapeText(text: string, atLineStart: boolean): string {
  // A URL where GFM autolinks it is kept as it is: a backslash inside would become part of the link.
  let out = ''
  let last = 0
  for (const match of text.matchAll(URL)) {
    const at = match.index
    // GFM autolinks only after whitespace or `(`; at 0 that is the line start (else a code span).
    if (at > 0 ? !/[\s(]/.test(text[at - 1] as string) : !atLineStart) continue
    out += escapePlain(text.slice(last, at), atLineStart && last === 0) + match[0]
    last = at + match[0].length
  }
  return out + escapePlain(text.slice(last), atLineStart && last === 0)
}

function escapePlain(text: string, atLineStart: boolean): string {
  let out = text.replace(ALWAYS, '\\$&')
  // `_` only emphasises at a word edge, `&` only forms an entity: leave snake_case alone.
  out = out.replace(/_/g, (m, offset: number, all: string) => (/[\p{L}\p{N}]/u.test(all[offset - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[offset + 1] ?? '') ? m : '\\_'))
  out = out.replace(/&(?=#?\w+;)/g, '\\&')
  // Block starts: headings, quotes, lists, setext underlines, ordered lists.
  if (atLineStart) out = out.replace(/^([#>+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')
  return out
}
