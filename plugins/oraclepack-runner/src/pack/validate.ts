// Checks a parsed pack. `default` is what oraclepack itself checks (pack.Validate without the
// 20-step rule, plus the orphaned-flag scan) and what the runner needs to run a step as an argv.
// `strict` adds the rules of oraclepack's Python skill validators, the de-facto pack spec.
//
// Finding codes. Parser codes (parse.ts, shell.ts) are reported in both modes.
//
// | code                           | severity | mode    | meaning — hint                                                                          |
// |--------------------------------|----------|---------|-----------------------------------------------------------------------------------------|
// | PACK_NO_BASH_FENCE             | error    | default | no ```bash block — wrap the commands in one ```bash fence                                |
// | PACK_NO_STEPS                  | error    | default | no `# NN)` header in the block — start each step with `# 01)`, `# 02)`, …                |
// | PACK_STEP_NUMBER_INVALID       | error    | default | step `00` — number steps from 01                                                        |
// | PACK_STEP_DUPLICATE            | error    | default | a step number used twice — renumber                                                     |
// | PACK_STEP_SEQUENCE             | error    | default | numbering does not go 01, 02, … in order — renumber                                     |
// | PACK_STEP_NO_INVOCATION        | error    | default | a step without an `oracle` command — add one                                            |
// | PACK_PROMPT_MISSING            | error    | default | `oracle` without a prompt (it would exit 1) — add `-p "…"`                              |
// | PACK_WRITE_OUTPUT_UNSAFE       | error    | default | --write-output absolute, `~` or with a `..` segment — write under out_dir               |
// | PACK_ORPHANED_FLAG             | error    | default | a command starting with a flag (`-p` line not continued) — end the line before with `\` |
// | PACK_STEP_NOT_ORACLE           | error    | default | a step command other than `oracle` — steps run one argv; move setup to the prelude      |
// | PACK_FLAG_REPEATED             | error    | default | -p/--prompt or --write-output twice in one command — give each once                     |
// | PACK_FLAG_MISSING_VALUE        | error    | default | a value flag at the end of the command — give its value                                 |
// | PACK_TOO_MANY_ARGUMENTS        | error    | default | two positional words and no -p: oracle exits 1 — quote the prompt                       |
// | PACK_HEADER_IN_PROMPT          | error    | default | a `# NN)` line inside a prompt: oraclepack splits the step there — reword the line      |
// | PACK_SHELL_OPERATOR            | error    | default | `|` `;` `&&` `||` `&` `(` `)` — one plain command per step                              |
// | PACK_SHELL_REDIRECTION         | error    | default | `>` `<` `2>` `<<` … — use --write-output / a `$(cat <<TAG)` prompt                       |
// | PACK_SHELL_SUBSTITUTION        | error    | default | backticks, `$(…)` other than a quoted `$(cat <<TAG … TAG)` — inline the text            |
// | PACK_SHELL_PARAMETER           | error    | default | `${x:-y}`, `$1`, `$@` … — set plain values in the prelude                               |
// | PACK_SHELL_UNSUPPORTED         | error    | default | other bash (`$'…'`, `VAR=x oracle`, `{a,b}`, `~`) — plain words and quotes only          |
// | PACK_SHELL_UNKNOWN_VAR         | error    | default | `$x` not assigned in the prelude (only out_dir has a default, `.`) — assign it          |
// | PACK_SHELL_UNTERMINATED        | error    | default | quote, heredoc, `${` or `$(` never closed — close it                                    |
// | PACK_SHELL_BACKSLASH_SPACE     | error    | default | spaces after a line-ending `\` end the command — delete them                            |
// | PACK_COMMENT_IN_CONTINUATION   | error    | default | a comment inside a `\` continuation ends the command — move it above                    |
// | PACK_STRAY_ARGUMENT            | warning  | default | a word besides -p that oracle ignores (an error in strict) — often an unescaped `"`    |
// | PACK_BARE_BACKSLASH            | warning  | default | a line of only `\` (an error in strict) — delete it                                     |
// | PACK_HEREDOC_CLOSE_PAREN       | warning  | default | heredoc ended by `TAG)`: bash warns (an error in strict) — put `)` on its own line      |
// | PACK_PRELUDE_COMMAND           | warning  | default | a prelude command other than assignments/`mkdir -p` will not run — drop it              |
// | PACK_HEADER_FIELD_DUPLICATE    | warning  | default | a header key given twice; the first wins — keep one                                     |
// | PACK_CRLF                      | warning  | default | CRLF line ends; oraclepack would find no fence — save with LF                           |
// | PACK_BASH_FENCE_COUNT          | error    | strict  | more than one ```bash fence (oraclepack reads the first) — merge them                   |
// | PACK_STEP_COUNT                | error    | strict  | not exactly 20 steps — a pack has 20 questions                                          |
// | PACK_STEP_MULTIPLE_INVOCATIONS | error    | strict  | more than one `oracle` command in a step — one question per step                        |
// | PACK_HEADER_FIELD_MISSING      | error    | strict  | ROI/impact/confidence/effort/horizon/category/reference missing or empty — add it       |
// | PACK_HEADER_FIELD_INVALID      | error    | strict  | ROI is not a number — write `ROI=<number>`                                              |
// | PACK_CATEGORY_UNKNOWN          | error    | strict  | category outside the fixed 10 (CATEGORIES) — use one of them                            |
// | PACK_HORIZON_UNKNOWN           | warning  | strict  | horizon not Immediate/NearTerm/Strategic — use one of those                             |
// | PACK_ROI_ORDER                 | error    | strict  | not ROI-descending, or a tie not broken by lower effort first — reorder                 |
// | PACK_WRITE_OUTPUT_MISSING      | error    | strict  | no --write-output — add `--write-output "$out_dir/NN-slug.md"`                           |
// | PACK_WRITE_OUTPUT_NAME         | error    | strict  | output file not named `NN-*.md` with NN = the step — rename it                          |
// | PACK_ANSWER_FORMAT             | error    | strict  | prompt lacks an Answer-format phrase — add the 4-part answer format                     |
// | PACK_PLACEHOLDER               | error    | strict  | a `{{…}}` template placeholder left in a step — fill it in                              |
// | PACK_DUPLICATE_COVERAGE        | warning  | strict  | two steps with the same reference and category — ask about something else               |
// | PACK_META_MALFORMED            | error    | default | an `[oraclepack-meta]` block not closed, given twice, or with a word that is not Key=value |
// | PACK_META_UNKNOWN_KEY          | warning  | default | a key other than QuestionId/Category/Reference/ExpectedArtifacts — drop it              |
// | PACK_META_MISMATCH             | error    | strict  | the block's Category/Reference differ from the header's — make them agree               |
// | PACK_META_QUESTION_ID          | error    | strict  | a block without a QuestionId, one that is not a slug, or one shared by two steps        |
// | PACK_ATTACHMENT_BROAD          | warning  | default | a glob or a directory attached (strict: error) — attach the files the question is about  |
// | PACK_ATTACHMENT_COUNT          | warning  | default | more than the reference file and two neighbours (strict: error) — keep three            |
// | PACK_ATTACHMENT_MISSING        | warning  | default | an attachment that does not exist, or a glob matching nothing (strict: error)           |
// | PACK_ATTACHMENT_TOO_LARGE      | warning  | default | a file over the engine's size limit (1 MiB; strict: error) — attach a smaller file      |
// | PACK_ATTACHMENT_SHARED         | warning  | default | one file attached as a neighbour by more than 4 steps (strict: error) — keep it where needed |
//
// The PACK_ATTACHMENT_* codes come from lint-attachments.ts, which reads the disk; PACK_META_* from
// meta.ts (parsing) and this file (agreement with the header).
//
// Not checked: the "Coverage check" section after the fence. Both real example packs would fail
// the Python rule for it (one uses a setext heading, the other `## coverage check (…)`), and it
// says nothing the step headers do not.

