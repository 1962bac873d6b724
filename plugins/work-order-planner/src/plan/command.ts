import type { Command } from '../options.js'

/**
 * A configured command as an argv. A string is split on white space; a backslash before a space keeps
 * the space in the word (`my\ dir`), and any other backslash is kept as written, as execa's
 * parseCommandString does. No shell, no quotes, no globbing, no variables.
 */
export function commandArgv(command: Command): string[] {
  if (Array.isArray(command)) return [...command]
  const argv: string[] = []
  let word = ''
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string
    if (ch === '\\' && command[i + 1] === ' ') {
      word += ' '
      i++
    } else if (/\s/.test(ch)) {
      if (word) argv.push(word)
      word = ''
    } else {
      word += ch
    }
  }
  if (word) argv.push(word)
  return argv
}
