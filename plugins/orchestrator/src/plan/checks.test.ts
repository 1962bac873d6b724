import { describe, expect, it } from 'vitest'
import type { Check } from '../types.js'
import { parseCheck, splitArgv } from './checks.js'

describe('parseCheck', () => {
  it.each<[string, Check]>([
    ['Tests pass: cargo test --package codex-agentic', { kind: 'tests_pass', text: 'Tests pass: cargo test --package codex-agentic', argv: ['cargo', 'test', '--package', 'codex-agentic'] }],
    ['tests PASS:npm test', { kind: 'tests_pass', text: 'tests PASS:npm test', argv: ['npm', 'test'] }],
    ['File exists: codex-agentic/src/error.rs', { kind: 'file_exists', text: 'File exists: codex-agentic/src/error.rs', path: 'codex-agentic/src/error.rs' }],
    ['file exists:  docs/a b.md ', { kind: 'file_exists', text: 'file exists:  docs/a b.md ', path: 'docs/a b.md' }],
    ['Contains: enum AppError', { kind: 'contains', text: 'Contains: enum AppError', needle: 'enum AppError' }],
    ['CONTAINS: a: b', { kind: 'contains', text: 'CONTAINS: a: b', needle: 'a: b' }],
    ['Exit code 0: ./scripts/check.sh --strict', { kind: 'exit_code', text: 'Exit code 0: ./scripts/check.sh --strict', code: 0, argv: ['./scripts/check.sh', '--strict'] }],
    ['exit code 3 : oracle plan validate', { kind: 'exit_code', text: 'exit code 3 : oracle plan validate', code: 3, argv: ['oracle', 'plan', 'validate'] }],
    ['Done when: addressed — Clarify the docs', { kind: 'manual', text: 'Done when: addressed — Clarify the docs' }],
    ['Decision recorded: option A', { kind: 'manual', text: 'Decision recorded: option A' }],
    ['Tests pass after the change', { kind: 'manual', text: 'Tests pass after the change' }],
    ['The file exists', { kind: 'manual', text: 'The file exists' }],
    ['Exit code is documented', { kind: 'manual', text: 'Exit code is documented' }],
  ])('%j', (text, check) => {
    expect(parseCheck(text)).toEqual({ check })
  })

  it.each([
    ['Tests pass:', 'no command after the colon'],
    ['Tests pass:    ', 'no command after the colon'],
    ['File exists:', 'no path after the colon'],
    ['File exists: /etc/passwd', 'relative to the project'],
    ['File exists: C:\\x', 'relative to the project'],
    ['File exists: ../outside.md', 'must not leave the project'],
    ['File exists: docs/../../x', 'must not leave the project'],
    ['Contains:  ', 'no text after the colon'],
    ['Exit code: make', 'must be a number 0..255 (got "")'],
    ['Exit code x: make', 'must be a number 0..255 (got "x")'],
    ['Exit code 256: make', 'must be a number 0..255 (got "256")'],
    ['Exit code 1:', 'no command after the colon'],
  ])('%j is malformed', (text, why) => {
    const parsed = parseCheck(text)
    expect(parsed).toEqual({ problem: expect.stringContaining(`malformed acceptance string "${text}"`) })
    expect((parsed as { problem: string }).problem).toContain(why)
  })
})

describe('splitArgv', () => {
  it.each([
    ['cargo test', ['cargo', 'test']],
    ['  npm   run  lint  ', ['npm', 'run', 'lint']],
    ['cat my\\ file.txt', ['cat', 'my file.txt']],
    ['echo C:\\dir\\x', ['echo', 'C:\\dir\\x']],
    ['\\ lead', [' lead']],
    ['', []],
    ['a\tb\nc', ['a', 'b', 'c']],
  ])('%j', (line, argv) => {
    expect(splitArgv(line)).toEqual(argv)
  })
})
