import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildPack, lineOf, validStep, withStep, type StepSpec } from './_fixtures/build-pack.js'
import { parsePack } from './parse.js'
import type { ValidateMode } from './types.js'
import { CATEGORIES, REQUIRED_FIELDS, validatePack } from './validate.js'

/**
 * An expected finding: code, line, step. The line is a number, a function of the pack's text, or
 * a text to look for on the line (searched from the step's header when there is a step).
 */
type Expected = [code: string, line?: number | string | ((text: string) => number), step?: string]

interface Case {
  name: string
  text: string
  mode: ValidateMode
  expected: Expected[]
}

const summary = (text: string, mode: ValidateMode) =>
  validatePack(parsePack(text), mode).findings.map((f) => [f.code, f.line, f.step])

function lineIn(text: string, needle: string, step?: string): number {
  const lines = text.split('\n')
  const from = step === undefined ? 0 : lines.findIndex((line) => new RegExp(`^\\s*#\\s*${step}\\b`).test(line))
  const index = lines.findIndex((line, k) => k >= from && line.includes(needle))
  if (from === -1 || index === -1) throw new Error(`no line with ${JSON.stringify(needle)} in step ${step}`)
  return index + 1
}

const resolve = (text: string, expected: Expected[]) =>
  expected.map(([code, line, step]) => [code, typeof line === 'string' ? lineIn(text, line, step) : typeof line === 'function' ? line(text) : line, step])

/** Replaces the step's body line equal to `find` (or else the first one containing it) with `lines`. */
const replaceLine = (step: StepSpec, find: string, ...lines: string[]): void => {
  const exact = step.body.indexOf(find)
  const index = exact === -1 ? step.body.findIndex((line) => line.includes(find)) : exact
  if (index === -1) throw new Error(`no line with ${find}`)
  step.body.splice(index, 1, ...lines)
}

const setField = (step: StepSpec, key: string, value: string | undefined): void => {
  const rest = step.header.replace(new RegExp(` ${key}=\\S*`), '')
  step.header = value === undefined ? rest : `${rest} ${key}=${value}`
}

/** The line `offset` lines below step `id`'s header in the unedited pack. */
const below = (id: string, offset: number) => () => lineOf(buildPack(), `# ${id})`) + offset

const INLINE_FORMAT = 'Direct answer, Risks/unknowns, Next experiment, Missing evidence'

/** Codes whose default severity is warning. */
const WARNINGS = new Set([
  ...['PACK_PRELUDE_COMMAND', 'PACK_BARE_BACKSLASH', 'PACK_HEREDOC_CLOSE_PAREN', 'PACK_STRAY_ARGUMENT', 'PACK_HEADER_FIELD_DUPLICATE', 'PACK_CRLF', 'PACK_HORIZON_UNKNOWN', 'PACK_DUPLICATE_COVERAGE'],
  // the metadata block's unknown keys, and the attachment lint (lint-attachments.test.ts), whose findings are errors under --strict
  ...['PACK_META_UNKNOWN_KEY', 'PACK_ATTACHMENT_BROAD', 'PACK_ATTACHMENT_COUNT', 'PACK_ATTACHMENT_MISSING', 'PACK_ATTACHMENT_TOO_LARGE', 'PACK_ATTACHMENT_SHARED'],
])

/** Parser warnings that strict mode turns into errors. */
const STRICT_ERRORS = ['PACK_BARE_BACKSLASH', 'PACK_HEREDOC_CLOSE_PAREN', 'PACK_STRAY_ARGUMENT']

/** Orders tuples by the given indexes in turn, undefined last: the report's order. */
function byIndexes(...indexes: number[]) {
  return (a: unknown[], b: unknown[]): number => {
    for (const k of indexes) {
      const [x, y] = [a[k], b[k]] as Array<number | string | undefined>
      if (x === y) continue
      if (x === undefined) return 1
      if (y === undefined) return -1
      return x < y ? -1 : 1
    }
    return 0
  }
}