import { findBashFences } from './parse.js'
import { ANSWER_FORMAT, CATEGORIES, HORIZONS, QUESTION_ID, QUESTION_ID_MAX, REQUIRED_FIELDS, STEPS_PER_PACK } from './rules.js'
import type { Finding, OracleInvocation, Pack, PackStep, ValidateMode, ValidationReport } from './types.js'

export { CATEGORIES, REQUIRED_FIELDS } from './rules.js'

/** Parser warnings that strict mode treats as errors (the attachment lint's warnings are too). */
export const STRICT_ERRORS = new Set(['PACK_BARE_BACKSLASH', 'PACK_HEREDOC_CLOSE_PAREN', 'PACK_STRAY_ARGUMENT'])

const HINTS: Record<string, [Finding['severity'], string]> = {
  PACK_NO_BASH_FENCE: ['error', 'Put the commands in one block that starts with a line ```bash and ends with a line ```.'],
  PACK_NO_STEPS: ['error', 'Start each step with a header line such as `# 01) ROI=… category=… reference=…`.'],
  PACK_STEP_NUMBER_INVALID: ['error', 'Number the steps from 01.'],
  PACK_STEP_DUPLICATE: ['error', 'Give each step its own number: 01, 02, … in order.'],
  PACK_STEP_SEQUENCE: ['error', 'Number the steps 01, 02, 03, … in order, with no gaps.'],
  PACK_STEP_NO_INVOCATION: ['error', 'Give the step one `oracle … -p "…"` command.'],
  PACK_PROMPT_MISSING: ['error', 'Give the question with `-p "…"` or a heredoc prompt (`-p "$(cat <<\'PROMPT\'`, the text, then `PROMPT` and `)"` on their own lines); oracle exits 1 without a prompt.'],
  PACK_WRITE_OUTPUT_UNSAFE: ['error', 'Write answers under the output directory: `--write-output "$out_dir/NN-slug.md"` with a relative out_dir.'],
  PACK_BASH_FENCE_COUNT: ['error', 'Keep all commands in a single ```bash block: oraclepack reads only the first one.'],
  PACK_STEP_COUNT: ['error', `A strict pack has exactly ${STEPS_PER_PACK} steps, 01..${STEPS_PER_PACK}.`],
  PACK_STEP_MULTIPLE_INVOCATIONS: ['error', 'Ask one question per step: split the commands into separate steps.'],
  PACK_HEADER_FIELD_MISSING: ['error', `Write the header as \`# NN) ${REQUIRED_FIELDS.map((f) => `${f}=…`).join(' ')}\`.`],
  PACK_HEADER_FIELD_INVALID: ['error', 'Write the ROI as a number, for example `ROI=3.5`.'],
  PACK_CATEGORY_UNKNOWN: ['error', `Use one of: ${CATEGORIES.join(', ')}.`],
  PACK_HORIZON_UNKNOWN: ['warning', `Use one of: ${HORIZONS.join(', ')}.`],
  PACK_ROI_ORDER: ['error', 'Sort the steps by ROI, highest first; on equal ROI put the lower effort first. Then renumber.'],
  PACK_WRITE_OUTPUT_MISSING: ['error', 'Add `--write-output "$out_dir/NN-slug.md"` so the answer is saved where the runner looks for it.'],
  PACK_WRITE_OUTPUT_NAME: ['error', 'Name the output file after its step: `NN-slug.md`, with NN the step number.'],
  PACK_ANSWER_FORMAT: ['error', 'End the prompt with: Answer format: 1) Direct answer 2) Risks/unknowns 3) Next smallest concrete experiment 4) If evidence is insufficient, name the missing files.'],
  PACK_PLACEHOLDER: ['error', 'Replace the template placeholder with real text.'],
  PACK_DUPLICATE_COVERAGE: ['warning', 'Make the two steps cover different references or categories, or drop one.'],
  PACK_META_MISMATCH: ['error', 'Make the `[oraclepack-meta]` block say what the header says (or drop the key from the block): the runner and the actionizer read the block.'],
  PACK_META_QUESTION_ID: ['error', `Give each step's metadata block its own \`QuestionId=<id>\`: lower-case words joined by \`-\`, at most ${QUESTION_ID_MAX} characters.`],
}

