// The parser on recorded answers: the 20 real answers of the tickets pack (heading markup lost,
// source labels after every paragraph) and the 20 example answers (every shape the format drifts
// into). Each is compared with a golden summary; `UPDATE_GOLDEN=1 npx vitest run src/answer`
// rewrites the goldens, to be read by eye before committing.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ParsedAnswer, SectionKind } from '../types.js'
import { parseAnswer } from './parse.js'

const TICKETS = fileURLToPath(new URL('../../../../../shared/fixtures/outputs/tickets-2026-01-08/', import.meta.url))
const EXAMPLES = fileURLToPath(new URL('../../../../examples/workspace/packs/answers/', import.meta.url))
const UPDATE = process.env['UPDATE_GOLDEN'] === '1'

interface Summary {
  shape: ParsedAnswer['shape']
  items: Record<SectionKind, number>
  insufficient: boolean
  missing: string[]
  noiseLines: number
  first: string | null
}

function summarize(parsed: ParsedAnswer): Summary {
  const items = Object.fromEntries(Object.entries(parsed.sections).map(([kind, list]) => [kind, list.length])) as Record<SectionKind, number>
  const { shape, insufficient, missing, noiseLines } = parsed
  return { shape, items, insufficient, missing, noiseLines, first: parsed.sections.direct_answer[0]?.text.slice(0, 60) ?? null }
}

function readAnswers(dir: string): Array<[string, string]> {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')])
}

