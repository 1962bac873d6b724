// A lexer for the small bash subset that packs use, so that a step's `oracle` command can run as
// an argv without a shell. Whatever falls outside the subset becomes an issue with its line. The
// runner refuses what it cannot reproduce exactly rather than guess what bash would have done.
//
// Supported: words, blank lines, `#` comments, `\` continuations, '…', "…" (with \" \\ \$ \`
// escapes and `\`-newline removal), $name and ${name}, and `$(cat <<TAG … TAG)` heredocs in
// their quoted, unquoted and `<<-` forms.

import type { Severity } from './types.js'

/** One piece of a word. Unquoted variables are word-split when expanded; quoted ones are not. */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean; line: number }
  /** `$(cat <<TAG … TAG)`: the heredoc body, with its trailing newlines stripped on expansion. */
  | { kind: 'subst'; parts: WordPart[]; quoted: boolean }

export interface ShellWord {
  parts: WordPart[]
  /** The line where the word starts. */
  line: number
}

export interface ShellCommand {
  words: ShellWord[]
  line: number
  endLine: number
}

export interface ShellIssue {
  code: string
  severity: Severity
  message: string
  line: number
  hint: string
}

export interface ShellScan {
  commands: ShellCommand[]
  issues: ShellIssue[]
  /** Lines that begin inside a quoted string or a heredoc body. */
  quotedLines: Set<number>
  /** False when a quote or heredoc is still open at the end of the text. */
  closed: boolean
}

const HINTS: Record<string, [Severity, string]> = {
  PACK_SHELL_OPERATOR: ['error', 'Steps run as one argv without a shell: write a single `oracle …` command with no `|`, `;`, `&&`, `||`, `&` or parentheses.'],
  PACK_SHELL_REDIRECTION: ['error', 'Remove the redirection. Use `--write-output <file>` to save the answer and a heredoc prompt (`-p "$(cat <<\'PROMPT\'`, the text, then `PROMPT` and `)"` on their own lines) for a long prompt.'],
  PACK_SHELL_SUBSTITUTION: ['error', 'Only a quoted heredoc prompt (`"$(cat <<\'TAG\'`, the text, then `TAG` and `)"` on their own lines) is supported. Inline the text, or move values into a prelude `name=value` line.'],
  PACK_SHELL_PARAMETER: ['error', 'Only plain `$name` and `${name}` are expanded. Set the final value with a `name=value` line in the prelude.'],
  PACK_SHELL_UNSUPPORTED: ['error', 'Rewrite the command with plain words, quotes and `$name` variables only; list the words a brace expansion would make; use paths relative to the repository instead of `~`.'],
  PACK_SHELL_UNKNOWN_VAR: ['error', 'Define the variable with a `name=value` line in the prelude (before the first step header). Environment variables are not read.'],
  PACK_SHELL_UNTERMINATED: ['error', 'Close the quote or heredoc. oraclepack cuts the bash block at the first line starting with ``` and starts a new step at any `# NN)` line, even inside a prompt.'],
  PACK_SHELL_BACKSLASH_SPACE: ['error', 'Delete the spaces after the `\\`: a line continues only when `\\` is its very last character.'],
  PACK_COMMENT_IN_CONTINUATION: ['error', 'Move the comment above the command, or delete it: a comment ends the command, and the lines after it run as a separate command (`-p: command not found`).'],
  PACK_HEREDOC_CLOSE_PAREN: ['warning', 'Put `)` on its own line after the heredoc\'s closing tag line; bash warns "here-document delimited by end-of-file" otherwise.'],
  PACK_BARE_BACKSLASH: ['warning', 'Delete the line that holds only `\\`; generators emit it by mistake and bash then joins or splits the command in surprising ways.'],
}