function finding(code: string, message: string, at: { line?: number | undefined; step?: string | undefined } = {}): Finding {
  const [severity, hint] = HINTS[code] ?? ['error', '']
  return { code, severity, message, ...(at.line !== undefined && { line: at.line }), ...(at.step !== undefined && { step: at.step }), hint }
}

export function validatePack(pack: Pack, mode: ValidateMode): ValidationReport {
  const parsed = pack.findings.map((f): Finding => (mode === 'strict' && STRICT_ERRORS.has(f.code) ? { ...f, severity: 'error' } : { ...f }))
  const findings = [...parsed, ...checkDefault(pack), ...(mode === 'strict' ? checkStrict(pack) : [])].sort(compareFindings)
  const errors = findings.filter((f) => f.severity === 'error').length
  return {
    valid: errors === 0,
    mode,
    counts: {
      steps: pack.steps.length,
      bash_blocks: pack.bashBlocks,
      oracle_invocations: pack.steps.reduce((sum, step) => sum + step.invocations.length, 0),
    },
    findings,
    errors,
    warnings: findings.length - errors,
  }
}

function checkDefault(pack: Pack): Finding[] {
  if (pack.bashBlocks === 0) return [finding('PACK_NO_BASH_FENCE', 'No ```bash code block found')]
  if (pack.steps.length === 0) return [finding('PACK_NO_STEPS', 'The bash block has no step header (`# 01)`)', { line: pack.fenceLine })]
  return [...checkNumbering(pack.steps), ...pack.steps.flatMap(checkStepRuns)]
}

