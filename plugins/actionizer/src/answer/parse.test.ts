// The answer parser on hand-written edge cases: each wording of each label, numbering styles,
// inline labels, nesting, code, line endings and every kind of citation noise.

import { describe, expect, it } from 'vitest'
import type { ParsedAnswer, SectionKind } from '../types.js'
import { parseAnswer } from './parse.js'

type Texts = Partial<Record<SectionKind, string[]>>

/** The non-empty sections as lists of texts. */
function texts(parsed: ParsedAnswer): Texts {
  const out: Texts = {}
  for (const [kind, items] of Object.entries(parsed.sections) as Array<[SectionKind, ParsedAnswer['sections'][SectionKind]]>) {
    if (items.length > 0) out[kind] = items.map((item) => item.text)
  }
  return out
}

const lines = (...rows: string[]): string => rows.join('\n')

describe('parseAnswer: nothing to read', () => {
  it.each([
    ['an empty answer', '', 0],
    ['whitespace only', '  \n\t\n\u00A0\n\n \u200B ', 4],
    ['citation noise only', lines('【4:0†retry.ts】', 'Oraclepack_Compatibility_Issues', ' ', 'Oraclepack_Compatibility_Issues'), 4],
  ])('%s is empty, free-form and not insufficient', (_name, markdown, noiseLines) => {
    expect(parseAnswer(markdown)).toEqual({
      sections: { direct_answer: [], risks: [], next_experiment: [], missing_evidence: [] },
      shape: 'free-form',
      insufficient: false,
      missing: [],
      noiseLines,
      empty: true,
    })
  })
})

describe('parseAnswer: every wording of every label', () => {
  it.each<[string, SectionKind]>([
    ['Direct answer', 'direct_answer'],
    ['Direct answer (1–4 bullets, evidence-cited)', 'direct_answer'],
    ['Answer', 'direct_answer'],
    ['Short answer', 'direct_answer'],
    ['TL;DR', 'direct_answer'],
    ['Risks/unknowns', 'risks'],
    ['Risks / unknowns (bullets)', 'risks'],
    ['Risks and unknowns', 'risks'],
    ['Risks & unknowns', 'risks'],
    ['Risks', 'risks'],
    ['Unknowns', 'risks'],
    ['Next smallest concrete experiment (1 action)', 'next_experiment'],
    ['Next experiment', 'next_experiment'],
    ['Experiment', 'next_experiment'],
    ['Suggested experiment', 'next_experiment'],
    ['If evidence is insufficient, name the exact missing file/path pattern(s) to attach next.', 'missing_evidence'],
    ['Missing evidence', 'missing_evidence'],
    ['Missing inputs', 'missing_evidence'],
    ['Evidence gaps', 'missing_evidence'],
  ])('"%s" starts %s, as a heading, a label line and a bold label', (label, kind) => {
    const asHeading = parseAnswer(lines('Intro.', '', `### ${label}`, '- item'))
    const asLine = parseAnswer(lines('Intro.', '', label, '', '- item'))
    const asBold = parseAnswer(lines('Intro.', '', `**${label}:**`, '- item'))
    for (const [parsed, shape] of [[asHeading, 'headings'], [asLine, 'labels'], [asBold, 'labels']] as const) {
      const expected: Texts = kind === 'direct_answer' ? { direct_answer: ['Intro.', 'item'] } : { direct_answer: ['Intro.'], [kind]: ['item'] }
      expect(texts(parsed)).toEqual(expected)
      expect(parsed.shape).toBe(shape)
    }
  })

  it.each([
    ['1) Risks'],
    ['1. Risks'],
    ['(1) Risks'],
    ['#1 Risks'],
    ['#2) Risks:'],
    ['II. Risks'],
    ['iv) Risks'],
    ['b) Risks'],
    ['Step 2: Risks'],
    ['**1) Risks:**'],
    ['**(1) Risks**'],
  ])('numbering "%s" is read as a numbered label', (label) => {
    const parsed = parseAnswer(lines('Intro.', '', label, '', '- item'))
    expect(texts(parsed)).toEqual({ direct_answer: ['Intro.'], risks: ['item'] })
    expect(parsed.shape).toBe('numbered')
  })

  it.each([
    ['Risks are low because nothing retries.'],
    ['Answering this needs the client code.'],
    ['The next experiment failed last week.'],
    ['Experiments show no regression.'],
  ])('"%s" is a sentence, not a label', (sentence) => {
    const parsed = parseAnswer(sentence)
    expect(texts(parsed)).toEqual({ direct_answer: [sentence] })
    expect(parsed.shape).toBe('free-form')
  })

  it('reads the four parts of the format, numbered, with their format wording', () => {
    const parsed = parseAnswer(
      lines(
        '1) Direct answer (1–4 bullets, evidence-cited)',
        '- It retries three times.',
        '',
        '2) Risks/unknowns (bullets)',
        '- The units are unknown.',
        '',
        '3) Next smallest concrete experiment (1 action) — may differ from the suggested one if you justify it',
        '- Stub the provider.',
        '',
        '4) If evidence is insufficient, name the exact missing file/path pattern(s) to attach next.',
        '- `src/http.ts`',
      ),
    )
    expect(texts(parsed)).toEqual({
      direct_answer: ['It retries three times.'],
      risks: ['The units are unknown.'],
      next_experiment: ['Stub the provider.'],
      missing_evidence: ['`src/http.ts`'],
    })
    expect(parsed).toMatchObject({ shape: 'numbered', insufficient: false, missing: ['src/http.ts'], empty: false })
  })

  it('calls headings mixed with label lines "mixed", and puts text before any label in direct_answer', () => {
    const parsed = parseAnswer(lines('Preamble.', '', '## Risks', '- r1', '', 'Next experiment:', '', '- e1'))
    expect(texts(parsed)).toEqual({ direct_answer: ['Preamble.'], risks: ['r1'], next_experiment: ['e1'] })
    expect(parsed.shape).toBe('mixed')
  })

  it('keeps a heading that is no label as an item of the current section', () => {
    expect(texts(parseAnswer(lines('## Risks', '### Data loss', '- r1')))).toEqual({ risks: ['Data loss', 'r1'] })
  })

  it('reads a label inside a blockquote', () => {
    expect(texts(parseAnswer(lines('> **Risks:** the cache leaks.', '> more of it')))).toEqual({ risks: ['the cache leaks. more of it'] })
  })
})

