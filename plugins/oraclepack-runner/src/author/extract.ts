// A parsed pack → a manifest, so an existing pack can move onto one. It keeps what oracle would
// receive (the expanded prompt, flags and files), not how the bash spelled it, and says what it had
// to make up or could not keep. What does not fit the manifest's schema is kept as it is:
// `pack render` then names each such value with its line in the manifest.

import { stableStringify } from '@oraclekit/kernel'
import { stringify } from 'yaml'
import { stripMeta } from '../pack/meta.js'
import { readOracleArgs } from '../pack/parse.js'
import { CATEGORIES, QUESTION_ID, QUESTION_ID_MAX } from '../pack/rules.js'
import type { Pack, PackStep } from '../pack/types.js'
import { slugify } from '../run/plan.js'
import { splitFileArgs } from '../run/attachments.js'
import { MANIFEST_VERSION } from './manifest.js'
import { RENDERED_NOTE } from './render.js'

/** Something extract made up or left out, for the author to check. */
export interface ExtractNote {
  step?: string
  line?: number
  message: string
}

/** The manifest as extracted: the manifest's shape, with values not yet checked against its schema. */
export type ExtractedManifest = Record<string, unknown> & { questions: Array<Record<string, unknown>> }

export interface Extracted {
  manifest: ExtractedManifest
  notes: ExtractNote[]
}

const PROMPT_FLAGS = new Set(['-p', '--prompt'])
const DROPPED_FLAGS = new Set(['-p', '--prompt', '-f', '--file', '--write-output'])

/** `"0.9"` → 0.9, but `"1.0"` stays a string: the header is written back as it was. */
function headerValue(text: string): string | number {
  const n = Number(text)
  return text !== '' && String(n) === text ? n : text
}

/** The step's flags: its argv without `oracle`, the prompt, the files and --write-output. */
export function stepFlags(argv: readonly string[]): string[] {
  const args = readOracleArgs(argv)
  const drop = new Set<number>([0])
  for (const value of args.values.filter((v) => DROPPED_FLAGS.has(v.flag))) {
    drop.add(value.index)
    // `-f a b`: `a` follows its flag word, `b` does not; in `--file=a` flag and value are one word.
    if (argv[value.index] === value.value && argv[value.index - 1] === value.flag) drop.add(value.index - 1)
  }
  const hasPrompt = args.values.some((v) => PROMPT_FLAGS.has(v.flag))
  for (const index of hasPrompt ? args.positionals : args.positionals.slice(0, 1)) drop.add(index)
  return argv.filter((_, k) => !drop.has(k))
}

function questionId(step: PackStep, taken: Set<string>): string {
  const fromMeta = step.meta?.questionId
  const output = step.invocations[0]?.writeOutput?.value.split('/').pop()?.replace(/\.md$/i, '').replace(/^\d{2}[-_ ]*/, '')
  let id = fromMeta && QUESTION_ID.test(fromMeta) && fromMeta.length <= QUESTION_ID_MAX ? fromMeta : slugify(output ?? '', QUESTION_ID_MAX) || slugify(`${step.fields['category'] ?? 'question'}-${step.id}`, QUESTION_ID_MAX)
  if (taken.has(id)) id = `${id.slice(0, QUESTION_ID_MAX - 3).replace(/-+$/, '')}-${step.id}`
  taken.add(id)
  return id
}