const d = (name: string, text: string, ...expected: Expected[]): Case => ({ name, text, mode: 'default', expected })
const s = (name: string, text: string, ...expected: Expected[]): Case => ({ name, text, mode: 'strict', expected })

const CASES: Case[] = [
  // oraclepack's own structure checks
  d('no bash fence', '# Pack\n\n```sh\n# 01)\noracle -p hi\n```\n', ['PACK_NO_BASH_FENCE']),
  d('a bash block without step headers', '```bash\nout_dir=x\n# 1) one digit\n```\n', ['PACK_NO_STEPS', 1]),
  d('step 00', withStep(1, (st) => (st.header = st.header.replace('# 01)', '# 00)'))), ['PACK_STEP_NUMBER_INVALID', '# 00)', '00']),
  d('a duplicate step number', withStep(3, (st) => (st.header = st.header.replace('# 03)', '# 02)'))), ['PACK_STEP_DUPLICATE', 'ROI=4.6', '02'], ['PACK_STEP_SEQUENCE', '# 04)', '04']),
  d('a gap in the numbering', buildPack((steps) => steps.splice(4, 1)), ['PACK_STEP_SEQUENCE', '# 06)', '06']),
  d('numbering that starts at 02', buildPack((steps) => steps.shift()), ['PACK_STEP_SEQUENCE', '# 02)', '02']),
  d('swapped em-dash headers', withStep(5, (st) => (st.header = st.header.replace('# 05)', '# 07 —'))), ['PACK_STEP_SEQUENCE', '# 07 —', '07'], ['PACK_STEP_SEQUENCE', '# 06)', '06'], ['PACK_STEP_DUPLICATE', '# 07)', '07']),
  // what oraclepack's bash checks catch
  d('an orphaned -p line', withStep(4, (st) => replaceLine(st, '  -f "src/area-04.ts" \\', '  -f "src/area-04.ts"')), ['PACK_PROMPT_MISSING', 'oracle --files-report', '04'], ['PACK_ORPHANED_FLAG', '-p "$(cat', '04']),
  d(
    'a comment inside a continuation (the known-broken pack)',
    withStep(2, (st) => st.body.splice(1, 0, '  # save the answer')),
    ['PACK_COMMENT_IN_CONTINUATION', '# save the answer', '02'],
    ['PACK_PROMPT_MISSING', 'oracle --files-report', '02'],
    ['PACK_ORPHANED_FLAG', '"$out_dir/02-question.md"', '02'],
  ),
  d('a trailing `\\` inside a comment', withStep(2, (st) => (st.body[0] = 'oracle --files-report # flags follow \\')), ['PACK_COMMENT_IN_CONTINUATION', 'flags follow', '02'], ['PACK_PROMPT_MISSING', 'flags follow', '02'], ['PACK_ORPHANED_FLAG', '"$out_dir/02-question.md"', '02']),
  d('spaces after a continuation `\\`', withStep(6, (st) => (st.body[0] = 'oracle --files-report \\  ')), ['PACK_PROMPT_MISSING', 'oracle --files-report', '06'], ['PACK_SHELL_BACKSLASH_SPACE', 'oracle --files-report', '06'], ['PACK_ORPHANED_FLAG', '"$out_dir/06-question.md"', '06']),
  // what the runner needs
  d('a step without an oracle command', withStep(7, (st) => (st.body = ['echo "todo"'])), ['PACK_STEP_NO_INVOCATION', '# 07)', '07'], ['PACK_STEP_NOT_ORACLE', 'echo "todo"', '07']),
  d('an empty step', withStep(8, (st) => (st.body = [])), ['PACK_STEP_NO_INVOCATION', '# 08)', '08']),
  d('oracle without a prompt', withStep(9, (st) => st.body.splice(3)), ['PACK_PROMPT_MISSING', 'oracle --files-report', '09']),
  d('--write-output ../x.md', withStep(10, (st) => replaceLine(st, '--write-output', '  --write-output "../10-x.md" \\')), ['PACK_WRITE_OUTPUT_UNSAFE', '../10-x.md', '10']),
  d('--write-output /etc/x.md', withStep(10, (st) => replaceLine(st, '--write-output', '  --write-output /etc/10-x.md \\')), ['PACK_WRITE_OUTPUT_UNSAFE', '/etc/10-x.md', '10']),
  d('--write-output ~/x.md', withStep(10, (st) => replaceLine(st, '--write-output', '  --write-output "~/10-x.md" \\')), ['PACK_WRITE_OUTPUT_UNSAFE', '~/10-x.md', '10']),
  d('--write-output $out_dir/../../x.md', withStep(11, (st) => replaceLine(st, '--write-output', '  --write-output "$out_dir/../../11-x.md" \\')), ['PACK_WRITE_OUTPUT_UNSAFE', '../../11-x.md', '11']),
  d('--write-output=a/../b.md', withStep(11, (st) => replaceLine(st, '--write-output', '  --write-output=out/../11-x.md \\')), ['PACK_WRITE_OUTPUT_UNSAFE', 'out/../11-x.md', '11']),
  d('an absolute out_dir', buildPack(undefined, ['out_dir=/tmp/answers']), ...Array.from({ length: 20 }, (_, k): Expected => ['PACK_WRITE_OUTPUT_UNSAFE', '--write-output', String(k + 1).padStart(2, '0')])),
  d('-p given twice', withStep(12, (st) => replaceLine(st, '-f "src/area-12.ts"', '  -f "src/area-12.ts" -p first \\')), ['PACK_FLAG_REPEATED', '-p "$(cat', '12']),
  d('--write-output without a value', withStep(12, (st) => replaceLine(st, ')"', ')" --write-output')), ['PACK_FLAG_MISSING_VALUE', ')" --write-output', '12']),
  d('an unescaped quote inside a prompt', withStep(13, (st) => (st.body = ['oracle --write-output "$out_dir/13-q.md" -p "Check the "skip confirm" flag.', `${INLINE_FORMAT}"`])), ['PACK_STRAY_ARGUMENT', 'skip confirm', '13']),
  s('an unescaped quote inside a prompt (an error in strict)', withStep(13, (st) => (st.body = ['oracle --write-output "$out_dir/13-q.md" -p "Check the "skip confirm" flag.', `${INLINE_FORMAT}"`])), ['PACK_STRAY_ARGUMENT', 'skip confirm', '13'], ['PACK_ANSWER_FORMAT', 'skip confirm', '13']),
  d('two positional prompts', withStep(13, (st) => (st.body = ['oracle --write-output "$out_dir/13-q.md" "Direct answer, Risks/unknowns," Next experiment'])), ['PACK_TOO_MANY_ARGUMENTS', 'Risks/unknowns', '13']),
  d(
    'a header-looking line inside a prompt',
    withStep(13, (st) => replaceLine(st, 'Question 13', '# 14) is this a step?')),
    ['PACK_HEADER_IN_PROMPT', '# 14) is this', '13'],
    ['PACK_SHELL_UNTERMINATED', '-p "$(cat', '13'],
    ['PACK_PROMPT_MISSING', 'oracle --files-report', '13'],
    ['PACK_STEP_NO_INVOCATION', '# 14) is this', '14'],
    ['PACK_STEP_DUPLICATE', '# 14) ROI', '14'],
  ),
  // outside the bash subset
  d('a pipe', withStep(14, (st) => replaceLine(st, ')"', ')" | tee log.txt')), ['PACK_SHELL_OPERATOR', 'tee log.txt', '14'], ['PACK_STEP_NOT_ORACLE', 'tee log.txt', '14']),
  d('&&', withStep(14, (st) => (st.body[0] = 'mkdir -p out && oracle --files-report \\')), ['PACK_SHELL_OPERATOR', 'mkdir -p out', '14'], ['PACK_STEP_NOT_ORACLE', 'mkdir -p out', '14']),
  d('a redirection', withStep(15, (st) => replaceLine(st, ')"', ')" 2>/dev/null')), ['PACK_SHELL_REDIRECTION', '2>/dev/null', '15']),
  d('backticks in a prompt', withStep(15, (st) => (st.body = [`oracle --write-output "$out_dir/15-q.md" -p "Why \`uname\`? ${INLINE_FORMAT}"`])), ['PACK_SHELL_SUBSTITUTION', 'uname', '15']),
  d('$(…) other than cat <<TAG', withStep(16, (st) => replaceLine(st, '-f "src/area-16.ts"', '  -f "$(git ls-files | head -1)" \\')), ['PACK_SHELL_SUBSTITUTION', 'git ls-files', '16']),
  d('$((…))', withStep(16, (st) => replaceLine(st, '-f "src/area-16.ts"', '  -f "part-$((1 + 1)).ts" \\')), ['PACK_SHELL_SUBSTITUTION', 'part-$((', '16']),
  d('$(cat <<TAG) outside double quotes', withStep(16, (st) => replaceLine(st, '-p "$(cat', `  -p $(cat <<'PROMPT'`)), ['PACK_SHELL_SUBSTITUTION', '-p $(cat', '16'], ['PACK_SHELL_UNTERMINATED', ')"', '16']),
  d('${var:-default}', withStep(16, (st) => replaceLine(st, '--write-output', '  --write-output "${dir:-out}/16-q.md" \\')), ['PACK_SHELL_PARAMETER', '${dir:-out}', '16']),
  d('$1', withStep(17, (st) => replaceLine(st, '-f "src/area-17.ts"', '  -f "$1" \\')), ['PACK_SHELL_PARAMETER', '-f "$1"', '17']),
  d('an unknown variable', withStep(17, (st) => replaceLine(st, '-f "src/area-17.ts"', '  -f "$HOME/notes.md" \\')), ['PACK_SHELL_UNKNOWN_VAR', '$HOME/notes.md', '17']),
  d("$'…' quoting", withStep(17, (st) => replaceLine(st, '-f "src/area-17.ts"', "  -f $'a\\tb' \\")), ['PACK_SHELL_UNSUPPORTED', "$'a", '17']),
  d('brace expansion', withStep(17, (st) => replaceLine(st, '-f "src/area-17.ts"', '  -f src/area-17.{ts,md} \\')), ['PACK_SHELL_UNSUPPORTED', 'area-17.{ts,md}', '17']),
  d('an unquoted ~', withStep(17, (st) => replaceLine(st, '-f "src/area-17.ts"', '  -f ~/notes.md \\')), ['PACK_SHELL_UNSUPPORTED', '~/notes.md', '17']),
  d('an environment prefix', withStep(18, (st) => (st.body[0] = 'ORACLE_ENGINE=api oracle --files-report \\')), ['PACK_SHELL_UNSUPPORTED', 'ORACLE_ENGINE=api', '18']),
  d('an assignment in a step', withStep(18, (st) => st.body.unshift('name=x')), ['PACK_STEP_NOT_ORACLE', 'name=x', '18']),
  d('an unterminated double quote', withStep(20, (st) => (st.body = ['oracle --write-output "$out_dir/20-q.md" -p "never closed'])), ['PACK_SHELL_UNTERMINATED', 'never closed', '20']),
  d('an unterminated heredoc', withStep(20, (st) => replaceLine(st, 'PROMPT', 'PROMPTS')), ['PACK_SHELL_UNTERMINATED', '-p "$(cat', '20']),
  d('a heredoc without its `)`', withStep(20, (st) => replaceLine(st, ')"', '"')), ['PACK_SHELL_UNTERMINATED', '-p "$(cat', '20'], ['PACK_SHELL_SUBSTITUTION', below('20', 12), '20']),
  // warnings do not make a pack invalid
  d('a prelude command that will not run', buildPack(undefined, ['set -euo pipefail', 'out_dir=out']), ['PACK_PRELUDE_COMMAND', 'set -euo']),
  d('a bare `\\` line', withStep(19, (st) => st.body.splice(1, 0, '\\')), ['PACK_BARE_BACKSLASH', below('19', 2), '19']),
  d('a repeated header key', withStep(19, (st) => (st.header += ' effort=High')), ['PACK_HEADER_FIELD_DUPLICATE', '# 19)', '19']),
  d('CRLF line ends', buildPack().replace(/\n/g, '\r\n'), ['PACK_CRLF']),
  // --strict
  s('two bash fences', `${buildPack()}\n\`\`\`bash\necho more\n\`\`\`\n`, ['PACK_BASH_FENCE_COUNT', (text) => lineOf(text, 'echo more') - 1]),
  s('19 steps', buildPack((steps) => steps.pop()), ['PACK_STEP_COUNT']),
  s('21 steps', buildPack((steps) => steps.push(validStep(21))), ['PACK_STEP_COUNT']),
  d('two oracle commands in a step', withStep(3, (st) => st.body.push(`oracle -p "${INLINE_FORMAT}" --write-output "$out_dir/03-b.md"`)), ['PACK_STEP_MULTIPLE_INVOCATIONS', '03-b.md', '03']),
  s('a missing header field', withStep(4, (st) => setField(st, 'horizon', undefined)), ['PACK_HEADER_FIELD_MISSING', '# 04)', '04']),
  s('an empty header field', withStep(4, (st) => setField(st, 'impact', '')), ['PACK_HEADER_FIELD_MISSING', '# 04)', '04']),
  s('a non-numeric ROI', withStep(20, (st) => setField(st, 'ROI', 'high')), ['PACK_HEADER_FIELD_INVALID', '# 20)', '20']),
  s('an unknown category', withStep(5, (st) => setField(st, 'category', 'security')), ['PACK_CATEGORY_UNKNOWN', '# 05)', '05']),
  s('an unknown horizon (a warning)', withStep(5, (st) => setField(st, 'horizon', 'Someday')), ['PACK_HORIZON_UNKNOWN', '# 05)', '05']),
  s('ROI not descending', withStep(7, (st) => setField(st, 'ROI', '4.5')), ['PACK_ROI_ORDER', '# 07)', '07']),
  s('an ROI tie with the higher effort first', buildPack((steps) => (setField(steps[4]!, 'ROI', '4.0'), setField(steps[4]!, 'effort', 'High'))), ['PACK_ROI_ORDER', '# 06)', '06']),
  s('an ROI tie with numeric efforts', buildPack((steps) => (setField(steps[4]!, 'ROI', '4.0'), setField(steps[4]!, 'effort', '0.5'), setField(steps[5]!, 'effort', '0.25'))), ['PACK_ROI_ORDER', '# 06)', '06']),
  s('an output file not named NN-*.md', withStep(8, (st) => replaceLine(st, '--write-output', '  --write-output "$out_dir/question-08.md" \\')), ['PACK_WRITE_OUTPUT_NAME', 'question-08.md', '08']),
  s('an output file named after another step', withStep(8, (st) => replaceLine(st, '--write-output', '  --write-output "$out_dir/09-question.txt" \\')), ['PACK_WRITE_OUTPUT_NAME', '09-question.txt', '08']),
  s('no --write-output', withStep(9, (st) => st.body.splice(1, 1)), ['PACK_WRITE_OUTPUT_MISSING', 'oracle --files-report', '09']),
  s('an answer format without Risks/unknowns', withStep(10, (st) => replaceLine(st, '2) Risks/unknowns', '2) Caveats')), ['PACK_ANSWER_FORMAT', 'oracle --files-report', '10']),
  s('a placeholder in a prompt', withStep(11, (st) => replaceLine(st, 'Question 11', 'Question about {{reference}}?')), ['PACK_PLACEHOLDER', '{{reference}}', '11']),
  s('a placeholder in a header', withStep(11, (st) => setField(st, 'reference', '{{path}}')), ['PACK_PLACEHOLDER', '# 11)', '11']),
  s('two steps covering the same reference and category (a warning)', withStep(12, (st) => setField(st, 'reference', 'src/area-02.ts')), ['PACK_DUPLICATE_COVERAGE', '# 12)', '12']),
  d('a heredoc closed by `TAG)`', withStep(19, (st) => (replaceLine(st, 'PROMPT', 'PROMPT)"'), st.body.pop())), ['PACK_HEREDOC_CLOSE_PAREN', below('19', 11), '19']),
  s('a heredoc closed by `TAG)` (an error in strict)', withStep(19, (st) => (replaceLine(st, 'PROMPT', 'PROMPT)"'), st.body.pop())), ['PACK_HEREDOC_CLOSE_PAREN', below('19', 11), '19']),
  s('a bare `\\` line (an error in strict)', withStep(19, (st) => st.body.splice(1, 0, '  \\')), ['PACK_BARE_BACKSLASH', below('19', 2), '19']),
]