describe('parseAnswer: a label with text on the same line', () => {
  it.each<[string, SectionKind, string]>([
    ['**Direct answer:** The code retries.', 'direct_answer', 'The code retries.'],
    ['**Short answer:** we would not detect it today.', 'direct_answer', 'we would not detect it today.'],
    ['1) Direct answer — yes, because `delays` is fixed.', 'direct_answer', 'yes, because `delays` is fixed.'],
    ['Answer: no.', 'direct_answer', 'no.'],
    ['Risks: it is unknown whether the webhook is synchronous.', 'risks', 'it is unknown whether the webhook is synchronous.'],
    ['**Risks**: duplicates.', 'risks', 'duplicates.'],
    ['Suggested experiment, kept as proposed: log the total for a day.', 'next_experiment', 'log the total for a day.'],
    ['Missing evidence: the charge call, e.g. `src/payments-client.ts`.', 'missing_evidence', 'the charge call, e.g. `src/payments-client.ts`.'],
    ['- **Risks:** the flag never gets removed.', 'risks', 'the flag never gets removed.'],
  ])('%s', (markdown, kind, text) => {
    const parsed = parseAnswer(lines('Intro.', '', markdown))
    expect(parsed.sections[kind].map((item) => item.text)).toContain(text)
    expect(parsed.sections[kind].find((item) => item.text === text)?.line).toBe(3)
  })

  it('files a plain bullet tagged "Unknown:", "Next:" or "Missing:" under its section, for that bullet only', () => {
    const parsed = parseAnswer(lines('- Yes, it is shared.', '- Unknown: who imports `delays`.', '- Next: apply `as const`.', '- Missing: `src/importers.ts`.', '- It costs nothing to fix.'))
    expect(parsed.shape).toBe('free-form')
    expect(texts(parsed)).toEqual({
      direct_answer: ['Yes, it is shared.', 'It costs nothing to fix.'],
      risks: ['who imports `delays`.'],
      next_experiment: ['apply `as const`.'],
      missing_evidence: ['`src/importers.ts`.'],
    })
    expect(parsed.missing).toEqual(['src/importers.ts'])
    expect(parsed.insufficient).toBe(false)
  })

  it('drops a remark on the suggested experiment and keeps the experiment', () => {
    const parsed = parseAnswer(lines('3) Next smallest concrete experiment — changed from the suggestion', '- Check the submit handler.'))
    expect(texts(parsed)).toEqual({ next_experiment: ['Check the submit handler.'] })
  })

  it('reads a label line followed by text in the same paragraph', () => {
    const parsed = parseAnswer(lines('Direct answer (short)', 'The cache is global.', 'Risks/unknowns', 'Tests leak state.'))
    expect(texts(parsed)).toEqual({ direct_answer: ['The cache is global.'], risks: ['Tests leak state.'] })
    expect(parsed.sections.risks[0]!.line).toBe(4)
  })
})