/** Title and intro from the Markdown before the bash block (the first `# ` line is the title). */
function titleAndIntro(pack: Pack, fallback: string): { title: string; intro: string; found: boolean } {
  const before = pack.text.replace(/\r\n/g, '\n').split('\n').slice(0, (pack.fenceLine ?? 1) - 1)
  const k = before.findIndex((line) => /^# \S/.test(line))
  const intro = before.filter((line, i) => i !== k && line !== RENDERED_NOTE).join('\n').trim()
  return { title: k === -1 ? fallback : before[k]!.slice(2).trim(), intro, found: k !== -1 }
}

export function extractManifest(pack: Pack, fallbackTitle: string): Extracted {
  const notes: ExtractNote[] = []
  const { title, intro, found } = titleAndIntro(pack, fallbackTitle)
  if (!found) notes.push({ message: `The pack has no \`# <title>\` line before its bash block; the title is \`${fallbackTitle}\`.` })
  if (pack.outDir === undefined) notes.push({ message: 'The prelude sets no out_dir; the manifest says `.`.' })
  const taken = new Set<string>()
  const flags = pack.steps.map((step) => stepFlags(step.invocations[0]?.argv ?? ['oracle']))
  // Flags every step shares (a common prefix) go to oracle_flags, the rest to each question.
  let common = flags[0] ?? []
  for (const list of flags) {
    let n = 0
    while (n < common.length && list[n] === common[n]) n++
    common = common.slice(0, n)
  }
  // …ending between flags, never between a flag and its value.
  while (readOracleArgs(['oracle', ...common]).missing.length > 0) common = common.slice(0, -1)
  const questions = pack.steps.map((step, k) => {
    const inv = step.invocations[0]
    const fields = step.fields
    const field = (name: string, fallback: string, from?: string) => {
      const value = fields[name] ?? from
      if (value === undefined || value === '') notes.push({ step: step.id, line: step.line, message: `The header has no ${name}=; the manifest says \`${fallback}\`.` })
      return value === undefined || value === '' ? fallback : value
    }
    const category = field('category', 'Unknown', step.meta?.category)
    const known = CATEGORIES.find((c) => c.toLowerCase() === category.toLowerCase())
    const extra = Object.keys(fields).filter((key) => !['ROI', 'impact', 'confidence', 'effort', 'horizon', 'category', 'reference'].includes(key))
    if (extra.length > 0) notes.push({ step: step.id, line: step.line, message: `Header field${extra.length > 1 ? 's' : ''} ${extra.map((key) => `\`${key}=\``).join(', ')} ha${extra.length > 1 ? 've' : 's'} no place in the manifest and ${extra.length > 1 ? 'are' : 'is'} left out.` })
    const question: Record<string, unknown> = {
      id: questionId(step, taken),
      category: known ?? category,
      reference: field('reference', 'Unknown', step.meta?.reference),
      roi: step.roi,
      impact: headerValue(field('impact', 'Unknown')),
      confidence: headerValue(field('confidence', 'Unknown')),
      effort: headerValue(field('effort', 'Unknown')),
      horizon: field('horizon', 'Unknown'),
    }
    const attachments = splitFileArgs(inv?.files ?? [])
    if (attachments.length > 0) question['attachments'] = attachments
    if ((step.meta?.expectedArtifacts.length ?? 0) > 0) question['expected_artifacts'] = step.meta!.expectedArtifacts
    const own = flags[k]!.slice(common.length)
    if (own.length > 0) question['flags'] = own
    question['question'] = stripMeta(inv?.prompt ?? '')
    return question
  })
  const manifest: ExtractedManifest = {
    schema_version: MANIFEST_VERSION,
    title,
    ...(intro && { intro }),
    out_dir: pack.outDir ?? '.',
    oracle_flags: common,
    questions,
  }
  return { manifest, notes }
}

const YAML_HEAD = '# oraclepack pack manifest: `oracle pack render <this file> --out <pack.md>` writes the pack.\n# Schema: schemas/oraclepack.manifest.schema.json\n'

/** The manifest as a file: JSON (stable, sorted keys) for a `.json` name, else YAML in schema order. */
export function formatManifest(manifest: ExtractedManifest, fileName = 'pack.manifest.yaml'): string {
  if (/\.json$/i.test(fileName)) return stableStringify(manifest)
  return YAML_HEAD + stringify(manifest, { lineWidth: 0 })
}
