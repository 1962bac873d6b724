// The parser never throws and is deterministic: seeded random inputs (raw UTF-16 noise, Markdown
// soup, broken markup, mixed line endings) and a few pathological shapes (huge lines, deep nesting).

import { describe, expect, it } from 'vitest'
import type { ParsedAnswer } from '../types.js'
import { extractEvidence } from './evidence.js'
import { parseAnswer } from './parse.js'

/** mulberry32: a small seeded generator, so a failure reproduces from its index. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FRAGMENTS = [
  '#', '## Risks', '### Direct answer', '1)', '1.', '(1)', '#1', 'iv.', '- ', '* ', '  - ', '    ', '>', '> >', '```', '```bash', '~~~', '**', '__', '*', '_', '`',
  '【4:0†retry.ts】', '【', '】', '†', '[1]', '[', ']', '(', ')', '|', '|---|---|', '<!--', '-->', '<div>', '</div>', '\uFEFF', '\u00A0', '\t', '\u200B', '\uD800',
  'Direct answer', 'Risks/unknowns (bullets)', 'Next smallest concrete experiment', 'If evidence is insufficient, name', 'Missing evidence:', '**Short answer:**',
  'Answer:', 'None', 'N/A', 'src/a.ts', '**/jobs/**', 'retry.ts:2', '`npm test`', '`Runner.Run`', 'Oraclepack_Compatibility_Issues', 'the evidence is insufficient',
  'text', 'more words here', '—', ':', '.', ',', '0', '===', '---', '+', '\\',
]
const SEPARATORS = ['\n', '\r\n', '\r', ' ', '', '\n\n']

function rawNoise(next: () => number): string {
  const length = Math.floor(next() * 2000)
  let out = ''
  for (let k = 0; k < length; k++) out += String.fromCharCode(Math.floor(next() * 0x10000))
  return out
}

function markdownSoup(next: () => number): string {
  const length = Math.floor(next() * 200)
  let out = ''
  for (let k = 0; k < length; k++) out += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]! + SEPARATORS[Math.floor(next() * SEPARATORS.length)]!
  return out
}

/** A real-looking answer, cut and spliced at random places. */
function brokenAnswer(next: () => number): string {
  const base = [
    '### Direct answer', '- `delays` is fixed (products/billing-api/src/retry.ts:2).', '【4:0†retry.ts】', '  - nested', '',
    '2) Risks/unknowns', '- unknown units', '', '```ts', 'export const delays = [100]', '', '**Next experiment:** run `npm test`', '',
    'Missing evidence: `src/http.ts`', 'Oraclepack_Compatibility_Issues', ' ', '| a | b |', '|---|---|', '| 1 | 2 |',
  ].join('\n')
  const cut = (s: string): string => s.slice(Math.floor(next() * s.length), Math.floor(next() * s.length) + Math.floor(next() * s.length))
  return cut(base) + cut(base) + cut(base)
}

function expectWellFormed(parsed: ParsedAnswer, input: string): void {
  const lineCount = input.split(/\r\n|\r|\n/).length
  expect(['headings', 'numbered', 'labels', 'mixed', 'free-form']).toContain(parsed.shape)
  const items = Object.values(parsed.sections).flat()
  for (const item of items) {
    expect(item.text.length).toBeGreaterThan(0)
    expect(item.text.startsWith('```') || item.text === item.text.trim()).toBe(true)
    expect(Number.isInteger(item.line) && item.line >= 1 && item.line <= lineCount).toBe(true)
  }
  expect(parsed.empty).toBe(items.length === 0)
  expect(new Set(parsed.missing).size).toBe(parsed.missing.length)
  expect(Number.isInteger(parsed.noiseLines) && parsed.noiseLines >= 0).toBe(true)
}

describe('parseAnswer and extractEvidence on random input', () => {
  const kinds = [rawNoise, markdownSoup, brokenAnswer]
  const inputs = Array.from({ length: 1000 }, (_, k) => {
    const next = random(k + 1)
    return kinds[k % kinds.length]!(next)
  })

  it('never throw, return well-formed results, and return the same result for the same input (1000 inputs)', () => {
    for (const [k, input] of inputs.entries()) {
      let parsed: ParsedAnswer | undefined
      expect(() => (parsed = parseAnswer(input)), `input #${k}`).not.toThrow()
      expectWellFormed(parsed!, input)
      expect(parseAnswer(input), `input #${k}`).toEqual(parsed)
      const evidence = extractEvidence(input)
      expect(extractEvidence(input)).toEqual(evidence)
      for (const list of Object.values(evidence)) expect(new Set(list).size).toBe(list.length)
    }
  })

  it.each<[string, string]>([
    ['a 200 KB line of asterisks', '*'.repeat(200_000)],
    ['a 200 KB line of brackets', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['a 200 KB line of backticks and underscores', '`_'.repeat(100_000)],
    ['a 100 KB single word', 'a'.repeat(100_000)],
    ['a 100 KB path-like word', 'a/'.repeat(50_000)],
    ['20 000 table pipes', `| ${'x | '.repeat(20_000)}\n|${'---|'.repeat(20_000)}`],
    ['blockquotes 500 deep', `${'> '.repeat(500)}Risks: deep`],
    ['a list nested 300 deep', Array.from({ length: 300 }, (_, k) => `${'  '.repeat(k)}- level ${k}`).join('\n')],
    ['an unclosed fence with 10 000 lines', `\`\`\`\n${'code line\n'.repeat(10_000)}`],
    ['10 000 label lines', 'Risks\n'.repeat(10_000)],
    ['only carriage returns', '\r'.repeat(10_000)],
    ['lone surrogates and NULs', '\uD800\u0000\uDFFF'.repeat(10_000)],
  ])('survives %s', (_name, input) => {
    const parsed = parseAnswer(input)
    expectWellFormed(parsed, input)
    expect(parseAnswer(input)).toEqual(parsed)
    expect(() => extractEvidence(input)).not.toThrow()
  })

  it('reads what marked cannot lex (3000 nested quotes overflow its stack) as plain lines', () => {
    const parsed = parseAnswer(`${'> '.repeat(3000)}deep\n\nRisks: none`)
    expect(parsed.sections.direct_answer).toEqual([{ text: `${'> '.repeat(3000).trim()} deep`, line: 1 }])
    expect(parsed.sections.risks).toEqual([{ text: 'none', line: 3 }])
  })

  it('survives input that is not a string at run time', () => {
    expect(parseAnswer(undefined as unknown as string).empty).toBe(true)
    expect(extractEvidence(null as unknown as string)).toEqual({ paths: [], symbols: [], commands: [] })
  })
})
