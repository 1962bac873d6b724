// Acceptance strings → checks. Four forms are automated; any other text is a manual check, recorded
// and never run (the actionizer's "Done when: …" and "Decision recorded: …" are such). A known
// prefix with a missing or broken argument is a problem rather than a manual check: a typo must not
// silently turn a gate into a note.

import type { Check } from '../types.js'

export type ParsedCheck = { check: Check } | { problem: string }

/**
 * A command line as an argv: split on white space, no shell, no quotes. A backslash before a
 * white-space character keeps it inside the word (`a\ b` is one word); any other backslash stays.
 */
export function splitArgv(line: string): string[] {
  const argv: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (c === '\\' && /\s/.test(line[i + 1] ?? '')) {
      word += line[i + 1]
      inWord = true
      i++
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (inWord) argv.push(word)
  return argv
}

const malformed = (text: string, why: string): ParsedCheck => ({ problem: `malformed acceptance string "${text}": ${why}` })

/** A workspace-relative path: not absolute, not leaving the workspace. */
function pathProblem(path: string): string | undefined {
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path) || path.startsWith('~')) return 'the path must be relative to the project'
  if (path.split(/[\\/]+/).includes('..')) return 'the path must not leave the project (`..`)'
  return undefined
}

function commandCheck(text: string, rest: string, build: (argv: string[]) => Check): ParsedCheck {
  const argv = splitArgv(rest)
  return argv.length === 0 ? malformed(text, 'no command after the colon') : { check: build(argv) }
}

/** Parses one acceptance string; the prefixes are matched case-insensitively. */
export function parseCheck(text: string): ParsedCheck {
  const trimmed = text.trim()
  const prefixed = /^(tests pass|file exists|contains)\s*:(.*)$/is.exec(trimmed)
  if (prefixed) {
    const kind = (prefixed[1] as string).toLowerCase()
    const rest = (prefixed[2] as string).trim()
    if (kind === 'tests pass') return commandCheck(text, rest, (argv) => ({ kind: 'tests_pass', text, argv }))
    if (rest === '') return malformed(text, kind === 'contains' ? 'no text after the colon' : 'no path after the colon')
    if (kind === 'contains') return { check: { kind: 'contains', text, needle: rest } }
    const why = pathProblem(rest)
    return why ? malformed(text, why) : { check: { kind: 'file_exists', text, path: rest } }
  }
  // "Exit code <n>: <command>"; "Exit code" with anything but a number before the colon is broken.
  const exit = /^exit code\b([^:]*):(.*)$/is.exec(trimmed)
  if (exit) {
    const code = (exit[1] as string).trim()
    if (!/^\d{1,3}$/.test(code) || Number(code) > 255) return malformed(text, `the exit code must be a number 0..255 (got "${code}")`)
    return commandCheck(text, (exit[2] as string).trim(), (argv) => ({ kind: 'exit_code', text, code: Number(code), argv }))
  }
  return { check: { kind: 'manual', text } }
}
