// A manifest → the pack's Markdown, byte for byte the same for the same manifest: questions sorted
// by ROI (highest first), ties by lower effort, then in manifest order; one quoting rule; every
// prompt in a quoted heredoc, so its text reaches oracle exactly as written.

import { formatMeta } from '../pack/meta.js'
import { ANSWER_FORMAT_TEXT, CATEGORIES, hasAnswerFormat } from '../pack/rules.js'
import type { ManifestQuestion, PackManifest } from './manifest.js'

export interface RenderedPack {
  text: string
  /** For step k+1, the index of its question in the manifest. */
  order: number[]
}

/** The comment under the title: where the pack comes from. */
export const RENDERED_NOTE = '<!-- Rendered by `oracle pack render` from a pack manifest: edit the manifest and render again. -->'

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/

/** A word as bash reads it back unchanged: bare when it is plain, else in double quotes. */
export function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : doubleQuoted(word)
}

export function doubleQuoted(text: string): string {
  return `"${text.replace(/[\\"$`]/g, '\\$&')}"`
}

/** `4` → `4.0`, `4.25` → `4.25`: a ROI always reads as a decimal, as in the gold template. */
export function formatRoi(roi: number): string {
  return Number.isInteger(roi) ? roi.toFixed(1) : String(roi)
}

const EFFORT_WORDS = ['low', 'medium', 'high']

/** A total order of efforts: numbers (ascending), then Low/Medium/High, then anything else (as listed). */
function effortKey(effort: string | number): [number, number] {
  const text = String(effort).trim()
  if (/^\d+(\.\d+)?$/.test(text)) return [0, Number(text)]
  const word = EFFORT_WORDS.indexOf(text.toLowerCase())
  return word >= 0 ? [1, word] : [2, 0]
}

/** Manifest indexes in step order. */
export function stepOrder(questions: readonly ManifestQuestion[]): number[] {
  return questions
    .map((question, index) => ({ question, index, effort: effortKey(question.effort) }))
    .sort((a, b) => b.question.roi - a.question.roi || a.effort[0] - b.effort[0] || a.effort[1] - b.effort[1] || a.index - b.index)
    .map((entry) => entry.index)
}

/** The prompt oracle receives: the metadata block, the question, the answer format unless the question has it. */
export function questionPrompt(question: ManifestQuestion): string {
  const text = question.question.replace(/\r\n/g, '\n').replace(/^\s*\n/, '').trimEnd()
  const meta = formatMeta({ questionId: question.id, category: question.category, reference: question.reference, expectedArtifacts: question.expected_artifacts })
  return [meta, '', text, ...(hasAnswerFormat(text) ? [] : ['', ANSWER_FORMAT_TEXT])].join('\n')
}

/** A heredoc tag no line of the body ends early: `PROMPT`, else `PROMPT_2`, … */
function heredocTag(body: string): string {
  const lines = body.split('\n')
  for (let n = 1; ; n++) {
    const tag = n === 1 ? 'PROMPT' : `PROMPT_${n}`
    if (!lines.some((line) => line === tag || line.startsWith(`${tag})`))) return tag
  }
}

/** One step: its header line and its `oracle` command. */
export function renderStep(question: ManifestQuestion, number: number, oracleFlags: readonly string[]): string {
  const id = String(number).padStart(2, '0')
  const header = [
    `# ${id})`,
    `ROI=${formatRoi(question.roi)}`,
    `impact=${question.impact}`,
    `confidence=${question.confidence}`,
    `effort=${question.effort}`,
    `horizon=${question.horizon}`,
    `category=${question.category}`,
    `reference=${question.reference}`,
  ].join(' ')
  const prompt = questionPrompt(question)
  const tag = heredocTag(prompt)
  const flags = [...oracleFlags, ...question.flags].map(shellWord)
  return [
    header,
    `${['oracle', ...flags].join(' ')} \\`,
    // The id is a slug (the schema says so): nothing in the path needs escaping.
    `  --write-output "$out_dir/${id}-${question.id}.md" \\`,
    ...question.attachments.map((path) => `  -f ${doubleQuoted(path)} \\`),
    `  -p "$(cat <<'${tag}'`,
    prompt,
    tag,
    ')"',
  ].join('\n')
}

function coverage(manifest: PackManifest): string[] {
  return CATEGORIES.map((category) => `* ${category}: ${manifest.questions.some((q) => q.category === category) ? 'OK' : 'Missing(no question in this category)'}`)
}

export function renderPack(manifest: PackManifest): RenderedPack {
  const order = stepOrder(manifest.questions)
  const steps = order.map((index, k) => renderStep(manifest.questions[index]!, k + 1, manifest.oracle_flags))
  const intro = manifest.intro.replace(/\r\n/g, '\n').trim()
  const lines = [
    `# ${manifest.title.trim()}`,
    '',
    ...(intro ? [intro, ''] : []),
    RENDERED_NOTE,
    '',
    '```bash',
    `out_dir=${doubleQuoted(manifest.out_dir)}`,
    'mkdir -p "$out_dir"',
    '',
    ...steps.flatMap((step) => [step, '']),
    '```',
    '',
    '## Coverage check',
    '',
    ...coverage(manifest),
  ]
  return { text: `${lines.join('\n')}\n`, order }
}
