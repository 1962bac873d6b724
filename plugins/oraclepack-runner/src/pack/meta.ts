// The `[oraclepack-meta] … [/oraclepack-meta]` block a step's prompt may carry: the question's id,
// category, reference and expected artifacts, inside the `-p` text so that no pack header changes
// and old packs stay valid. Read leniently (one line or several, `Key=value` or `Key: value`),
// written canonically (one `Key=value` a line, in META_KEYS order).

import { META_CLOSE, META_KEYS, META_OPEN, type MetaKey } from './rules.js'
import type { Finding } from './types.js'

/** The metadata block of a step's prompt. */
export interface StepMeta {
  questionId?: string
  category?: string
  reference?: string
  /** `ExpectedArtifacts`, comma-separated in the block; `none` or empty means []. */
  expectedArtifacts: string[]
  /** 1-based pack line of `[oraclepack-meta]`. */
  line: number
}

const HINTS: Record<string, [Finding['severity'], string]> = {
  PACK_META_MALFORMED: ['error', `Write the block as \`${META_OPEN}\`, one \`Key=value\` line per key (${META_KEYS.join(', ')}), then \`${META_CLOSE}\`, once per prompt.`],
  PACK_META_UNKNOWN_KEY: ['warning', `Use only the keys ${META_KEYS.join(', ')}; other keys are ignored.`],
}

function issue(code: string, message: string, line: number): Finding {
  const [severity, hint] = HINTS[code] ?? ['error', '']
  return { code, severity, message, line, hint }
}

const KEY_EQ = /^([A-Za-z][A-Za-z0-9_-]*)=(.*)$/s
const KEY_COLON = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/s

function knownKey(name: string): MetaKey | undefined {
  return META_KEYS.find((key) => key.toLowerCase() === name.toLowerCase())
}

/**
 * Reads the block of `prompt`, when it has one. `lineOf` gives the pack line of the step's code
 * line holding a text (the block's place), for findings.
 */
export function readMeta(prompt: string | undefined, lineOf: (needle: string) => number): { meta?: StepMeta; findings: Finding[] } {
  if (prompt === undefined) return { findings: [] }
  const open = prompt.indexOf(META_OPEN)
  const close = open === -1 ? prompt.indexOf(META_CLOSE) : prompt.indexOf(META_CLOSE, open)
  if (open === -1 && close === -1) return { findings: [] }
  const line = lineOf(open === -1 ? META_CLOSE : META_OPEN)
  if (open === -1) return { findings: [issue('PACK_META_MALFORMED', `\`${META_CLOSE}\` without \`${META_OPEN}\``, line)] }
  if (close === -1) return { findings: [issue('PACK_META_MALFORMED', `\`${META_OPEN}\` is never closed by \`${META_CLOSE}\``, line)] }
  const findings: Finding[] = []
  if (prompt.includes(META_OPEN, close)) findings.push(issue('PACK_META_MALFORMED', `A second \`${META_OPEN}\` block; only the first is read`, line))
  const values = new Map<MetaKey, string[]>()
  let current: string[] | undefined
  for (const token of prompt.slice(open + META_OPEN.length, close).split(/\s+/).filter(Boolean)) {
    const eq = KEY_EQ.exec(token)
    // `Key: value` only for the known keys: `Makefile:build` is a reference, not a key.
    const colon = eq ? undefined : KEY_COLON.exec(token)
    const match = eq ?? (colon && knownKey(colon[1]!) ? colon : undefined)
    if (!match) {
      if (current) current.push(token)
      else findings.push(issue('PACK_META_MALFORMED', `\`${token}\` is not \`Key=value\``, line))
      continue
    }
    const key = knownKey(match[1]!)
    current = match[2] ? [match[2]] : []
    if (!key) findings.push(issue('PACK_META_UNKNOWN_KEY', `Unknown key \`${match[1]}\` in the metadata block`, line))
    else if (values.has(key)) findings.push(issue('PACK_META_MALFORMED', `\`${key}\` is given twice in the metadata block`, line))
    else values.set(key, current)
  }
  const text = (key: MetaKey): string | undefined => {
    const words = values.get(key)
    return words === undefined ? undefined : words.join(' ').trim()
  }
  const artifacts = text('ExpectedArtifacts') ?? ''
  const meta: StepMeta = {
    expectedArtifacts: /^none$/i.test(artifacts) ? [] : artifacts.split(',').map((a) => a.trim()).filter(Boolean),
    line,
  }
  for (const [key, field] of [['QuestionId', 'questionId'], ['Category', 'category'], ['Reference', 'reference']] as const) {
    const value = text(key)
    if (value !== undefined) meta[field] = value
  }
  return { meta, findings }
}

/** The canonical block for a question, as `pack render` writes it. */
export function formatMeta(meta: { questionId: string; category: string; reference: string; expectedArtifacts: readonly string[] }): string {
  return [
    META_OPEN,
    `QuestionId=${meta.questionId}`,
    `Category=${meta.category}`,
    `Reference=${meta.reference}`,
    `ExpectedArtifacts=${meta.expectedArtifacts.length > 0 ? meta.expectedArtifacts.join(', ') : 'none'}`,
    META_CLOSE,
  ].join('\n')
}

/** The prompt without its first metadata block (and the line break after it). */
export function stripMeta(prompt: string): string {
  const open = prompt.indexOf(META_OPEN)
  const close = open === -1 ? -1 : prompt.indexOf(META_CLOSE, open)
  if (close === -1) return prompt
  return (prompt.slice(0, open) + prompt.slice(close + META_CLOSE.length).replace(/^[ \t]*\n?/, '')).replace(/^\n+/, '')
}