describe('validatePack: malformed packs', () => {
  it('starts from a pack that is valid in both modes', () => {
    for (const mode of ['default', 'strict'] as const) expect(validatePack(parsePack(buildPack()), mode)).toMatchObject({ valid: true, findings: [] })
  })

  it.each(CASES.map((c) => [c.mode, c.name, c] as const))('%s: %s', (_mode, _name, { text, mode, expected }) => {
    expect(summary(text, mode)).toEqual(resolve(text, expected).sort(byIndexes(1, 2, 0)))
    const errors = expected.filter(([code]) => !WARNINGS.has(code) || (mode === 'strict' && STRICT_ERRORS.includes(code))).length
    expect(validatePack(parsePack(text), mode)).toMatchObject({ valid: errors === 0, errors })
  })

  it('reports the default checks again under strict', () => {
    const text = withStep(10, (st) => replaceLine(st, '--write-output', '  --write-output "../x.md" \\'))
    expect(summary(text, 'strict')).toEqual([['PACK_WRITE_OUTPUT_NAME', lineOf(text, '../x.md'), '10'], ['PACK_WRITE_OUTPUT_UNSAFE', lineOf(text, '../x.md'), '10']])
  })

  it.each([
    ['"Risks and unknowns" and "Next experiment"', [['2) Risks/unknowns', '2) Risks and unknowns'], ['3) Next smallest concrete experiment', '3) Next experiment']]],
    ['"Missing evidence", in any letter case', [['1) Direct answer', '1) DIRECT ANSWER'], ['4) If evidence', '4) Missing evidence: list files']]],
  ])('accepts %s in the answer format', (_name, replacements) => {
    const text = withStep(10, (st) => replacements.forEach(([from, to]) => replaceLine(st, from!, to!)))
    expect(summary(text, 'strict')).toEqual([])
  })

  it.each([
    ['a tie between efforts of different kinds', (steps: StepSpec[]) => (setField(steps[4]!, 'ROI', '4.0'), setField(steps[5]!, 'effort', '0.1'))],
    ['two-word categories', (steps: StepSpec[]) => setField(steps[0]!, 'category', 'background jobs')],
    ['any category letter case', (steps: StepSpec[]) => setField(steps[0]!, 'category', 'ux flows')],
    ['the same reference in two categories', (steps: StepSpec[]) => setField(steps[1]!, 'reference', 'src/area-01.ts')],
    ['two Unknown references in one category', (steps: StepSpec[]) => (setField(steps[1]!, 'reference', 'Unknown'), setField(steps[11]!, 'reference', 'Unknown'))],
    ['a positional prompt', (steps: StepSpec[]) => (steps[0]!.body = [`oracle --write-output "$out_dir/01-q.md" "${INLINE_FORMAT}"`])],
  ])('accepts %s in strict mode', (_name, edit) => {
    expect(summary(buildPack(edit), 'strict')).toEqual([])
  })
})