/** Compares each answer's summary with the golden file, or rewrites it under UPDATE_GOLDEN=1. */
function checkGolden(goldenName: string, answers: ReadonlyArray<[string, string]>): void {
  const path = fileURLToPath(new URL(`_fixtures/${goldenName}`, import.meta.url))
  const actual = Object.fromEntries(answers.map(([name, text]) => [name, summarize(parseAnswer(text))]))
  if (UPDATE) writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`)
  const golden = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Summary>
  expect(Object.keys(actual)).toEqual(Object.keys(golden))
  for (const [name, summary] of Object.entries(actual)) expect({ name, ...summary }).toEqual({ name, ...golden[name] })
}

/** Each item's line holds the start of its text (labels and citation markers aside). */
function expectLinesPointAtItems(source: string, parsed: ParsedAnswer): void {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n?|\n/)
  for (const item of Object.values(parsed.sections).flat()) {
    const line = (lines[item.line - 1] ?? '').replace(/【[^】]*】/g, '').replace(/\s+/g, ' ')
    const start = item.text.startsWith('```') ? '```' : item.text.slice(0, 24)
    expect(line, `line ${item.line}`).toContain(start)
  }
}

const tickets = readAnswers(TICKETS)
const examples = readAnswers(EXAMPLES)

describe('the 20 real answers of the tickets pack (2026-01-08)', () => {
  it('are 20', () => {
    expect(tickets).toHaveLength(20)
  })

  it('match their golden summaries (shape, items per section, insufficient, missing, noise, first finding)', () => {
    checkGolden('tickets-golden.json', tickets)
  })

  it.each(tickets)('%s: a direct answer, no noise left, lines that point at the items', (_name, text) => {
    const parsed = parseAnswer(text)
    expect(parsed.sections.direct_answer.length).toBeGreaterThan(0)
    expect(parsed.empty).toBe(false)
    for (const item of Object.values(parsed.sections).flat()) {
      expect(item.text).not.toMatch(/Oraclepack_Compatibility_Issues|oraclepack-llms-full|oracle-llms-full|claude-task-master-llms|【|†/)
      expect(item.text).toBe(item.text.trim())
      expect(item.text).not.toMatch(/\s{2}|\u00A0/)
    }
    expectLinesPointAtItems(text, parsed)
    // items come in file order, section after section
    const all = Object.values(parsed.sections).flat().sort((a, b) => a.line - b.line)
    expect(new Set(all.map((item) => item.line)).size).toBe(all.length)
  })

  it('find the format labels where the answers got far enough to write them', () => {
    const withRisks = tickets.filter(([, text]) => parseAnswer(text).sections.risks.length > 0).map(([name]) => name.slice(0, 2))
    expect(withRisks).toEqual(['02', '05', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20'])
    const withMissing = tickets.filter(([, text]) => parseAnswer(text).sections.missing_evidence.length > 0).map(([name]) => name.slice(0, 2))
    expect(withMissing).toEqual(['07', '10', '13', '14'])
  })
})

describe('the 20 example answers', () => {
  const byNumber = new Map(examples.map(([name, text]) => [name.slice(0, 2), parseAnswer(text)]))

  it('match their golden summaries', () => {
    expect(examples).toHaveLength(20)
    checkGolden('examples-golden.json', examples)
  })

  it.each(examples)('%s: lines point at the items, no citation markers left', (_name, text) => {
    const parsed = parseAnswer(text)
    expectLinesPointAtItems(text, parsed)
    for (const item of Object.values(parsed.sections).flat()) expect(item.text).not.toMatch(/【|†/)
  })

  it('finds 16, 17 and 19 insufficient, with the paths they ask for, and no other', () => {
    expect([...byNumber].filter(([, parsed]) => parsed.insufficient).map(([n]) => n)).toEqual(['16', '17', '19'])
    expect(byNumber.get('16')!.missing).toEqual([
      'products/billing-api/src/payments-client.ts',
      'products/billing-api/src/jobs/**/*.ts',
      'products/billing-api/src/worker.ts',
      'products/billing-api/package.json',
    ])
    expect(byNumber.get('17')!.missing).toEqual([
      'products/billing-api/src/routes/invoices.ts',
      'products/billing-api/src/routes/*.ts',
      'products/billing-api/src/auth/*.ts',
      'products/billing-api/src/db/invoices.ts',
    ])
    expect(byNumber.get('19')!.missing).toEqual([
      'products/billing-api/src/jobs/monthly-invoicing.ts',
      'products/billing-api/src/jobs/*.ts',
      'products/billing-api/src/cron/*.ts',
      'products/billing-api/src/payments-client.ts',
    ])
  })

  it('reads 13 (bullets, no labels) as free-form and 15 (bold and inline labels) as labels', () => {
    const free = byNumber.get('13')!
    expect(free.shape).toBe('free-form')
    expect(free.sections.direct_answer).toHaveLength(8)
    // its tagged bullets: "Unknown:", "Next:" and "Missing:"
    expect(free.sections.risks.map((item) => item.text)).toEqual([expect.stringMatching(/^who imports `delays`/)])
    expect(free.sections.next_experiment.map((item) => item.text)).toEqual([expect.stringMatching(/^apply `as const`/)])
    expect(free.missing).toEqual(['products/billing-api/src/**/*.ts', 'products/billing-api/src/**/*.test.ts'])
    const labels = byNumber.get('15')!
    expect(labels.shape).toBe('labels')
    expect(labels.sections.direct_answer[0]!.text).toMatch(/^we would not detect it today\. `total`/)
    expect(labels.sections.risks.map((item) => item.text)).toEqual([expect.stringMatching(/^it is unknown whether the provider's charge amount/)])
    expect(labels.sections.next_experiment.map((item) => item.text)).toEqual([expect.stringMatching(/^log `total` next to the provider's charged amount/)])
    expect(labels.missing).toEqual(['products/billing-api/src/payments-client.ts', 'products/billing-api/src/webhooks/*.ts'])
  })

  it('reads headings (### and ##), numbered labels and the "changed from the suggestion" remark', () => {
    expect(byNumber.get('01')!.shape).toBe('headings')
    expect(byNumber.get('19')!.shape).toBe('headings')
    expect(['04', '07', '10', '18'].map((n) => byNumber.get(n)!.shape)).toEqual(['numbered', 'numbered', 'numbered', 'numbered'])
    expect(byNumber.get('18')!.sections.next_experiment.map((item) => item.line)).toEqual([11])
    expect(byNumber.get('06')!.sections.missing_evidence.map((item) => item.text)).toEqual(['None for this question.'])
    expect(byNumber.get('06')!.missing).toEqual([])
  })
})
