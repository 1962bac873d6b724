import { describe, expect, it } from 'vitest'
import type { Evidence } from '../types.js'
import { toCheck } from './checks.js'

const evidence: Evidence = { paths: ['src/error.rs', 'docs/a.md'], symbols: ['AppError'], commands: ['cargo test', 'cargo build'] }

describe('toCheck: acceptance criteria in the plan check forms', () => {
  it.each([
    // already in a seed form: kept, the label normalised
    ['Tests pass: cargo test', 'Tests pass: cargo test', 'tests_pass'],
    ['file exists:   docs/a.md', 'File exists: docs/a.md', 'file_exists'],
    ['CONTAINS: enum AppError', 'Contains: enum AppError', 'contains'],
    // tests
    ['`go test ./...` passes', 'Tests pass: go test ./...', 'tests_pass'],
    ['`npm run test` exits with code 0', 'Tests pass: npm run test', 'tests_pass'],
    ['Running `pytest -q` is green', 'Tests pass: pytest -q', 'tests_pass'],
    ['All tests pass', 'Tests pass: cargo test', 'tests_pass'],
    ['`make lint` passes', '`make lint` passes', 'text'],
    // files
    ['File src/error.rs exists', 'File exists: src/error.rs', 'file_exists'],
    ['`docs/new.md` is created', 'File exists: docs/new.md', 'file_exists'],
    ['A new file tests/error.rs exists.', 'File exists: tests/error.rs', 'file_exists'],
    ['`src/*.ts` exists', '`src/*.ts` exists', 'text'],
    ['The cache exists', 'The cache exists', 'text'],
    // contents, only for a file the task names
    ['src/error.rs contains `enum AppError`', 'Contains: enum AppError', 'contains'],
    ['`docs/a.md` defines `## Retry`', 'Contains: ## Retry', 'contains'],
    ['src/other.rs contains `enum AppError`', 'src/other.rs contains `enum AppError`', 'text'],
    // free text
    ['Errors map to  consistent\nexit codes', 'Errors map to consistent exit codes', 'text'],
    ['yes', 'yes', 'text'],
  ])('%j → %j (%s)', (criterion, text, kind) => {
    expect(toCheck(criterion, evidence)).toMatchObject({ text, kind })
  })

  it('does not pick a test command when the answer quotes several', () => {
    const two = { ...evidence, commands: ['cargo test', 'npm test'] }
    expect(toCheck('All tests pass', two)).toEqual({ text: 'All tests pass', kind: 'text' })
  })
})