describe('validatePack: report', () => {
  const messy = buildPack((steps) => {
    steps[2]!.body = ['echo one | tee x', 'oracle -p "$nope"']
    steps.splice(6, 1)
    setField(steps[9]!, 'category', 'security')
    steps[12]!.body.push('oracle -f "$HOME" > out.txt')
  }, ['cd somewhere', 'out_dir=/abs'])

  it('is deterministic: the same report twice, findings sorted by line, step, code, message', () => {
    const [a, b] = [validatePack(parsePack(messy), 'strict'), validatePack(parsePack(messy), 'strict')]
    expect(b).toEqual(a)
    expect(a.findings.length).toBeGreaterThan(30)
    const keys = a.findings.map((f) => [f.line, f.step, f.code, f.message])
    expect(keys).toEqual([...keys].sort(byIndexes(0, 1, 2, 3)))
    expect(a.findings.at(-1)).toMatchObject({ code: 'PACK_STEP_COUNT' })
    expect(a.findings.filter((f) => f.line === undefined).map((f) => f.code)).toEqual(['PACK_STEP_COUNT'])
  })

  it('counts steps, fences and oracle commands, and splits errors from warnings', () => {
    const report = validatePack(parsePack(messy), 'default')
    expect(report.counts).toEqual({ steps: 19, bash_blocks: 1, oracle_invocations: 20 })
    expect(report.errors + report.warnings).toBe(report.findings.length)
    expect(report.warnings).toBe(1)
    expect(report).toMatchObject({ valid: false, mode: 'default' })
  })

  it('gives every finding a code, a severity, a message and a hint', () => {
    for (const f of validatePack(parsePack(messy), 'strict').findings) {
      expect(f.code).toMatch(/^PACK_[A-Z_]+$/)
      expect(['error', 'warning']).toContain(f.severity)
      expect(f.message.length).toBeGreaterThan(5)
      expect(f.hint?.length).toBeGreaterThan(10)
    }
  })

  it('does not change the parsed pack', () => {
    const pack = parsePack(messy)
    const before = structuredClone(pack)
    validatePack(pack, 'strict').findings.forEach((f) => (f.severity = 'warning'))
    expect(pack).toEqual(before)
  })
})

