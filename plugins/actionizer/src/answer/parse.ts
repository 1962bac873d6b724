// The answer parser: one model answer, as Markdown, read for the pack's four-part answer format.
// Real answers drift from the format (headings, numbered lines, bold labels, no labels at all) and
// carry citation noise, so sections are found by walking marked's block tokens line by line.
// Items keep their inline Markdown (backticks matter to evidence extraction); only blocks are lexed.

import { Lexer, type Token, type Tokens } from 'marked'
import type { AnswerItem, ParsedAnswer, SectionKind } from '../types.js'
import { extractEvidence } from './evidence.js'

type Via = 'headings' | 'numbered' | 'labels'
/** How a run of lines is read: which labels may start a section there, and what splits items. */
type Mode = 'heading' | 'paragraph' | 'bullet' | 'ordered' | 'row'
interface Line {
  text: string
  line: number
}
interface Label {
  kind: SectionKind
  via: Via
  inline?: string
  /** A tagged bullet (`- Unknown: …`): this item only goes to `kind`; the section stays. */
  only?: boolean
}

/**
 * Reads one answer. Never throws: what marked cannot lex (it overflows the stack on a few thousand
 * nested quotes) is read as plain lines instead.
 */
export function parseAnswer(markdown: string): ParsedAnswer {
  const prepared = prepare(String(markdown ?? ''))
  try {
    const reader = new Reader(prepared)
    readBlocks(lexBlocks(prepared.src), 1, reader)
    return reader.result()
  } catch {
    const fallback = new Reader(prepared)
    readLines(linesOf(prepared.src, 1), 'paragraph', fallback)
    return fallback.result()
  }
}

/** The answer with citation markers and blank-looking lines wiped (line numbers kept), and what was wiped. */
interface Prepared {
  src: string
  /** Lines that held only citation markers. */
  markerLines: number
  /** 1-based lines of only spaces, nbsp or zero-width characters: noise, unless inside code. */
  blankLines: number[]
  /** Lines without spaces that occur three times or more: source labels pasted after paragraphs. */
  repeated: ReadonlySet<string>
}