describe('parseAnswer: blocks and lines', () => {
  it('makes nested list items items of their own, the parent without its children', () => {
    const parsed = parseAnswer(lines('### Direct answer', '- parent', '  - child one', '    - grandchild', '  - child two', '- sibling', '  continued'))
    expect(parsed.sections.direct_answer).toEqual([
      { text: 'parent', line: 2 },
      { text: 'child one', line: 3 },
      { text: 'grandchild', line: 4 },
      { text: 'child two', line: 5 },
      { text: 'sibling continued', line: 6 },
    ])
  })

  it('keeps a code block as an item, fenced, with its lines', () => {
    const parsed = parseAnswer(lines('### Next experiment', 'Run:', '', '```bash', 'npm test -- retry  ', '', 'go test ./...', '```'))
    expect(parsed.sections.next_experiment).toEqual([
      { text: 'Run:', line: 2 },
      { text: '```bash\nnpm test -- retry\n\ngo test ./...\n```', line: 4 },
    ])
  })

  it('does not count blank-looking lines inside code as noise', () => {
    expect(parseAnswer(lines('```', 'a', '   ', 'b', '```', '   ')).noiseLines).toBe(1)
  })

  it('reads table rows as items', () => {
    const parsed = parseAnswer(lines('## Risks', '', '| risk | impact |', '|---|---|', '| duplicates | high |', '| drift | low |'))
    expect(parsed.sections.risks).toEqual([
      { text: 'duplicates | high', line: 5 },
      { text: 'drift | low', line: 6 },
    ])
  })

  it('drops HTML comments and link definitions', () => {
    const parsed = parseAnswer(lines('<!-- generated -->', '', 'Answer text.', '', '[1]: https://example.com/source'))
    expect(texts(parsed)).toEqual({ direct_answer: ['Answer text.'] })
    expect(parsed.noiseLines).toBe(1)
  })

  it('reads CRLF and a BOM as plain LF, with the same lines', () => {
    const lf = lines('### Direct answer', '- a', '', '### Risks', '- b  c')
    const crlf = `\uFEFF${lf.replaceAll('\n', '\r\n')}\r\n`
    expect(parseAnswer(crlf)).toEqual(parseAnswer(lf))
    expect(parseAnswer(crlf).sections.risks).toEqual([{ text: 'b c', line: 5 }])
  })

  it('collapses whitespace inside items', () => {
    expect(texts(parseAnswer('A  paragraph\twith\u00A0odd\n   spacing.  '))).toEqual({ direct_answer: ['A paragraph with odd spacing.'] })
  })
})

