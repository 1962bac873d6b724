// The [oraclepack-meta] block: how it is read, what strict validation asks of it, and where the
// run's plan takes it from.

import { describe, expect, it } from 'vitest'
import { buildPack, lineOf, withStep, type StepSpec } from './_fixtures/build-pack.js'
import { formatMeta, readMeta, stripMeta } from './meta.js'
import { parsePack } from './parse.js'
import { planSteps } from '../run/plan.js'
import { validatePack } from './validate.js'

const at = () => 7
const read = (prompt: string) => readMeta(prompt, at)

describe('readMeta', () => {
  const full = { questionId: 'retry-after', category: 'failure modes', reference: 'src/retry.ts:delays', expectedArtifacts: ['src/retry.test.ts'], line: 7 }

  it.each([
    ['the canonical block', '[oraclepack-meta]\nQuestionId=retry-after\nCategory=failure modes\nReference=src/retry.ts:delays\nExpectedArtifacts=src/retry.test.ts\n[/oraclepack-meta]\nWhy?', full],
    ['one line, as in the issue', 'Q [oraclepack-meta] QuestionId=retry-after Category=failure modes Reference=src/retry.ts:delays ExpectedArtifacts=src/retry.test.ts [/oraclepack-meta] Why?', full],
    ['`Key: value` lines and any key case', '[oraclepack-meta]\nquestionid: retry-after\nCATEGORY: failure modes\nReference: src/retry.ts:delays\nexpectedartifacts: src/retry.test.ts\n[/oraclepack-meta]', full],
    ['a list of artifacts', '[oraclepack-meta] QuestionId=a ExpectedArtifacts=a.ts, docs/b.md ,c.md [/oraclepack-meta]', { questionId: 'a', expectedArtifacts: ['a.ts', 'docs/b.md', 'c.md'], line: 7 }],
    ['ExpectedArtifacts=none', '[oraclepack-meta] QuestionId=a ExpectedArtifacts=None [/oraclepack-meta]', { questionId: 'a', expectedArtifacts: [], line: 7 }],
    ['an empty value', '[oraclepack-meta]\nQuestionId=\nReference=x.go\n[/oraclepack-meta]', { questionId: '', reference: 'x.go', expectedArtifacts: [], line: 7 }],
    ['a reference with a symbol but no key form', '[oraclepack-meta] Reference= Makefile:build [/oraclepack-meta]', { reference: 'Makefile:build', expectedArtifacts: [], line: 7 }],
    ['an empty block', '[oraclepack-meta][/oraclepack-meta]', { expectedArtifacts: [], line: 7 }],
  ])('reads %s', (_name, prompt, expected) => {
    expect(read(prompt)).toEqual({ meta: expected, findings: [] })
  })

  it.each([
    ['no block', 'Why does it fail?', undefined, []],
    ['a block never closed', '[oraclepack-meta] QuestionId=a', undefined, ['PACK_META_MALFORMED']],
    ['a closing tag alone', 'QuestionId=a [/oraclepack-meta]', undefined, ['PACK_META_MALFORMED']],
    ['two blocks', '[oraclepack-meta] QuestionId=a [/oraclepack-meta] [oraclepack-meta] QuestionId=b [/oraclepack-meta]', 'a', ['PACK_META_MALFORMED']],
    ['a word before any key', '[oraclepack-meta] hello QuestionId=a [/oraclepack-meta]', 'a', ['PACK_META_MALFORMED']],
    ['a key given twice', '[oraclepack-meta] QuestionId=a QuestionId=b [/oraclepack-meta]', 'a', ['PACK_META_MALFORMED']],
    ['an unknown key (a warning)', '[oraclepack-meta] QuestionId=a Owner=me [/oraclepack-meta]', 'a', ['PACK_META_UNKNOWN_KEY']],
  ])('reports %s', (_name, prompt, questionId, codes) => {
    const { meta, findings } = read(prompt)
    expect(meta?.questionId).toBe(questionId)
    expect(findings.map((f) => [f.code, f.severity, f.line])).toEqual(codes.map((code) => [code, code === 'PACK_META_UNKNOWN_KEY' ? 'warning' : 'error', 7]))
    for (const f of findings) expect(f.hint).toMatch(/QuestionId/)
  })

  it('writes the canonical block, which reads back the same, and strips it from a prompt', () => {
    const block = formatMeta({ questionId: 'a-b', category: 'UX flows', reference: 'Unknown', expectedArtifacts: [] })
    expect(block).toBe('[oraclepack-meta]\nQuestionId=a-b\nCategory=UX flows\nReference=Unknown\nExpectedArtifacts=none\n[/oraclepack-meta]')
    expect(read(`${block}\n\nWhy?`).meta).toEqual({ questionId: 'a-b', category: 'UX flows', reference: 'Unknown', expectedArtifacts: [], line: 7 })
    expect(stripMeta(`${block}\n\nWhy?\nReally.`)).toBe('Why?\nReally.')
    expect(stripMeta('Intro\n[oraclepack-meta] QuestionId=x [/oraclepack-meta]\nWhy?')).toBe('Intro\nWhy?')
    expect(stripMeta('No block.')).toBe('No block.')
  })
})

