// Expansion of lexed words: `$var`/`${var}` from the prelude's assignments, with bash's word
// splitting of unquoted expansions, and heredoc bodies with their trailing newlines stripped.

import type { ShellWord, WordPart } from './shell.js'

/** `name=value` as the first word of a command: the name and the unexpanded value. */
export function splitAssignment(word: ShellWord): { name: string; value: WordPart[] } | undefined {
  const [first, ...rest] = word.parts
  if (first?.kind !== 'text' || first.quoted) return undefined
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text)
  if (!m) return undefined
  const tail = first.text.slice(m[0].length)
  return { name: m[1]!, value: tail ? [{ ...first, text: tail }, ...rest] : rest }
}

export type Lookup = (name: string) => string | undefined

/** One argv entry after expansion, with the line of the word it came from. */
export interface Field {
  value: string
  line: number
}

export interface Expansion {
  fields: Field[]
  unknown: Array<{ name: string; line: number }>
}

/** Expands words as bash would: variables, then word splitting of unquoted expansions. */
export function expandWords(words: readonly ShellWord[], lookup: Lookup): Expansion {
  const result: Expansion = { fields: [], unknown: [] }
  for (const word of words) {
    for (const value of expandParts(word.parts, lookup, result.unknown, true)) result.fields.push({ value, line: word.line })
  }
  return result
}

/** Expands an assignment's value: no word splitting, as in bash. */
export function expandValue(parts: readonly WordPart[], lookup: Lookup, unknown: Expansion['unknown']): string {
  return expandParts(parts, lookup, unknown, false).join('')
}

function expandParts(parts: readonly WordPart[], lookup: Lookup, unknown: Expansion['unknown'], split: boolean): string[] {
  const fields: string[] = []
  let current = ''
  let started = false
  const add = (text: string, splittable: boolean): void => {
    if (!splittable) {
      current += text
      started = true
      return
    }
    text.split(/[ \t\n]+/).forEach((piece, k) => {
      if (k > 0 && started) fields.push(current)
      if (k > 0) [current, started] = ['', false]
      if (piece !== '') [current, started] = [current + piece, true]
    })
  }
  for (const part of parts) {
    if (part.kind === 'text') add(part.text, false)
    else if (part.kind === 'subst') add(expandParts(part.parts, lookup, unknown, false).join('').replace(/\n+$/, ''), false)
    else {
      const value = lookup(part.name)
      if (value === undefined) unknown.push({ name: part.name, line: part.line })
      add(value ?? '', split && !part.quoted)
    }
  }
  if (started) fields.push(current)
  return split ? fields : [fields.join('')]
}
