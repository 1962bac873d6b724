// Evidence an answer names: repository paths, code symbols and shell commands. Prose is full of
// slashes (`tm/task-master`, `and/or`) and dots (`Node.js`, `1.2.3`), so bare words need a strong
// sign of being a path; a backticked word needs less, because the author marked it as code.

import type { Evidence } from '../types.js'

const SOURCE_EXT = new Set(['go', 'ts', 'tsx', 'js', 'mjs', 'py', 'rs', 'java', 'rb', 'md', 'json', 'yml', 'yaml', 'toml', 'sql', 'sh'])
const COMMAND_WORDS = new Set([
  'go', 'npm', 'npx', 'node', 'pnpm', 'yarn', 'cargo', 'make', 'git', 'oracle', 'oraclepack', 'tm', 'task-master', 'codex',
  'gemini', 'bash', 'sh', 'python', 'pytest', 'curl', 'docker', 'kubectl', 'terraform', 'grep', 'rg', 'jq',
])
/** First folders that make a bare `a/b` a path rather than prose like `client/server`. */
const SOURCE_ROOTS = new Set(['src', 'lib', 'cmd', 'internal', 'pkg', 'packages', 'apps', 'products', 'plugins', 'e2e', 'examples'])
const NOT_FILES = /^(?:node|vue|next|nuxt|express|react|angular|d3|three|chart|ember|deno)\.js$/i
const NOT_SYMBOLS = new Set(['NaN', 'JavaScript', 'TypeScript', 'GitHub', 'PostgreSQL', 'OpenAI'])
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'catch', 'function', 'typeof', 'await', 'new', 'throw'])
const SHELL_FENCES = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh', 'shellsession'])