function prepare(markdown: string): Prepared {
  const lines = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n')
  const markers = mayHaveMarker(markdown)
  let markerLines = 0
  const blankLines: number[] = []
  const counts = new Map<string, number>()
  lines.forEach((raw, k) => {
    if (raw === '') return
    const line = markers && mayHaveMarker(raw) ? raw.replace(CITATION_MARKERS, '') : raw
    if (BLANK.test(line)) {
      if (line === raw) blankLines.push(k + 1)
      else markerLines += 1
      lines[k] = ''
      return
    }
    lines[k] = line
    if (line.length > 90) return
    const trimmed = line.trim()
    if (trimmed.length <= 80 && !/[\s/`]/.test(trimmed) && /[A-Za-z]/.test(trimmed)) counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1)
  })
  const repeated = new Set([...counts].filter(([, n]) => n >= 3).map(([line]) => line))
  return { src: lines.join('\n'), markerLines, blankLines, repeated }
}

class Reader {
  readonly sections: Record<SectionKind, AnswerItem[]> = { direct_answer: [], risks: [], next_experiment: [], missing_evidence: [] }
  section: SectionKind = 'direct_answer'
  readonly via = new Set<Via>()
  readonly code: Array<[number, number]> = []
  noise = 0
  constructor(readonly prepared: Prepared) {}

  add(lines: readonly Line[]): void {
    const text = normalize(lines.map((l) => l.text.trim()).join(' '))
    if (text) this.sections[this.section].push({ text, line: lines[0]!.line })
  }

  result(): ParsedAnswer {
    const items = Object.values(this.sections).flat()
    const missing = missingPaths(this.sections)
    const blank = this.prepared.blankLines.filter((line) => !this.code.some(([from, to]) => line >= from && line <= to))
    return {
      sections: this.sections,
      shape: this.via.size === 0 ? 'free-form' : this.via.size > 1 ? 'mixed' : [...this.via][0]!,
      // an answer that names missing files and answers nothing has said so without the words
      insufficient: items.some((item) => saysInsufficient(item.text)) || (missing.length > 0 && this.sections.direct_answer.length === 0),
      missing,
      noiseLines: this.noise + this.prepared.markerLines + blank.length,
      empty: items.length === 0,
    }
  }
}

function lexBlocks(src: string): Token[] {
  // Fresh options: marked.use() elsewhere in the process must not change how answers read.
  const lexer = new Lexer({ async: false, breaks: false, gfm: true, pedantic: false, silent: false })
  return lexer.blockTokens(src, [])
}

function readBlocks(tokens: readonly Token[], firstLine: number, r: Reader): void {
  let line = firstLine
  for (const token of tokens) {
    readBlock(token, line, r)
    line += newlines(token.raw)
  }
}

function readBlock(token: Token, line: number, r: Reader): void {
  switch (token.type) {
    case 'heading':
      return readLines([{ text: String(token.text).replace(/\n/g, ' '), line }], 'heading', r)
    case 'paragraph':
    case 'text':
      return readLines(linesOf(token.raw, line), 'paragraph', r)
    case 'list':
      return readList(token as Tokens.List, line, r)
    case 'blockquote':
      return readBlocks((token as Tokens.Blockquote).tokens, line, r)
    case 'code':
      return readCode(token as Tokens.Code, line, r)
    case 'table':
      return readTable(token as Tokens.Table, line, r)
    case 'html':
      if (/^\s*<!--/.test(token.raw)) return
      return readLines(linesOf(token.raw.replace(/<\/?[A-Za-z][^>\n]*>/g, ''), line), 'paragraph', r)
    case 'def':
      r.noise += linesOf(token.raw, line).filter((l) => l.text.trim()).length
      return
    default:
      return
  }
}

function readList(list: Tokens.List, line: number, r: Reader): void {
  let at = line
  for (const item of list.items) {
    readListItem(item, at, list.ordered, r)
    at += newlines(item.raw)
  }
}

/** An item's own text is its text runs; nested lists, code and quotes follow as items of their own. */
function readListItem(item: Tokens.ListItem, line: number, ordered: boolean, r: Reader): void {
  const markerOnly = /^\s*(?:[*+-]|\d{1,9}[.)])[ \t]*(?:\n|$)/.test(item.raw)
  let at = markerOnly ? line + 1 : line
  const own: Line[] = []
  const children: Array<[Token, number]> = []
  for (const child of item.tokens ?? []) {
    if (child.type === 'text' || child.type === 'paragraph') own.push(...linesOf(child.raw, at))
    else children.push([child, at])
    at += newlines(child.raw)
  }
  readLines(own, ordered ? 'ordered' : 'bullet', r)
  for (const [child, childLine] of children) readBlock(child, childLine, r)
}

function readCode(token: Tokens.Code, line: number, r: Reader): void {
  r.code.push([line, line + newlines(token.raw.trimEnd())])
  const body = String(token.text ?? '').split('\n').map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, '')
  if (body.trim()) r.sections[r.section].push({ text: `\`\`\`${token.lang ?? ''}\n${body}\n\`\`\``, line })
}

function readTable(table: Tokens.Table, line: number, r: Reader): void {
  const rows = table.rows.length > 0 ? table.rows : [table.header]
  const first = table.rows.length > 0 ? line + 2 : line
  rows.forEach((cells, k) => {
    const text = cells.map((cell) => String(cell.text).trim()).filter(Boolean).join(' | ')
    readLines([{ text, line: first + k }], 'row', r)
  })
}

function readLines(lines: readonly Line[], mode: Mode, r: Reader): void {
  let run: Line[] = []
  let first = true
  let restore: SectionKind | undefined
  const flush = (): void => {
    if (run.length > 0) r.add(run)
    run = []
  }
  for (const { text, line } of lines) {
    if (BLANK.test(text)) {
      if (mode === 'paragraph') flush()
      continue
    }
    const label = mode === 'row' ? undefined : matchLabel(text, mode, first)
    first = false
    if (label?.only) {
      flush()
      restore = r.section
      r.section = label.kind
      run.push({ text: label.inline ?? '', line })
    } else if (label) {
      flush()
      r.section = label.kind
      r.via.add(label.via)
      if (label.inline) run.push({ text: label.inline, line })
    } else if (isCitationLabel(text.trim(), r.prepared.repeated)) {
      r.noise += 1
      if (mode === 'paragraph') flush()
    } else {
      run.push({ text, line })
    }
  }
  flush()
  if (restore) r.section = restore
}

// ---- labels -------------------------------------------------------------------------------

const ALIASES: ReadonlyArray<[SectionKind, RegExp]> = [
  ['missing_evidence', /^(?:if\s+(?:the\s+)?evidence\s+is\s+insufficient|missing\s+(?:evidence|inputs?|files?|context|information)|evidence\s+gaps?|(?:files?|evidence)\s+to\s+attach(?:\s+next)?)\b/i],
  ['next_experiment', /^(?:(?:the\s+)?next\s+(?:smallest\s+)?(?:concrete\s+)?experiments?|(?:(?:smallest|suggested|proposed|recommended|concrete)\s+)*experiments?|next\s+steps?)\b/i],
  ['risks', /^(?:(?:key|main|open)\s+)?(?:risks?(?:\s*(?:\/|&|\+|and|,)\s*(?:unknowns?|open\s+questions|caveats|assumptions))?|unknowns?|open\s+questions|caveats)\b/i],
  ['direct_answer', /^(?:(?:(?:direct|short|brief|final|quick)\s+)?answers?|tl;?\s?dr|bottom\s+line)\b/i],
]
/** `1)`, `1.`, `(1)`, `#1`, `iv.`, `b)`, `Step 2:` before a label. */
const NUMBERING = /^(?:\(?\d{1,2}[.)]|\(\d{1,2}\)|#\d{1,2}\b[.):]?|\(?(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]|\(?[a-d][.)]|(?:step|part|section)\s+\d{1,2}\s*[.):—–-]?)\s*/i
/** Nothing after the label but a qualifier, a colon and closing emphasis: `Risks/unknowns (bullets):`. */
const PURE = /^[*_]{0,3}\s*(?:\([^()]*\))?\s*[*_]{0,3}\s*[:.]?\s*[*_]{0,3}\s*$/
/** Text after the label and a separator: `**Short answer:** we would…`, `Direct answer — yes…`. */
const INLINE = /^[*_]{0,3}\s*(?:\([^()]*\))?\s*(?:,[^:—–\n]{1,80}?)?\s*[*_]{0,3}\s*(?::|—|–|--|\s-\s)\s*[*_]{0,3}\s*(\S[\s\S]*)$/
/** A remark on the format's suggested experiment, not an experiment: `— changed from the suggestion`. */
const SUGGESTION_NOTE = /^(?:(?:changed|differs?|different|deviates?|kept|unchanged|same)\b[^.]{0,40}\bsuggest\w*|(?:kept\s+)?as\s+(?:suggested|proposed)|may differ from the suggested one\b.*)[.)]?$/i
const WHOLE_BOLD = /^(\*\*|__)(.+?)\1\s*:?\s*$/

const TAGGED_BULLET = /^(unknowns?|open questions?|risks?|caveats?|next(?: steps?| experiments?)?|missing) ?: ?(\S.*)$/i
const TAG_KINDS: ReadonlyArray<[SectionKind, RegExp]> = [
  ['risks', /^(?:unknown|open|risk|caveat)/i],
  ['next_experiment', /^next/i],
  ['missing_evidence', /^missing/i],
]

/** First words of the aliases: most lines are rejected on this alone. */
const LABEL_WORDS = new Set(
  ('answer answers direct short brief final quick tl tldr bottom risk risks key main open unknown unknowns caveats next ' +
    'experiment experiments smallest suggested proposed recommended concrete missing evidence files file').split(' '),
)
const FIRST_WORD = /^[^A-Za-z]{0,6}([A-Za-z]+)/
const RARE_STARTS = /^[^A-Za-z]{0,6}(?:the\s+next|if\s+(?:the\s+)?evidence)\b/i

function matchLabel(line: string, mode: Mode, first: boolean): Label | undefined {
  let numbered = false
  const unnumber = (text: string): string => {
    const numbering = NUMBERING.exec(text)
    if (numbering) numbered = true
    return numbering ? text.slice(numbering[0].length) : text
  }
  let text = unnumber(line.trim())
  const word = FIRST_WORD.exec(text)
  if (!word || (!LABEL_WORDS.has(word[1]!.toLowerCase()) && !RARE_STARTS.test(text))) return undefined
  // single spaces keep the patterns below linear (runs of \s* side by side backtrack on long gaps)
  text = text.replace(/\s+/g, ' ')
  const bold = WHOLE_BOLD.exec(text)
  // a heading, or a line bold from end to end, is a label whatever follows the alias
  const lenient = mode === 'heading' || bold !== null
  const emphasised = /^(?:\*\*|__)\S/.test(text)
  // numbering may sit inside the emphasis too: `**1) Direct answer:**`
  const head = unnumber((bold ? bold[2]! : text).replace(/^[*_]{1,3}(?=\S)/, ''))
  const via: Via = mode === 'heading' ? 'headings' : numbered || (mode === 'ordered' && first) ? 'numbered' : 'labels'
  if (mode === 'bullet' && first && !emphasised) {
    // free-form answers tag single bullets: `- Unknown: who imports it`, `- Next: run tsc`
    const tag = TAGGED_BULLET.exec(head)
    const kind = tag && TAG_KINDS.find(([, word]) => word.test(tag[1]!))?.[0]
    if (kind) return { kind, via, inline: tag[2]!, only: true }
  }
  for (const [kind, alias] of ALIASES) {
    const m = alias.exec(head)
    if (!m) continue
    const rest = head.slice(m[0].length)
    if (PURE.test(rest)) return { kind, via }
    // a bullet that merely starts `Unknown: …` is a finding, unless the label is set in bold
    const inline = mode === 'bullet' && first && !emphasised ? null : INLINE.exec(rest)
    if (inline && SUGGESTION_NOTE.test(inline[1]!)) return { kind, via }
    if (inline) return { kind, via, inline: inline[1]!.replace(/\s*[*_]{2}\s*$/, '') }
    if (lenient) return { kind, via }
    // the format's own wording: "If evidence is insufficient, name the exact missing file/path…"
    if (kind === 'missing_evidence' && /^if\b/i.test(head) && /^,[^:]*$/.test(rest)) return { kind, via }
    return undefined
  }
  return undefined
}

// ---- noise --------------------------------------------------------------------------------

/** `【4:0†retry.ts】`, `[4:0†source]`, `:contentReference[oaicite:3]{index=3}`, private-use cite runs. */
const CITATION_MARKERS = /【[^】\n]{0,300}】|\[\d+(?::\d+)?†[^\]\n]{0,200}\]|:contentReference\[oaicite:\d+\](?:\{index=\d+\})?|\uE200[^\uE201\n]{0,300}\uE201/g
const BLANK = /^[\s\u200B\u2060]*$/

function mayHaveMarker(line: string): boolean {
  return line.includes('】') || line.includes('†') || line.includes(':contentReference') || line.includes('\uE200')
}

/** A line that is only a source label: `[1]`, `Oraclepack_Compatibility_Issues`, `oracle-llms-full`. */
function isCitationLabel(text: string, repeated: ReadonlySet<string>): boolean {
  if (/^(?:\[\^?\d{1,3}\][\s,;]*)+$/.test(text)) return true
  if (/\s/.test(text)) return false
  if (repeated.has(text)) return true
  return /^[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+$/.test(text) && (text.includes('_') || (text.match(/-/g)?.length ?? 0) >= 2)
}

// ---- insufficient and missing -------------------------------------------------------------

/** Ways of saying the evidence does not suffice. */
const INSUFFICIENT: readonly RegExp[] = [
  /\b(?:evidence|files?|code|context|information|material|inputs?|excerpts?|attachments?)\s+(?:(?:provided|attached|given|shown)\s+)?(?:is|are|was|were|remains?|seems?)\s+(?:still\s+|currently\s+|clearly\s+)?(?:insufficient|not\s+sufficient|not\s+enough|inadequate)\b/i,
  /\binsufficient\s+(?:evidence|context|information|data|material)\b/i,
  /\bnot\s+enough\s+(?:evidence|context|information|data)\b/i,
  /\b(?:cannot|can't|can\s+not)\s+(?:be\s+)?(?:determine|confirm|verif|tell|answer|say|establish)\w*\b[^.]{0,80}?\bfrom\s+(?:the\s+|these\s+)?(?:attached|provided|available|given|supplied)\b/i,
  /\b(?:attached|provided)\s+(?:files?|code|evidence|material)\s+(?:cannot|can't|can\s+not|do\s+not|don't)\s+(?:answer|show|tell|determine|settle)\b/i,
  /\bneed\s+to\s+see\b/i,
  /\battach\s+next\b/i,
  /\bmissing\s+evidence\s*:\s*(?!none\b|n\/?a\b|nothing\b)\S/i,
]

/** Words one of which each pattern above needs: one cheap look first, which most items fail. */
const INSUFFICIENT_HINT = /sufficient|enough|inadequate|can(?:no|'|’)t|can not|do not|don't|to see|attach|missing/i

function saysInsufficient(text: string): boolean {
  return INSUFFICIENT_HINT.test(text) && INSUFFICIENT.some((re) => re.test(text))
}

/** A sentence outside the missing-evidence section that asks for more input. */
const ASKS_FOR_INPUT = /\bmissing\s+(?:evidence|inputs?|files?|context)\b|\battach(?:\s+next|\s*:)|\bneed(?:s|ed)?\s+to\s+see\b|\bplease\s+(?:attach|provide|share)\b/i

const STARTS_MISSING = /^\W*missing\s*:/i

function asksForInput(text: string): boolean {
  return STARTS_MISSING.test(text) || ASKS_FOR_INPUT.test(text)
}

const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|etc|vs|cf))(?<=[.!?])\s+(?=[A-Z(“"])/

function missingPaths(sections: Record<SectionKind, AnswerItem[]>): string[] {
  const found = new Set<string>()
  for (const item of sections.missing_evidence) namedPaths(item.text).forEach((p) => found.add(p))
  for (const kind of ['direct_answer', 'risks', 'next_experiment'] as const) {
    for (const item of sections[kind]) {
      if (!asksForInput(item.text)) continue
      for (const sentence of item.text.split(SENTENCE_END)) {
        if (asksForInput(sentence)) namedPaths(sentence).forEach((p) => found.add(p))
      }
    }
  }
  // `./retry.js` in "files that import `./retry.js`" is an import specifier, not a file to attach
  return [...found].filter((path) => !/^\.\.?\//.test(path))
}

/** Paths in `text`; when some are backticked, only those (prose around them names files in passing). */
function namedPaths(text: string): string[] {
  const quoted = [...text.matchAll(/`[^`\n]+`/g)].map((m) => m[0]).join(' ')
  const fromQuoted = quoted ? extractEvidence(quoted).paths : []
  return fromQuoted.length > 0 ? fromQuoted : extractEvidence(text).paths
}

// ---- text ---------------------------------------------------------------------------------

function linesOf(raw: string, firstLine: number): Line[] {
  const parts = raw.split('\n')
  if (parts.length > 1 && parts.at(-1) === '') parts.pop()
  return parts.map((text, k) => ({ text, line: firstLine + k }))
}

function newlines(text: string): number {
  let count = 0
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1
  return count
}

function normalize(text: string): string {
  // most items are one line with single spaces: skip the replace for them
  const spaced = text.includes('  ') || text.includes('\t') || text.includes('\u00A0') || text.includes('\u200B')
  return spaced ? text.replace(/[\s\u200B\u2060]+/g, ' ').trim() : text.trim()
}