/** Lexes a bash script into commands of unexpanded words. `firstLine` is the line of `src`'s first line. */
export function lexShell(src: string, firstLine = 1): ShellScan {
  const out: LexOutput = { issues: [], quotedLines: new Set() }
  const lexer = new Lexer(src, firstLine, out)
  lexer.run()
  const closed = !out.issues.some((issue) => issue.code === 'PACK_SHELL_UNTERMINATED')
  return { commands: lexer.commands, issues: out.issues, quotedLines: out.quotedLines, closed }
}

export function shellIssue(code: string, message: string, line: number): ShellIssue {
  const [severity, hint] = HINTS[code] ?? ['error', '']
  return { code, severity, message, line, hint }
}

interface LexOutput {
  issues: ShellIssue[]
  quotedLines: Set<number>
}

const HEREDOC_CAT = /\$\([ \t]*cat[ \t]+<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|(\\?)([A-Za-z_][A-Za-z0-9_]*))[ \t]*(?:\n|$)/y
const REDIRECTION = /&>>?|<<<|<<-?|<>|>>|>\||>&|<&|<\(|>\(|<|>/y
const HEREDOC_TAG = /[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|\\?([^\s;&|<>()]+))/y
const BACKSLASH_SPACE = /\\[ \t]+(?=\n|$)/y
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y
const SEPARATORS = new Set(['|', '&', ';', '(', ')'])

class Lexer {
  readonly commands: ShellCommand[] = []
  private i = 0
  private words: ShellWord[] = []
  private word: ShellWord | undefined
  /** The line most recently reached through a `\`-newline continuation. */
  private continuedLine = -1
  private dropNextWord = false
  private pendingHeredocs: Array<{ tag: string; dash: boolean; line: number }> = []

  constructor(
    private readonly src: string,
    private line: number,
    private readonly out: LexOutput,
  ) {}

  run(): void {
    const { src } = this
    while (this.i < src.length) {
      const c = src[this.i]!
      if (c === '\n') {
        this.endCommand()
        this.newline(false)
        this.skipPendingHeredocs()
      } else if (c === ' ' || c === '\t') {
        this.endWord()
        this.i++
      } else if (c === '\\') this.backslash()
      else if (c === '#' && !this.word) this.comment()
      else if (c === "'") this.singleQuoted()
      else if (c === '"') this.doubleQuoted()
      else if (c === '$') this.dollar(false)
      else if (c === '`') this.backtick(false)
      else if (c === '<' || c === '>' || (c === '&' && src[this.i + 1] === '>')) this.redirection()
      else if (SEPARATORS.has(c)) this.separator()
      else {
        this.append(c, false)
        this.i++
      }
    }
    this.endCommand()
  }

  /** The inside of "…" (terminator `"`) or of an unquoted heredoc body (no terminator). */
  expandable(terminator: '"' | undefined, startLine: number): void {
    const { src } = this
    while (this.i < src.length) {
      const c = src[this.i]!
      const next = src[this.i + 1]
      if (c === terminator) {
        this.i++
        return
      }
      if (c === '\\' && next === '\n') {
        this.i += 2
        this.line++
        this.out.quotedLines.add(this.line)
      } else if (c === '\\' && next !== undefined && (next === '$' || next === '`' || next === '\\' || next === terminator)) {
        this.append(next, true)
        this.i += 2
      } else if (c === '$') this.dollar(true)
      else if (c === '`') this.backtick(true)
      else if (c === '\n') {
        this.append(c, true)
        this.newline(true)
      } else {
        this.append(c, true)
        this.i++
      }
    }
    if (terminator) this.issue('PACK_SHELL_UNTERMINATED', 'Unterminated double quote', startLine)
  }

  parts(): WordPart[] {
    return this.word?.parts ?? []
  }

  private issue(code: string, message: string, line = this.line): void {
    // Once something is left open, every enclosing quote is too: report the innermost only.
    if (code === 'PACK_SHELL_UNTERMINATED' && this.out.issues.some((i) => i.code === code)) return
    this.out.issues.push(shellIssue(code, message, line))
  }

  private newline(quoted: boolean): void {
    this.i++
    this.line++
    if (quoted) this.out.quotedLines.add(this.line)
  }

  /** Moves over `text` (already read from src), counting its lines. */
  private advanceOver(text: string, quoted: boolean): void {
    for (const c of text) {
      if (c === '\n') {
        this.line++
        if (quoted) this.out.quotedLines.add(this.line)
      }
    }
    this.i += text.length
  }

  private append(text: string, quoted: boolean): void {
    const word = (this.word ??= { parts: [], line: this.line })
    const last = word.parts.at(-1)
    if (last?.kind === 'text' && last.quoted === quoted) last.text += text
    else if (text !== '' || word.parts.length === 0) word.parts.push({ kind: 'text', text, quoted })
  }

  private push(part: WordPart): void {
    ;(this.word ??= { parts: [], line: this.line }).parts.push(part)
  }

  private endWord(): void {
    if (!this.word) return
    const unquoted = this.word.parts.map((p) => (p.kind === 'text' && !p.quoted ? p.text : ' ')).join('')
    const brace = /\{[^{}\s]*(?:,|\.\.)[^{}\s]*\}/.exec(unquoted)
    if (brace) this.issue('PACK_SHELL_UNSUPPORTED', `Brace expansion \`${brace[0]}\` is not supported`, this.word.line)
    if (unquoted.startsWith('~')) this.issue('PACK_SHELL_UNSUPPORTED', 'Tilde expansion (`~`, the home directory) is not supported', this.word.line)
    if (this.dropNextWord) this.dropNextWord = false
    else this.words.push(this.word)
    this.word = undefined
  }

  private endCommand(): void {
    this.endWord()
    const first = this.words[0]
    if (first) this.commands.push({ words: this.words, line: first.line, endLine: this.line })
    this.words = []
    this.dropNextWord = false
  }

  private lineBefore(index: number): string {
    return this.src.slice(this.src.lastIndexOf('\n', index - 1) + 1, index)
  }

  private backslash(): void {
    const next = this.src[this.i + 1]
    if (next === '\n') {
      if (/^[ \t]*$/.test(this.lineBefore(this.i))) this.issue('PACK_BARE_BACKSLASH', 'A line holding only `\\`')
      this.i += 2
      this.line++
      this.continuedLine = this.line
      return
    }
    BACKSLASH_SPACE.lastIndex = this.i
    if (BACKSLASH_SPACE.test(this.src)) {
      this.issue('PACK_SHELL_BACKSLASH_SPACE', 'Spaces after a trailing `\\`: the line does not continue, and the command ends here')
    }
    if (next !== undefined) this.append(next, true)
    this.i += 2
  }

  private comment(): void {
    const end = this.src.indexOf('\n', this.i)
    const stop = end === -1 ? this.src.length : end
    const text = this.src.slice(this.i, stop)
    if (this.words.length > 0 && this.continuedLine === this.line && /^[ \t]*$/.test(this.lineBefore(this.i))) {
      this.issue('PACK_COMMENT_IN_CONTINUATION', 'A comment line inside a `\\` continuation ends the command')
    } else if (this.words.length > 0 && text.trimEnd().endsWith('\\')) {
      this.issue('PACK_COMMENT_IN_CONTINUATION', 'The `\\` at the end of this comment belongs to the comment; the command ends here')
    }
    this.i = stop
  }

  private singleQuoted(): void {
    const line = this.line
    const close = this.src.indexOf("'", this.i + 1)
    const text = this.src.slice(this.i + 1, close === -1 ? this.src.length : close)
    this.i++
    this.append(text, true)
    this.advanceOver(text, true)
    if (close === -1) this.issue('PACK_SHELL_UNTERMINATED', 'Unterminated single quote', line)
    else this.i++
  }

  private doubleQuoted(): void {
    const line = this.line
    this.i++
    this.append('', true) // `""` is still a word
    this.expandable('"', line)
  }

  private dollar(quoted: boolean): void {
    const { src } = this
    const next = src[this.i + 1] ?? ''
    if (next === '(') return this.commandSubstitution(quoted)
    if (next === '{') return this.braced(quoted)
    NAME.lastIndex = this.i + 1
    const name = NAME.exec(src)?.[0]
    if (name) {
      this.push({ kind: 'var', name, quoted, line: this.line })
      this.i += 1 + name.length
    } else if (next !== '' && '0123456789@*#?$!-'.includes(next)) {
      this.issue('PACK_SHELL_PARAMETER', `Special parameter \`$${next}\` is not supported`)
      this.append(`$${next}`, quoted)
      this.i += 2
    } else if (!quoted && (next === "'" || next === '"')) {
      this.issue('PACK_SHELL_UNSUPPORTED', `\`$${next}…${next}\` quoting is not supported`)
      this.i++
    } else {
      this.append('$', quoted)
      this.i++
    }
  }

  private braced(quoted: boolean): void {
    const close = this.src.indexOf('}', this.i + 2)
    const raw = this.src.slice(this.i, close === -1 ? this.src.length : close + 1)
    const inner = raw.slice(2, -1)
    if (close !== -1 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) this.push({ kind: 'var', name: inner, quoted, line: this.line })
    else {
      if (close === -1) this.issue('PACK_SHELL_UNTERMINATED', 'Unterminated `${`')
      else this.issue('PACK_SHELL_PARAMETER', `Parameter expansion \`${raw}\` is not supported`)
      this.append(raw, quoted)
    }
    this.advanceOver(raw, quoted)
  }

  private commandSubstitution(quoted: boolean): void {
    const line = this.line
    HEREDOC_CAT.lastIndex = this.i
    const m = this.src[this.i + 2] === '(' ? null : HEREDOC_CAT.exec(this.src)
    if (!m) {
      const what = this.src[this.i + 2] === '(' ? 'Arithmetic `$((…))`' : 'Command substitution `$(…)`'
      this.issue('PACK_SHELL_SUBSTITUTION', `${what} is not supported`)
      return this.skipBalanced(this.i + 1, quoted)
    }
    const [whole, dash, single, double, escaped, bare] = m
    const tag = single ?? double ?? bare ?? ''
    if (!quoted) this.issue('PACK_SHELL_SUBSTITUTION', 'Unquoted `$(cat <<…)` is word-split by bash; wrap it in double quotes')
    this.i += whole.length
    if (whole.endsWith('\n')) this.line++
    const body = this.heredocBody(tag, dash === '-', line, true)
    const expand = single === undefined && double === undefined && !escaped
    const parts = expand ? lexHeredocText(body.text, body.line, this.out) : [{ kind: 'text' as const, text: body.text, quoted: true }]
    this.push({ kind: 'subst', parts, quoted })
    if (!body.closed) return
    const gap = /^[ \t\n]*/.exec(this.src.slice(this.i))![0]
    this.advanceOver(gap, quoted)
    if (this.src[this.i] === ')') this.i++
    else {
      this.issue('PACK_SHELL_SUBSTITUTION', `Expected \`)\` right after the heredoc's closing \`${tag}\` line`)
      const close = this.src.indexOf(')', this.i)
      this.advanceOver(this.src.slice(this.i, close === -1 ? this.src.length : close + 1), quoted)
    }
  }

  /**
   * Reads heredoc lines up to the line equal to `tag`, and leaves `i` after that line. Inside
   * `$(…)`, bash also ends the heredoc at a line `TAG)…`; `i` then stays on the `)`.
   */
  private heredocBody(tag: string, dash: boolean, startLine: number, inSubstitution = false): { text: string; line: number; closed: boolean } {
    const { src } = this
    const first = this.line
    let text = ''
    while (this.i < src.length) {
      const end = src.indexOf('\n', this.i)
      const stop = end === -1 ? src.length : end
      const raw = src.slice(this.i, stop)
      const content = dash ? raw.replace(/^\t+/, '') : raw
      if (inSubstitution && content.startsWith(`${tag})`)) {
        this.issue('PACK_HEREDOC_CLOSE_PAREN', `Heredoc closed by \`${tag})\`: bash accepts it with a warning`)
        this.i = stop - content.length + tag.length
        return { text, line: first, closed: true }
      }
      this.i = end === -1 ? stop : end + 1
      if (content === tag) {
        if (end !== -1) this.line++
        return { text, line: first, closed: true }
      }
      this.out.quotedLines.add(this.line)
      text += content + '\n'
      if (end !== -1) this.line++
    }
    this.issue('PACK_SHELL_UNTERMINATED', `Heredoc \`<<${tag}\` is never closed by a \`${tag}\` line`, startLine)
    return { text, line: first, closed: false }
  }

  private backtick(quoted: boolean): void {
    const line = this.line
    this.issue('PACK_SHELL_SUBSTITUTION', 'Backtick command substitution is not supported')
    let close = this.i + 1
    while (close < this.src.length && this.src[close] !== '`') close += this.src[close] === '\\' ? 2 : 1
    const raw = this.src.slice(this.i, Math.min(close + 1, this.src.length))
    this.append(raw, quoted)
    this.advanceOver(raw, quoted)
    if (close >= this.src.length) this.issue('PACK_SHELL_UNTERMINATED', 'Unterminated backtick', line)
  }

  /** Skips from the `(` at `open` to its matching `)`, keeping the raw text as a literal. */
  private skipBalanced(open: number, quoted: boolean): void {
    const line = this.line
    let depth = 0
    let end = open
    for (; end < this.src.length; end++) {
      if (this.src[end] === '(') depth++
      else if (this.src[end] === ')' && --depth === 0) break
    }
    const raw = this.src.slice(this.i, Math.min(end + 1, this.src.length))
    this.append(raw, quoted)
    this.advanceOver(raw, quoted)
    if (end >= this.src.length) this.issue('PACK_SHELL_UNTERMINATED', 'Unterminated `(`', line)
  }

  private separator(): void {
    const two = this.src.slice(this.i, this.i + 2)
    const op = two === '&&' || two === '||' || two === ';;' ? two : this.src[this.i]!
    this.issue('PACK_SHELL_OPERATOR', `Shell operator \`${op}\` is not supported`)
    this.i += op.length
    this.endCommand()
  }

  private redirection(): void {
    REDIRECTION.lastIndex = this.i
    const op = REDIRECTION.exec(this.src)![0]
    // `2>`: the digits typed just before the operator name a file descriptor, not a word.
    const fd = this.word?.parts.length === 1 && this.word.parts[0]!.kind === 'text' && !this.word.parts[0]!.quoted && /^\d+$/.test(this.word.parts[0]!.text)
    if (fd) this.word = undefined
    else this.endWord()
    this.issue('PACK_SHELL_REDIRECTION', `Redirection \`${op}\` is not supported`)
    if (op.endsWith('(')) return this.skipBalanced(this.i + 1, false)
    this.i += op.length
    if (op === '<<' || op === '<<-') {
      HEREDOC_TAG.lastIndex = this.i
      const m = HEREDOC_TAG.exec(this.src)
      if (m) {
        this.pendingHeredocs.push({ tag: m[1] ?? m[2] ?? m[3] ?? '', dash: op === '<<-', line: this.line })
        this.i += m[0].length
      }
    } else this.dropNextWord = true
  }

  private skipPendingHeredocs(): void {
    for (const { tag, dash, line } of this.pendingHeredocs.splice(0)) this.heredocBody(tag, dash, line)
  }
}

function lexHeredocText(text: string, firstLine: number, out: LexOutput): WordPart[] {
  const lexer = new Lexer(text, firstLine, out)
  lexer.expandable(undefined, firstLine)
  return lexer.parts()
}
