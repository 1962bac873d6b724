// Reads Claude's answer back into GuidanceContent. The system prompt asks for four sections, but a
// model drifts: other heading levels, other case, "Solution Steps", "Escalate: yes" on a plain
// line, a section left out. Everything missing becomes empty; nothing here throws.

import type { GuidanceContent } from '../types.js'

type SectionKey = 'preamble' | 'rootCause' | 'solution' | 'code' | 'escalate' | 'other'
type Snippet = { language: string; code: string }

interface Section {
  key: SectionKey
  /** Heading level (1–4; 0 for the text before the first heading, 5 for a bold-line heading). */
  level: number
  /** Text after the heading on the same line ("### Escalate: false"). */
  inline: string
  lines: string[]
  blocks: Snippet[]
}

const HEADING = /^ {0,3}(#{1,4})\s+(.*?)\s*#*\s*$/
const BOLD_HEADING = /^ {0,3}\*\*([^*]+?):?\*\*:?\s*$/
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})\s*(\S*)/
const ESCALATE_LINE = /^\s*(?:[-*]\s+)?\**escalat(?:e|ion)\**\s*:\s*\**\s*(.+)$/i

function sectionKey(title: string): SectionKey {
  const name = title.toLowerCase().replace(/\*\*/g, '').replace(/\(.*?\)/g, '').replace(/\s+/g, ' ').trim()
  if (name.startsWith('root cause')) return 'rootCause'
  if (/^(solution|suggested fix|fix|steps|resolution)/.test(name)) return 'solution'
  if (/^code/.test(name)) return 'code'
  if (/^escalat/.test(name)) return 'escalate'
  return 'other'
}

function splitSections(text: string): { sections: Section[]; escalateLines: string[] } {
  const sections: Section[] = [{ key: 'preamble', level: 0, inline: '', lines: [], blocks: [] }]
  const escalateLines: string[] = []
  let fence: { marker: string; language: string; code: string[] } | undefined
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const current = sections[sections.length - 1] as Section
    if (fence) {
      // A closing fence is at least as long as the opening one, of the same character.
      if (line.trim().startsWith(fence.marker) && /^[`~]+$/.test(line.trim())) {
        current.blocks.push({ language: fence.language, code: fence.code.join('\n') })
        fence = undefined
      } else fence.code.push(line)
      continue
    }
    const open = FENCE_OPEN.exec(line)
    if (open) {
      fence = { marker: open[1] as string, language: normalizeLanguage(open[2] ?? ''), code: [] }
      continue
    }
    const heading = readHeading(line)
    // A known section always starts a new one. An unknown heading does too, unless it sits below
    // the current section's level ("#### Step 1" inside "### Solution" belongs to the solution).
    if (heading && (heading.key !== 'other' || heading.level <= current.level)) {
      sections.push({ ...heading, lines: [], blocks: [] })
      continue
    }
    const escalate = ESCALATE_LINE.exec(line)
    if (escalate) {
      escalateLines.push(escalate[1] as string)
      continue
    }
    current.lines.push(line)
  }
  // An unclosed fence still holds code: keep it rather than lose it.
  if (fence) (sections[sections.length - 1] as Section).blocks.push({ language: fence.language, code: fence.code.join('\n') })
  return { sections, escalateLines }
}

function readHeading(line: string): Pick<Section, 'key' | 'level' | 'inline'> | undefined {
  const atx = HEADING.exec(line)
  const bold = atx ? undefined : BOLD_HEADING.exec(line)
  const title = atx?.[2] ?? bold?.[1]
  if (title === undefined) return undefined
  const [name = '', ...rest] = title.split(':')
  const key = sectionKey(name)
  // A bold line is a heading only when it names one of the four sections ("**Important**" is not).
  if (bold && key === 'other') return undefined
  return { key, level: atx ? (atx[1] as string).length : 5, inline: rest.join(':').trim() }
}

function normalizeLanguage(info: string): string {
  const language = info.toLowerCase().replace(/^\[|\]$/g, '')
  return language === '' || language === 'language' ? 'text' : language
}

/** Paragraph text: trimmed, runs of blank lines collapsed to one. */
function paragraphText(lines: readonly string[]): string {
  return lines
    .join('\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

// An item starts at the margin (one space of slack); deeper lines continue the item above.
const NUMBERED = /^ ?\d+[.)]\s+(.*)$/
const BULLET = /^ ?[-*+]\s+(.*)$/

/**
 * Steps of the Solution: numbered items when there are any (indented lines and sub-bullets
 * continue the item above); else top-level bullets; else one step per paragraph.
 */
export function parseSteps(lines: readonly string[]): string[] {
  const itemPattern = lines.some((l) => NUMBERED.test(l)) ? NUMBERED : lines.some((l) => BULLET.test(l)) ? BULLET : undefined
  if (!itemPattern) return paragraphText(lines).split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean)
  const steps: string[] = []
  let current: string[] | undefined
  const intro: string[] = []
  for (const line of lines) {
    const item = itemPattern.exec(line)
    if (item) {
      if (current) steps.push(current.join('\n'))
      current = [(item[1] ?? '').trim()]
    } else if (line.trim() !== '') (current ?? intro).push(line.trim())
  }
  if (current) steps.push(current.join('\n'))
  // A lead-in such as "Do the following:" is not a step; any other text before the list is.
  const lead = intro.join(' ').trim()
  return lead === '' || lead.endsWith(':') ? steps : [lead, ...steps]
}

/** `true - reason`, `[false]`, `yes: reason`, `**No**`… Anything else reads as false. */
export function parseEscalate(text: string): { escalate: boolean; reason?: string } {
  const cleaned = text.replace(/[*`[\]]/g, '').trim()
  // The word must stand alone: an echoed template "true/false" is no answer, so it reads as false.
  const match = /^(true|false|yes|no)(?=$|[\s\-–—:,.])\s*(?:[-–—:,.]\s*)?([\s\S]*)$/i.exec(cleaned)
  if (!match) return { escalate: false }
  const escalate = /^(true|yes)$/i.test(match[1] as string)
  const reason = (match[2] ?? '').replace(/\s*\n\s*/g, ' ').trim()
  return escalate && reason !== '' ? { escalate, reason } : { escalate }
}

/** Parses the answer's Root Cause, Solution, Code and Escalate sections (missing ones are empty). */
export function parseGuidance(answer: string): GuidanceContent {
  const { sections, escalateLines } = splitSections(answer)
  const of = (key: SectionKey) => sections.filter((s) => s.key === key)
  const rootCause = paragraphText(of('rootCause').flatMap((s) => [s.inline, ...s.lines]))
  const suggestedFix = of('solution').flatMap((s) => parseSteps(s.inline === '' ? s.lines : [s.inline, ...s.lines]))
  const codeSnippets = [...of('code'), ...of('solution')].flatMap((s) => s.blocks).filter((b) => b.code.trim() !== '')
  const escalateSection = of('escalate')[0]
  const sectionText = escalateSection ? paragraphText([escalateSection.inline, ...escalateSection.lines]) : ''
  const escalateText = sectionText !== '' ? sectionText : (escalateLines[0] ?? '')
  const { escalate, reason } = parseEscalate(escalateText)
  const content: GuidanceContent = { rootCause, suggestedFix, codeSnippets, escalate }
  if (reason !== undefined) content.escalateReason = reason
  return content
}

/** True when the answer gave anything usable (else the guidance file keeps the raw answer). */
export function hasGuidance(content: GuidanceContent): boolean {
  return content.rootCause !== '' || content.suggestedFix.length > 0 || (content.codeSnippets?.length ?? 0) > 0
}
