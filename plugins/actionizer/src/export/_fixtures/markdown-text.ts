// Reading Markdown back the way a renderer does (marked, GFM), to check what a body really says.
import { type Token, type Tokens, marked } from 'marked'

/** The characters a reader sees: text, escapes and code spans; anything else is kept as `<type>`. */
export function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'checkbox') return ''
      if (token.type === 'escape' || token.type === 'codespan') return (token as Tokens.Escape).text
      if (token.type === 'text' && !('tokens' in token && token.tokens)) return (token as Tokens.Text).text
      if ('tokens' in token && token.tokens) return plainText(token.tokens)
      return `<${token.type}>`
    })
    .join('')
}

/** Every token type in a Markdown text, nested ones included. */
export function tokenTypes(markdown: string): Set<string> {
  const types = new Set<string>()
  marked.walkTokens(marked.lexer(markdown), (token) => {
    types.add(token.type)
  })
  return types
}

/** The sections of a body: `## heading` → the list items under it, as plain text. */
export function sections(markdown: string): Map<string, { task: boolean; text: string }[]> {
  const out = new Map<string, { task: boolean; text: string }[]>()
  let heading: string | undefined
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading' && token.depth === 2) heading = plainText(token.tokens ?? [])
    else if (token.type === 'list' && heading !== undefined) {
      out.set(heading, (token as Tokens.List).items.map((item) => ({ task: item.task, text: plainText(item.tokens) })))
    }
  }
  return out
}

export { marked }