describe('the finding codes table at the top of validate.ts', () => {
  const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8')
  const table = new Map([...read('validate.ts').matchAll(/^\/\/ \| (PACK_[A-Z_]+)\s*\| (error|warning)\s*\| (default|strict)\s*\|/gm)].map((m) => [m[1]!, m[2]!]))

  it('documents every code the sources emit, and no other', () => {
    const emitted = new Set(['shell.ts', 'parse.ts', 'validate.ts', 'meta.ts', 'lint-attachments.ts'].flatMap((name) => [...read(name).matchAll(/\b(PACK_[A-Z_]+)['`:]/g)].map((m) => m[1]!)))
    expect([...table.keys()].sort()).toEqual([...emitted].sort())
  })

  it('states each code\'s default severity', () => {
    const severities = new Set([...table.values()])
    expect(severities).toEqual(new Set(['error', 'warning']))
    for (const code of WARNINGS) expect(table.get(code)).toBe('warning')
    expect([...table].filter(([, severity]) => severity === 'warning').map(([code]) => code).sort()).toEqual([...WARNINGS].sort())
  })

  it('exports the fixed categories and required fields', () => {
    expect(CATEGORIES).toHaveLength(10)
    expect(CATEGORIES.filter((c) => c.includes(' '))).toEqual(['background jobs', 'UX flows', 'failure modes', 'feature flags'])
    expect(REQUIRED_FIELDS).toEqual(['ROI', 'impact', 'confidence', 'effort', 'horizon', 'category', 'reference'])
  })
})
