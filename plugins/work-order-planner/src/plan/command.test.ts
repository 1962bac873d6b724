// commandArgv: a configured command as the argv `oracle run` spawns, without a shell.

import { describe, expect, it } from 'vitest'
import { commandArgv } from './command.js'

describe('commandArgv: an argv array', () => {
  it.each([
    { name: 'a plain argv', argv: ['npm', 'test'] },
    { name: 'one word', argv: ['make'] },
    { name: 'words with spaces stay whole', argv: ['node', 'my dir/run.mjs', ' padded '] },
    { name: 'backslashes and quotes are not interpreted', argv: ['echo', '"a b"', 'C:\\tmp\\', "it's"] },
    { name: 'empty arguments are kept', argv: ['printf', '', 'x'] },
  ])('$name is copied as is', ({ argv }) => {
    const out = commandArgv(argv)
    expect(out).toEqual(argv)
    expect(out).not.toBe(argv)
  })

  it('returns a copy: changing it leaves the config alone', () => {
    const argv = ['npm', 'test']
    commandArgv(argv).push('--watch')
    expect(argv).toEqual(['npm', 'test'])
  })
})

describe('commandArgv: a string', () => {
  it.each([
    { name: 'splits on one space', command: 'npm test', argv: ['npm', 'test'] },
    { name: 'one word is an argv of one', command: 'make', argv: ['make'] },
    { name: 'a run of spaces is one separator', command: 'npm   run    validate', argv: ['npm', 'run', 'validate'] },
    { name: 'leading and trailing spaces are dropped', command: '   npm test   ', argv: ['npm', 'test'] },
    { name: 'only spaces give an empty argv', command: '    ', argv: [] },
    { name: 'a backslash-escaped space joins two words', command: 'node my\\ dir/run.mjs', argv: ['node', 'my dir/run.mjs'] },
    { name: 'two escaped spaces in a row are both kept', command: 'ls a\\ \\ b', argv: ['ls', 'a  b'] },
    { name: 'an escaped space alone is an argument of one space', command: 'printf \\  x', argv: ['printf', ' ', 'x'] },
    { name: 'an escaped leading space is kept', command: '\\ lead x', argv: [' lead', 'x'] },
    // as execa's parseCommandString: only a backslash before a space escapes anything
    { name: 'a backslash before another character is kept as written', command: 'echo a\\b', argv: ['echo', 'a\\b'] },
    { name: 'a doubled backslash is two literal backslashes', command: 'echo a\\\\b', argv: ['echo', 'a\\\\b'] },
    { name: 'a doubled backslash before a space: the first is literal, the second escapes the space', command: 'echo a\\\\ b', argv: ['echo', 'a\\ b'] },
    { name: 'double quotes are literal characters, no quoting', command: 'echo "a b"', argv: ['echo', '"a', 'b"'] },
    { name: 'single quotes are literal characters, no quoting', command: "echo 'a b' it's", argv: ['echo', "'a", "b'", "it's"] },
    { name: 'a backslash before a quote is kept, and the quote is literal', command: 'echo \\"x', argv: ['echo', '\\"x'] },
    { name: 'no variables, globs or operators: $HOME, *.ts and && are plain words', command: 'echo $HOME *.ts && rm', argv: ['echo', '$HOME', '*.ts', '&&', 'rm'] },
    { name: 'a tab inside splits too (any white space does)', command: 'a\tb c', argv: ['a', 'b', 'c'] },
    { name: 'tabs and newlines at the ends are trimmed', command: '\t npm test\n', argv: ['npm', 'test'] },
    // A backslash keeps the next character, so an escaped space at the end is an argument's last
    // character; the string must not be trimmed before the escape is read.
    { name: 'an escaped trailing space is kept', command: 'echo a\\ ', argv: ['echo', 'a '] },
    // Nothing follows it to escape: it stays a literal backslash (as sh -c and execa's
    // parseCommandString both do), rather than vanishing from the argument.
    { name: 'a backslash at the end is a literal backslash', command: 'dir C:\\', argv: ['dir', 'C:\\'] },
  ])('$name: $command', ({ command, argv }) => {
    expect(commandArgv(command)).toEqual(argv)
  })
})
