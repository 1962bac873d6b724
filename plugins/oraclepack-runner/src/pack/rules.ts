// The pack schema's fixed values, in one place: the strict validator checks them, the attachment
// lint enforces the limits, `pack render` writes them and the Stage 1 generator prompt states
// them. A rule changes here or nowhere (prompt.test.ts checks the prompt against these values).

/** The fixed question categories of a pack; four of them hold a space. */
export const CATEGORIES = ['contracts/interfaces', 'invariants', 'caching/state', 'background jobs', 'observability', 'permissions', 'migrations', 'UX flows', 'failure modes', 'feature flags'] as const

/** Header fields every step must carry in strict mode, in the order `pack render` writes them. */
export const REQUIRED_FIELDS = ['ROI', 'impact', 'confidence', 'effort', 'horizon', 'category', 'reference'] as const

export const HORIZONS = ['Immediate', 'NearTerm', 'Strategic'] as const

export const STEPS_PER_PACK = 20

/** The answer format's four parts; each pattern also accepts the wording of oraclepack's output verifier. */
export const ANSWER_FORMAT: ReadonlyArray<readonly [label: string, pattern: RegExp]> = [
  ['Direct answer', /direct answer/i],
  ['Risks/unknowns', /risks\s*(?:\/|and)\s*unknowns/i],
  ['Next smallest concrete experiment', /next\s+(?:smallest\s+)?(?:concrete\s+)?experiment/i],
  ['If evidence is insufficient', /if evidence is insufficient|missing evidence/i],
]

/** The answer-format block as the gold template writes it (and `pack render` appends it). */
export const ANSWER_FORMAT_TEXT = [
  'Answer format:',
  '1) Direct answer (1–4 bullets, evidence-cited)',
  '2) Risks/unknowns (bullets)',
  '3) Next smallest concrete experiment (1 action)',
  '4) If evidence is insufficient, name the exact missing file/path pattern(s) to attach next.',
].join('\n')

/** True when `prompt` holds all four answer-format parts. */
export function hasAnswerFormat(prompt: string): boolean {
  return ANSWER_FORMAT.every(([, pattern]) => pattern.test(prompt))
}

/** The block of step metadata inside a prompt, and its keys in the order `pack render` writes them. */
export const META_OPEN = '[oraclepack-meta]'
export const META_CLOSE = '[/oraclepack-meta]'
export const META_KEYS = ['QuestionId', 'Category', 'Reference', 'ExpectedArtifacts'] as const
export type MetaKey = (typeof META_KEYS)[number]

/** A QuestionId: lower-case words joined by `-`; it also names the answer file (`NN-<id>.md`). */
export const QUESTION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const QUESTION_ID_MAX = 60

/** Attachments: the reference file plus at most this many neighbours. */
export const MAX_NEIGHBOURS = 2
export const MAX_ATTACHMENTS = 1 + MAX_NEIGHBOURS
/** A file attached as a neighbour (not the step's reference) by more steps than this is flagged. */
export const MAX_SHARED_NEIGHBOUR = 4
/** oracle's own limit (src/oracle/files.ts: 1 MiB); `--max-file-size-bytes` and ORACLE_MAX_FILE_SIZE_BYTES raise it. */
export const ORACLE_MAX_FILE_SIZE_BYTES = 1024 * 1024

/** The file part of a `reference=path[:symbol]` value (`Unknown` has none). */
export function referenceFile(reference: string | undefined): string | undefined {
  const value = reference?.trim()
  if (!value || value.toLowerCase() === 'unknown') return undefined
  return normalizeAttachment(value.replace(/:[^/:]*$/, ''))
}

/** An attachment path as compared between steps: `/`-separated, without `./`. */
export function normalizeAttachment(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/{2,}/g, '/')
}

/** `1.5 MB` / `900.0 KB` / `12 B`, as oracle prints sizes. */
export function formatBytes(size: number): string {
  if (size >= 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MB`
  if (size >= 1024) return `${(size / 1024).toFixed(1)} KB`
  return `${size} B`
}