const BACKTICKS = /`([^`\n]+)`/g
const WORD = /[^\s,;=()[\]{}<>"'“”‘’`|]+/g
const SUFFIX = /^(.+\.[A-Za-z][A-Za-z0-9]*):([A-Za-z_$][\w$.]*(?:\(\))?|L?\d+(?:[-–:]L?\d+)*)$/
const CALL = /^([A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)\(/
const DOTTED = /^[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)+$/
const SNAKE = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$/
const CAMEL = /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/
const PASCAL = /^[A-Z][A-Za-z0-9]*$/

/** Paths, symbols and commands named in `text`, each unique, in order of appearance. */
export function extractEvidence(text: string): Evidence {
  const found = new Found()
  if (typeof text !== 'string') return found.result()
  let fence: { marker: string; lang: string } | undefined
  for (const line of text.split(/\r\n|\r|\n/)) {
    const opener = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(line)
    if (fence) {
      if (opener && opener[1]!.startsWith(fence.marker) && line.trim() === opener[1]) fence = undefined
      else scanCodeLine(line, fence.lang, found)
    } else if (opener) {
      fence = { marker: opener[1]!, lang: opener[2]!.toLowerCase() }
    } else {
      scanProseLine(line, found)
    }
  }
  return found.result()
}

class Found {
  private readonly sets = { paths: new Set<string>(), symbols: new Set<string>(), commands: new Set<string>() }
  add(kind: keyof Evidence, value: string): void {
    if (value) this.sets[kind].add(value)
  }
  result(): Evidence {
    // a bare `retry.ts` beside `src/retry.ts` names the same file: keep the full path only
    const paths = [...this.sets.paths]
    const full = new Set(paths.filter((p) => p.includes('/')).map((p) => p.slice(p.lastIndexOf('/') + 1)))
    return { paths: paths.filter((p) => p.includes('/') || !full.has(p)), symbols: [...this.sets.symbols], commands: [...this.sets.commands] }
  }
}

function scanProseLine(line: string, found: Found): void {
  let last = 0
  for (const m of line.matchAll(BACKTICKS)) {
    scanWords(line.slice(last, m.index), found)
    scanCodeSpan(m[1]!, found)
    last = m.index + m[0].length
  }
  scanWords(line.slice(last), found)
}

function scanCodeLine(line: string, lang: string, found: Found): void {
  const command = asCommand(line, 1)
  if (command && SHELL_FENCES.has(lang)) found.add('commands', command)
  scanWords(line, found)
}

/** A backticked span: one word is a path or a symbol; several words a command or a call. */
function scanCodeSpan(span: string, found: Found): void {
  const text = span.trim()
  const command = asCommand(text, 2)
  if (command) {
    found.add('commands', command)
    scanWords(text, found)
    return
  }
  if (!/\s/.test(text) && addPath(trimWord(text), true, found)) return
  const symbol = asSymbol(text)
  if (symbol) found.add('symbols', symbol)
  if (/\s/.test(text)) scanWords(text, found)
}

function scanWords(prose: string, found: Found): void {
  for (const m of prose.matchAll(WORD)) {
    // only a word with a dot or a slash can be a path: most prose words stop here
    if (!m[0].includes('/') && !m[0].includes('.')) continue
    const word = trimWord(m[0])
    if (word.includes('/') && !word.includes('://')) {
      // `codex-verify.md/gemini-review.json` names two files, not a folder called codex-verify.md
      const parts = word.split('/')
      if (parts.length > 1 && parts.slice(0, -1).some((p) => SOURCE_EXT.has(extOf(p)))) {
        for (const part of parts) addPath(part, false, found)
        continue
      }
    }
    addPath(word, false, found)
  }
}

/** Adds `word` (minus a `:line` or `:Symbol` suffix) when it is a path; says whether it was. */
function addPath(word: string, quoted: boolean, found: Found): boolean {
  let path = word.replace(/#L\d+(?:-L?\d+)?$/, '')
  let symbol: string | undefined
  const suffix = SUFFIX.exec(path)
  if (suffix) {
    path = suffix[1]!
    if (!/^L?\d/.test(suffix[2]!)) symbol = suffix[2]
  }
  if (!isPath(path, quoted)) return false
  found.add('paths', path)
  if (symbol) found.add('symbols', symbol)
  return true
}

function isPath(p: string, quoted: boolean): boolean {
  if (p.length < 2 || p.length > 300 || !/[A-Za-z]/.test(p)) return false
  if (/^[@/]/.test(p) || p.includes('//') || p.startsWith('www.') || !/^[\w.\-*/~+@]+$/.test(p)) return false
  const segments = p.split('/')
  const last = segments.at(-1)!
  const ext = extOf(last)
  if (segments.length === 1) {
    const stem = last.slice(0, last.length - ext.length - 1)
    return SOURCE_EXT.has(ext) && /^\.?[\w*]/.test(stem) && /[A-Za-z*]/.test(stem) && !NOT_FILES.test(last)
  }
  if (segments.slice(1, -1).some((s) => s === '' || /^\.+$/.test(s) && s !== '..')) return false
  if (p.includes('*')) return true
  if (ext.length >= 2 || ext === 'c' || ext === 'h') return true
  if (/^(?:\.{1,2}|~)\//.test(p)) return segments.some((s) => /[A-Za-z]/.test(s))
  if (/^\.[A-Za-z][\w.-]*$/.test(segments[0]!)) return true
  if (SOURCE_ROOTS.has(segments[0]!) && segments[1] !== '') return true
  return quoted && segments.every((s, k) => (s === '' ? k === segments.length - 1 : /[\w]/.test(s)))
}

/** The file extension of a path segment, lower-cased ('' when there is none). */
function extOf(segment: string): string {
  const m = /\.([A-Za-z][A-Za-z0-9]{0,9})$/.exec(segment)
  return m && m.index > 0 ? m[1]!.toLowerCase() : ''
}

/** Strips what surrounds a word in prose: emphasis, trailing punctuation, ellipses. */
function trimWord(word: string): string {
  let w = trimPunctuation(word)
  w = w.replace(/^(?:\*\*|__)(?=[^/*])/, '').replace(/([^/*])(?:\*\*|__)$/, '$1')
  return trimPunctuation(w).replace(/^\.{3,}/, '')
}

/** Drops trailing `.,;:!?…` with a loop: a regex anchored only at the end is quadratic on long runs. */
function trimPunctuation(word: string): string {
  let end = word.length
  while (end > 0 && '.,;:!?…'.includes(word[end - 1]!)) end -= 1
  return word.slice(0, end)
}

function asCommand(text: string, minWords: number): string | undefined {
  const words = text.trim().replace(/^\$\s+/, '').split(/\s+/)
  if (words.length < minWords || !COMMAND_WORDS.has(words[0]!)) return undefined
  return words.join(' ')
}

function asSymbol(text: string): string | undefined {
  const call = CALL.exec(text)
  if (call) return KEYWORDS.has(call[1]!) ? undefined : `${call[1]}()`
  if (/\s/.test(text) || NOT_SYMBOLS.has(text)) return undefined
  if (DOTTED.test(text) || SNAKE.test(text) || CAMEL.test(text)) return text
  // `AppError`, `HTTPClient`: two capitals; a lone `Invoice` reads as an English word
  if (PASCAL.test(text) && /[A-Z].*[A-Z]/.test(text) && /[a-z]/.test(text)) return text
  return undefined
}