function checkNumbering(steps: readonly PackStep[]): Finding[] {
  const found: Finding[] = []
  const seen = new Set<number>()
  let previous = 0
  for (const step of steps) {
    const at = { line: step.line, step: step.id }
    if (step.number <= 0) {
      // `00` most likely means `01`: let it take that place so the steps after it stay in sequence.
      found.push(finding('PACK_STEP_NUMBER_INVALID', `Invalid step number ${step.id}`, at))
      previous++
    } else if (seen.has(step.number)) {
      found.push(finding('PACK_STEP_DUPLICATE', `Duplicate step number ${step.id}`, at))
      previous = Math.max(previous, step.number)
    } else {
      if (step.number !== previous + 1) found.push(finding('PACK_STEP_SEQUENCE', `Step ${step.id} follows ${pad(previous)}; expected ${pad(previous + 1)}`, at))
      seen.add(step.number)
      previous = step.number
    }
  }
  return found
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** What the runner needs to run the step at all. */
function checkStepRuns(step: PackStep): Finding[] {
  if (step.invocations.length === 0) return [finding('PACK_STEP_NO_INVOCATION', `Step ${step.id} has no \`oracle\` command`, { line: step.line, step: step.id })]
  const extra = step.invocations.slice(1).map((inv) => finding('PACK_STEP_MULTIPLE_INVOCATIONS', `Step ${step.id} has ${step.invocations.length} \`oracle\` commands`, { line: inv.line, step: step.id }))
  return extra.concat(step.invocations.flatMap((inv) => {
    const found: Finding[] = []
    if (!inv.prompt?.trim()) found.push(finding('PACK_PROMPT_MISSING', 'The `oracle` command has no prompt', { line: inv.line, step: step.id }))
    const output = inv.writeOutput
    const why = output && unsafePath(output.value)
    if (output && why) found.push(finding('PACK_WRITE_OUTPUT_UNSAFE', `--write-output \`${output.value}\` ${why}`, { line: output.line, step: step.id }))
    return found
  }))
}

/** Why the runner refuses an output path, or undefined when it is a plain relative path. */
export function unsafePath(path: string): string | undefined {
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return 'is absolute'
  if (path.startsWith('~')) return 'starts with `~`'
  if (path.split(/[\\/]/).includes('..')) return 'has a `..` segment'
  return undefined
}

function checkStrict(pack: Pack): Finding[] {
  if (pack.bashBlocks === 0) return []
  const found: Finding[] = []
  const extra = findBashFences(pack.text.replace(/\r\n/g, '\n'))[1]
  if (extra) found.push(finding('PACK_BASH_FENCE_COUNT', `${pack.bashBlocks} \`\`\`bash blocks; only the first one is read`, { line: extra.line }))
  if (pack.steps.length > 0 && pack.steps.length !== STEPS_PER_PACK) {
    found.push(finding('PACK_STEP_COUNT', `Expected exactly ${STEPS_PER_PACK} steps, got ${pack.steps.length}`))
  }
  for (const step of pack.steps) found.push(...checkHeader(step), ...checkStrictStep(step), ...checkMeta(step))
  found.push(...checkRoiOrder(pack.steps), ...checkCoverage(pack.steps), ...checkQuestionIds(pack.steps))
  return found
}

/** The metadata block must agree with the header it sits under. */
function checkMeta(step: PackStep): Finding[] {
  const meta = step.meta
  if (!meta) return []
  const at = { line: meta.line, step: step.id }
  const found: Finding[] = []
  const same = (a: string, b: string, caseless: boolean) => (caseless ? a.trim().toLowerCase() === b.trim().toLowerCase() : a.trim() === b.trim())
  for (const [key, field, caseless] of [['Category', 'category', true], ['Reference', 'reference', false]] as const) {
    const inMeta = meta[field]
    const inHeader = step.fields[field]
    if (inMeta !== undefined && inHeader !== undefined && !same(inMeta, inHeader, caseless)) {
      found.push(finding('PACK_META_MISMATCH', `The metadata block says \`${key}=${inMeta}\`, the header \`${field}=${inHeader}\``, at))
    }
  }
  if (meta.questionId === undefined || meta.questionId === '') found.push(finding('PACK_META_QUESTION_ID', 'The metadata block has no `QuestionId`', at))
  else if (!QUESTION_ID.test(meta.questionId) || meta.questionId.length > QUESTION_ID_MAX) found.push(finding('PACK_META_QUESTION_ID', `QuestionId \`${meta.questionId}\` is not lower-case words joined by \`-\` (at most ${QUESTION_ID_MAX} characters)`, at))
  return found
}

function checkQuestionIds(steps: readonly PackStep[]): Finding[] {
  const first = new Map<string, string>()
  const found: Finding[] = []
  for (const step of steps) {
    const id = step.meta?.questionId
    if (!id) continue
    const owner = first.get(id)
    if (owner === undefined) first.set(id, step.id)
    else found.push(finding('PACK_META_QUESTION_ID', `QuestionId \`${id}\` is also the id of step ${owner}`, { line: step.meta!.line, step: step.id }))
  }
  return found
}

function checkHeader(step: PackStep): Finding[] {
  const at = { line: step.line, step: step.id }
  const found: Finding[] = []
  for (const field of REQUIRED_FIELDS) {
    const value = step.fields[field]
    if (value === undefined) found.push(finding('PACK_HEADER_FIELD_MISSING', `Header has no \`${field}=\``, at))
    else if (value.trim() === '') found.push(finding('PACK_HEADER_FIELD_MISSING', `Header field \`${field}=\` is empty`, at))
  }
  const { ROI: roi, category, horizon } = step.fields
  if (roi && !/^\d+(\.\d+)?$/.test(roi)) found.push(finding('PACK_HEADER_FIELD_INVALID', `ROI \`${roi}\` is not a number`, at))
  if (category && !CATEGORIES.some((c) => c.toLowerCase() === category.toLowerCase())) {
    found.push(finding('PACK_CATEGORY_UNKNOWN', `Unknown category \`${category}\``, at))
  }
  if (horizon && !(HORIZONS as readonly string[]).includes(horizon)) found.push(finding('PACK_HORIZON_UNKNOWN', `Unknown horizon \`${horizon}\``, at))
  const placeholder = /\{\{[^{}\n]*\}\}/.exec(step.title)
  if (placeholder) found.push(finding('PACK_PLACEHOLDER', `Placeholder \`${placeholder[0]}\` left in the header`, at))
  return found
}

function checkStrictStep(step: PackStep): Finding[] {
  const found: Finding[] = []
  for (const inv of step.invocations) found.push(...checkOutputName(step, inv), ...checkAnswerFormat(step, inv))
  step.code.split('\n').forEach((text, k) => {
    const placeholder = /\{\{[^{}\n]*\}\}/.exec(text)
    if (placeholder) found.push(finding('PACK_PLACEHOLDER', `Placeholder \`${placeholder[0]}\` left in the step`, { line: step.line + 1 + k, step: step.id }))
  })
  return found
}

function checkOutputName(step: PackStep, inv: OracleInvocation): Finding[] {
  const output = inv.writeOutput
  if (!output) return [finding('PACK_WRITE_OUTPUT_MISSING', 'The `oracle` command has no --write-output', { line: inv.line, step: step.id })]
  const name = output.value.split('/').at(-1) ?? ''
  if (name.startsWith(`${step.id}-`) && name.endsWith('.md')) return []
  return [finding('PACK_WRITE_OUTPUT_NAME', `Output file \`${name}\` is not named \`${step.id}-….md\``, { line: output.line, step: step.id })]
}

function checkAnswerFormat(step: PackStep, inv: OracleInvocation): Finding[] {
  if (!inv.prompt?.trim()) return [] // PACK_PROMPT_MISSING already says so
  const missing = ANSWER_FORMAT.filter(([, pattern]) => !pattern.test(inv.prompt!)).map(([label]) => `"${label}"`)
  if (missing.length === 0) return []
  return [finding('PACK_ANSWER_FORMAT', `The prompt lacks the answer-format part${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { line: inv.line, step: step.id })]
}

function checkRoiOrder(steps: readonly PackStep[]): Finding[] {
  const found: Finding[] = []
  steps.forEach((step, k) => {
    const prev = steps[k - 1]
    if (!prev) return
    const at = { line: step.line, step: step.id }
    if (step.roi > prev.roi) {
      found.push(finding('PACK_ROI_ORDER', `Step ${step.id} (ROI ${step.roi}) comes after step ${prev.id} (ROI ${prev.roi}); steps must be sorted by ROI, highest first`, at))
    } else if (step.roi === prev.roi && (compareEffort(step.fields['effort'], prev.fields['effort']) ?? 0) < 0) {
      found.push(finding('PACK_ROI_ORDER', `Steps ${prev.id} and ${step.id} tie on ROI ${step.roi}, but step ${step.id} has the lower effort (${step.fields['effort']} < ${prev.fields['effort']}) and must come first`, at))
    }
  })
  return found
}

const EFFORT_WORDS = ['low', 'medium', 'high']

/** Compares efforts that are both numbers or both Low/Medium/High; undefined when they are not comparable. */
function compareEffort(a: string | undefined, b: string | undefined): number | undefined {
  const number = /^\d+(\.\d+)?$/
  if (a && b && number.test(a) && number.test(b)) return Number(a) - Number(b)
  const [x, y] = [EFFORT_WORDS.indexOf(a?.toLowerCase() ?? ''), EFFORT_WORDS.indexOf(b?.toLowerCase() ?? '')]
  return x >= 0 && y >= 0 ? x - y : undefined
}

function checkCoverage(steps: readonly PackStep[]): Finding[] {
  const firstBy = new Map<string, PackStep>()
  const found: Finding[] = []
  for (const step of steps) {
    const reference = step.fields['reference']?.trim()
    const category = step.fields['category']?.trim().toLowerCase()
    // `Unknown` is the template's word for "no reference": two such steps are not duplicates.
    if (!reference || !category || reference.toLowerCase() === 'unknown') continue
    const key = `${reference}\n${category}`
    const first = firstBy.get(key)
    if (!first) firstBy.set(key, step)
    else found.push(finding('PACK_DUPLICATE_COVERAGE', `Steps ${first.id} and ${step.id} both cover \`${reference}\` in category \`${step.fields['category']?.trim()}\``, { line: step.line, step: step.id }))
  }
  return found
}

export function compareFindings(a: Finding, b: Finding): number {
  return compare(a.line, b.line) || compare(a.step, b.step) || compare(a.code, b.code) || compare(a.message, b.message)
}

/** Orders values with undefined last; strings by code unit, so the order does not depend on the locale. */
function compare<T extends number | string>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  return a < b ? -1 : 1
}