describe('parseAnswer: citation noise', () => {
  it('strips markers, label lines, repeated labels and blank-looking lines, and counts them', () => {
    const parsed = parseAnswer(
      lines(
        '### Direct answer',
        '- The schedule is fixed (retry.ts:2).【4:0†retry.ts】',
        '【4:1†invoice.ts】',
        '- Second finding.:contentReference[oaicite:3]{index=3}',
        '',
        'A paragraph.',
        '',
        'Oraclepack_Compatibility_Issues',
        '',
        '\u00A0\u00A0',
        '',
        'oracle-llms-full',
        '[1]',
        '[2][3]',
        'SourceNotes',
        'SourceNotes',
        'SourceNotes',
        '',
        'Last paragraph.',
      ),
    )
    expect(texts(parsed)).toEqual({ direct_answer: ['The schedule is fixed (retry.ts:2).', 'Second finding.', 'A paragraph.', 'Last paragraph.'] })
    // 【…】 line, Oraclepack_…, nbsp line, oracle-llms-full, [1], [2][3], SourceNotes ×3
    expect(parsed.noiseLines).toBe(9)
    expect(parsed.sections.direct_answer.map((item) => item.line)).toEqual([2, 4, 6, 19])
  })

  it('splits a paragraph where a label line sat between two cited paragraphs', () => {
    expect(texts(parseAnswer(lines('First claim.', 'Oraclepack_Compatibility_Issues', 'Second claim.')))).toEqual({ direct_answer: ['First claim.', 'Second claim.'] })
  })

  it('keeps one-word lines that are not labels', () => {
    expect(texts(parseAnswer(lines('Yes.', '', 'Follow-up', '', '`MAX_RETRIES`')))).toEqual({ direct_answer: ['Yes.', 'Follow-up', '`MAX_RETRIES`'] })
  })
})

describe('parseAnswer: insufficient and missing', () => {
  it.each([
    ['The evidence is insufficient to say whether a check exists.'],
    ['Insufficient evidence. Attach next:'],
    ['The attached files are insufficient to answer the batch question.'],
    ['There is not enough evidence in the excerpt.'],
    ['We cannot determine the caller from the attached files.'],
    ['The attached files cannot answer this.'],
    ['I would need to see the worker.'],
    ['Missing evidence: the worker entry point.'],
  ])('"%s" says the evidence is insufficient', (sentence) => {
    expect(parseAnswer(lines('### Direct answer', `- ${sentence}`)).insufficient).toBe(true)
  })

  it.each([
    ['Missing evidence: None', lines('Direct answer: it is fine.', '', 'Missing evidence: None')],
    ['a None bullet', lines('### Direct answer', '- Fine.', '', '### Missing evidence', '- None.')],
    ['N/A', lines('### Direct answer', '- Fine.', '', '### Missing evidence', 'N/A')],
    ['No missing evidence', lines('### Direct answer', '- Fine.', '', '### Missing evidence', '- No missing evidence.')],
    ['Evidence is sufficient', lines('### Direct answer', '- Fine.', '', '### Missing evidence', 'Evidence is sufficient.')],
    ['a list of nice-to-have files after a full answer', lines('### Direct answer', '- Fine.', '', '### Missing evidence', '- `src/client.ts`, to see callers.')],
  ])('%s is not insufficient', (_name, markdown) => {
    expect(parseAnswer(markdown).insufficient).toBe(false)
  })

  it('reads an answer that is only a missing-evidence list as insufficient, with its paths', () => {
    const parsed = parseAnswer(lines('## Missing evidence', '- `products/billing-api/src/worker.ts`', '- `products/billing-api/src/jobs/**/*.ts` (if any)', '- the queue config: config/queue.yaml.'))
    expect(parsed).toMatchObject({
      shape: 'headings',
      insufficient: true,
      missing: ['products/billing-api/src/worker.ts', 'products/billing-api/src/jobs/**/*.ts', 'config/queue.yaml'],
      empty: false,
    })
    expect(parsed.sections.direct_answer).toEqual([])
  })

  it('takes missing paths from sentences elsewhere that ask for them, and only backticked ones when there are any', () => {
    const parsed = parseAnswer(
      lines(
        '- The retry table in retry.ts is fixed.',
        '- Missing: the importers, i.e. `src/**/*.ts` files that import `./retry.js`.',
        '- Please attach cmd/oraclepack/main.go next.',
        '- A missing binary on PATH fails the step in internal/exec/run.go.',
      ),
    )
    // `./retry.js` is an import specifier there, not a file to attach
    expect(parsed.missing).toEqual(['src/**/*.ts', 'cmd/oraclepack/main.go'])
  })

  it('lists missing paths once, in order, without backticks, quotes or trailing punctuation', () => {
    const parsed = parseAnswer(lines('### Missing evidence', '- "src/a.ts", `src/b.ts`;', '- src/a.ts and src/c.ts.', '- **/jobs/**, internal/**/dispatch*'))
    expect(parsed.missing).toEqual(['src/b.ts', 'src/a.ts', 'src/c.ts', '**/jobs/**', 'internal/**/dispatch*'])
  })
})