/** Puts a metadata block at the top of step `n`'s heredoc prompt. */
const withMeta = (n: number, ...lines: string[]) => withStep(n, (st: StepSpec) => st.body.splice(4, 0, '[oraclepack-meta]', ...lines, '[/oraclepack-meta]'))
const strict = (text: string) => validatePack(parsePack(text), 'strict').findings.map((f) => [f.code, f.line, f.step])

describe('the metadata block in a pack', () => {
  it('is parsed into the step, with the line of its opening tag', () => {
    const text = withMeta(3, 'QuestionId=area-03', 'Category=caching/state', 'Reference=src/area-03.ts', 'ExpectedArtifacts=src/area-03.test.ts')
    const step = parsePack(text).steps[2]!
    expect(step.meta).toEqual({ questionId: 'area-03', category: 'caching/state', reference: 'src/area-03.ts', expectedArtifacts: ['src/area-03.test.ts'], line: lineOf(text, '[oraclepack-meta]') })
    expect(step.invocations[0]!.prompt).toMatch(/^\[oraclepack-meta\]\nQuestionId=area-03\n/)
    expect(strict(text)).toEqual([])
  })

  it('keeps an old pack without blocks valid in both modes', () => {
    expect(parsePack(buildPack()).steps.every((s) => s.meta === undefined)).toBe(true)
    expect(strict(buildPack())).toEqual([])
  })

  const ok = ['QuestionId=area-05', 'Category=observability', 'Reference=src/area-05.ts']
  it.each([
    ['a category other than the header\'s', [ok[0]!, 'Category=permissions', ok[2]!], [['PACK_META_MISMATCH']]],
    ['a reference other than the header\'s', [ok[0]!, ok[1]!, 'Reference=src/other.ts'], [['PACK_META_MISMATCH']]],
    ['both', [ok[0]!, 'Category=invariants', 'Reference=src/other.ts'], [['PACK_META_MISMATCH'], ['PACK_META_MISMATCH']]],
    ['no QuestionId', [ok[1]!, ok[2]!], [['PACK_META_QUESTION_ID']]],
    ['a QuestionId that is not a slug', ['QuestionId=Area 05', ok[1]!], [['PACK_META_QUESTION_ID']]],
    ['a QuestionId over 60 characters', [`QuestionId=${'a'.repeat(61)}`], [['PACK_META_QUESTION_ID']]],
    ['a malformed block (an error in both modes)', ['QuestionId=area-05', 'QuestionId=again'], [['PACK_META_MALFORMED']]],
  ])('strict mode reports %s', (_name, lines, expected) => {
    const text = withMeta(5, ...lines)
    const line = lineOf(text, '[oraclepack-meta]')
    expect(strict(text)).toEqual(expected.map(([code]) => [code, line, '05']))
  })

  it.each([
    ['the category in another letter case', ['QuestionId=area-05', 'Category=OBSERVABILITY']],
    ['only some keys', ['QuestionId=area-05']],
  ])('strict mode accepts %s', (_name, lines) => {
    expect(strict(withMeta(5, ...lines))).toEqual([])
  })

  it('strict mode reports a QuestionId used by two steps, at the second', () => {
    const text = buildPack((steps) => {
      steps[1]!.body.splice(4, 0, '[oraclepack-meta] QuestionId=same [/oraclepack-meta]')
      steps[6]!.body.splice(4, 0, '[oraclepack-meta] QuestionId=same [/oraclepack-meta]')
    })
    expect(strict(text)).toEqual([['PACK_META_QUESTION_ID', lineOf(text, '# 07)') + 5, '07']])
  })

  it('default mode checks only the block\'s form', () => {
    const report = validatePack(parsePack(withMeta(5, 'Category=invariants', 'Owner=me')), 'default')
    expect(report.findings.map((f) => [f.code, f.severity])).toEqual([['PACK_META_UNKNOWN_KEY', 'warning']])
    expect(report.valid).toBe(true)
  })

  it('fills in the plan: question id and artifacts, and category/reference an old header lacks', () => {
    const text = buildPack((steps) => {
      steps[0]!.header = '# 01) ROI=5.0 impact=High'
      steps[0]!.body.splice(4, 0, '[oraclepack-meta] QuestionId=first Category=invariants Reference=src/a.ts ExpectedArtifacts=a.test.ts [/oraclepack-meta]')
      steps[1]!.body.splice(4, 0, '[oraclepack-meta] QuestionId=second Category=permissions [/oraclepack-meta]')
    })
    const plans = planSteps(parsePack(text), { args: [] })
    expect(plans.slice(0, 3).map(({ id, category, reference, questionId, expectedArtifacts }) => ({ id, category, reference, questionId, expectedArtifacts }))).toEqual([
      { id: '01', category: 'invariants', reference: 'src/a.ts', questionId: 'first', expectedArtifacts: ['a.test.ts'] },
      // the header wins where both say something (strict validation makes them agree)
      { id: '02', category: 'invariants', reference: 'src/area-02.ts', questionId: 'second', expectedArtifacts: [] },
      { id: '03', category: 'caching/state', reference: 'src/area-03.ts', questionId: null, expectedArtifacts: [] },
    ])
  })
})
