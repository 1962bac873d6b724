import { describe, expect, it } from 'vitest'
import type { Tokens } from 'marked'
import { marked, plainText, tokenTypes } from './_fixtures/markdown-text.js'
import { codeSpan, escapeMarkdown } from './markdown.js'

// Token types a line of answer text may produce: nothing that changes structure or styling.
const PLAIN = new Set(['paragraph', 'text', 'escape', 'codespan', 'space', 'list', 'list_item', 'checkbox'])

// [answer text, what a reader sees]
const CASES: [string, string][] = [
  ['plain words', 'plain words'],
  ['a | b | c', 'a | b | c'],
  ['| a | b |\n|---|---|', '| a | b | |---|---|'],
  ['use `a|b` here', 'use a|b here'],
  ['a lone ` backtick', 'a lone ` backtick'],
  ['``` not a fence', '``` not a fence'],
  ['`` code with ` inside ``', 'code with ` inside'],
  ['unbalanced `` and `', 'unbalanced `` and `'],
  ['# not a heading', '# not a heading'],
  ['- not a list', '- not a list'],
  ['+ not a list', '+ not a list'],
  ['= not an underline', '= not an underline'],
  ['1. not ordered', '1. not ordered'],
  ['2) not ordered', '2) not ordered'],
  ['> not a quote', '> not a quote'],
  ['*em* **strong** _u_ ~~del~~ ~x~', '*em* **strong** _u_ ~~del~~ ~x~'],
  ['[link](http://x) ![img](y) [ref]', '[link](http://x) ![img](y) [ref]'],
  ['<b>bold</b> <!-- oraclekit:task X --> <http://x>', '<b>bold</b> <!-- oraclekit:task X --> <http://x>'],
  ['a & b &amp; &#169;', 'a & b &amp; &#169;'],
  ['back\\slash \\* \\`', 'back\\slash \\* \\`'],
  ['snake_case_name __init__', 'snake_case_name __init__'],
  ['line one\nline two\n\n- three', 'line one line two - three'],
  ['  padded  ', 'padded'],
  ['Überprüfe 日本語 🚀 „Fehler“', 'Überprüfe 日本語 🚀 „Fehler“'],
]

/** Token types that change structure or styling (a GFM autolink is allowed where the text has a URL). */
function styled(markdown: string, input: string): string[] {
  return [...tokenTypes(markdown)].filter((type) => !PLAIN.has(type) && !(type === 'link' && /https?:\/\//.test(input)))
}

describe('escapeMarkdown', () => {
  it.each(CASES)('%j reads back as %j in a checklist item', (input, seen) => {
    const markdown = `- [ ] ${escapeMarkdown(input)}\n`
    const [list, ...rest] = marked.lexer(markdown).filter((t) => t.type !== 'space')
    expect(rest).toEqual([])
    expect(list?.type).toBe('list')
    const items = (list as Tokens.List).items
    expect(items).toHaveLength(1)
    expect(items[0]?.task).toBe(true)
    expect(plainText(items[0]?.tokens ?? [])).toBe(seen)
    expect(styled(markdown, input)).toEqual([])
  })

  it.each(CASES)('%j reads back as %j at the start of a paragraph', (input, seen) => {
    const markdown = `${escapeMarkdown(input)}\n`
    const blocks = marked.lexer(markdown).filter((t) => t.type !== 'space')
    expect(blocks.map((b) => b.type)).toEqual(['paragraph'])
    expect(plainText(blocks)).toBe(seen)
    expect(styled(markdown, input)).toEqual([])
  })

  it.each([
    ['see https://x.io/a_b?c=1&d=2 and my_var', 'see https://x.io/a_b?c=1&d=2 and my_var'],
    ['(www.x.io/~user/a*b) ok', '(www.x.io/~user/a*b) ok'],
    ['https://x.io/a_b first', 'https://x.io/a_b first'],
  ])('leaves autolinked URLs as they are: %j', (input, escaped) => {
    expect(escapeMarkdown(input)).toBe(escaped)
    const url = /(?:https?:\/\/|www\.)[^\s)]+/.exec(input)?.[0]
    const links = marked.lexer(escaped).flatMap((t) => ('tokens' in t ? (t.tokens ?? []) : [])).filter((t) => t.type === 'link')
    expect(links.map((t) => (t as { text: string }).text)).toEqual([url])
  })
})

describe('codeSpan', () => {
  it.each([
    ['src/a.ts', '`src/a.ts`'],
    ['a|b', '`a|b`'],
    ['render`md`', '`` render`md` ``'],
    ['`x`', '`` `x` ``'],
    ['a ``` b', '````a ``` b````'],
    ['go test\n./...', '`go test ./...`'],
  ])('%j → %s, one code span holding the text', (input, expected) => {
    expect(codeSpan(input)).toBe(expected)
    const [paragraph] = marked.lexer(codeSpan(input))
    const inline = (paragraph as { tokens: { type: string; text: string }[] }).tokens
    expect(inline.map((t) => t.type)).toEqual(['codespan'])
    expect(inline[0]?.text).toBe(input.replace(/\s+/g, ' '))
  })
})
