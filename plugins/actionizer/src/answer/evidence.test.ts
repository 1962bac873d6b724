// Evidence extraction: what counts as a path, a symbol or a command in an answer's prose, and the
// prose that only looks like one (`and/or`, `Node.js`, `1.2.3`, URLs, English words in backticks).

import { describe, expect, it } from 'vitest'
import type { Evidence } from '../types.js'
import { extractEvidence } from './evidence.js'

const none: Evidence = { paths: [], symbols: [], commands: [] }
const paths = (...list: string[]): Evidence => ({ ...none, paths: list })
const symbols = (...list: string[]): Evidence => ({ ...none, symbols: list })
const commands = (...list: string[]): Evidence => ({ ...none, commands: list })

describe('extractEvidence', () => {
  it.each<[string, string, Evidence]>([
    ['a path with a line', 'the schedule (products/billing-api/src/retry.ts:2) is fixed', paths('products/billing-api/src/retry.ts')],
    ['a path with a symbol', 'reference=internal/exec/sanitize.go:Sanitize', { ...none, paths: ['internal/exec/sanitize.go'], symbols: ['Sanitize'] }],
    ['globs', 'see `internal/exec/*.go` and `**/jobs/**`', paths('internal/exec/*.go', '**/jobs/**')],
    ['bare file names with a source extension and a line range', 'touches invoice.ts:7-9 and package.json.', paths('invoice.ts', 'package.json')],
    ['dot folders, a trailing slash, a glob tail', 'validate .tickets/ exists; write .oraclepack/ticketify/*', paths('.tickets/', '.oraclepack/ticketify/*')],
    ['two files joined by a slash', 'codex-verify.md/gemini-review.json', paths('codex-verify.md', 'gemini-review.json')],
    ['emphasis, quotes and parentheses around paths', '**src/a.ts** and "src/b.ts", (src/c.ts).', paths('src/a.ts', 'src/b.ts', 'src/c.ts')],
    ['a GitHub line anchor and a glob ending in *', 'a.ts#L10-L20 and **/*.state.json*', paths('a.ts', '**/*.state.json*')],
    ['a relative import specifier in code', "`export { formatCents } from './cart.js'`", paths('./cart.js')],
    ['code-looking symbols', '`AppError`, `Runner.Run`, `sanitize()`, `withRetry`, `pkg.Func`', symbols('AppError', 'Runner.Run', 'sanitize()', 'withRetry', 'pkg.Func')],
    ['snake case and dotted constants', '`snake_case_name`, `MAX_SAFE_INTEGER`, `Number.MAX_SAFE_INTEGER`', symbols('snake_case_name', 'MAX_SAFE_INTEGER', 'Number.MAX_SAFE_INTEGER')],
    ['calls, named by their callee', "`formatCents(cents: number)`, `total(` and `Object.keys(await import('./index.js'))`", { ...none, paths: ['./index.js'], symbols: ['formatCents()', 'total()', 'Object.keys()'] }],
    ['commands in backticks', 'run `go test ./...` then `npm test -- retry`', commands('go test ./...', 'npm test -- retry')],
    ['a command naming a file', '`oraclepack validate pack.md`', { ...none, paths: ['pack.md'], commands: ['oraclepack validate pack.md'] }],
    ['a command naming a source folder', 'run `npx vitest run src/answer`', { ...none, paths: ['src/answer'], commands: ['npx vitest run src/answer'] }],
    ['commands in a shell fence, prompt stripped', '```bash\n$ npm run build\nmake\ncurl -s localhost | jq .\n```', commands('npm run build', 'make', 'curl -s localhost | jq .')],
    ['each value once, in order of appearance', 'src/b.ts, `Foo.bar`, src/a.ts, src/b.ts, `Foo.bar`, `src/a.ts`', { ...none, paths: ['src/b.ts', 'src/a.ts'], symbols: ['Foo.bar'] }],
    // negatives
    ['slashes between words', 'tm/task-master, codex/gemini, and/or, client/server, stdout/stderr, runtime/service', none],
    ['URLs', 'see https://github.com/a/b/blob/main/src/x.ts and www.example.com/a.md', none],
    ['version numbers', 'versions 1.2.3 and v2.0.1, HTTP/1.1', none],
    ['abbreviations and Node.js', 'Node.js, e.g. this, i.e. that, etc.', none],
    ['English words in backticks', 'plain words: `total`, `delays`, `Invoice`, `readonly`, `as const`', none],
    ['values that are not identifiers', '`NaN`, `$NaN`, `Retry-After`, `[100, 200, 400]`, `0.5`', none],
    ['a command word alone is a tool name, not a command', '`codex`/`gemini` on PATH', none],
    ['control flow is not a call', 'keywords: `if (x) y()`', none],
    ['package names and absolute paths', '`@oraclekit/kernel` and /usr/bin/env', none],
    ['unquoted calls and braces', 'Step{number, title} and pollBackgroundResponse(params)', none],
  ])('%s', (_name, text, expected) => {
    expect(extractEvidence(text)).toEqual(expected)
  })

  it('reads the evidence of a real example answer', () => {
    const answer = '`total` (products/billing-api/src/invoice.ts:7-9) sums `invoice.cents`; run `npm test -- invoice` and freeze with `Object.freeze`.'
    expect(extractEvidence(answer)).toEqual({
      paths: ['products/billing-api/src/invoice.ts'],
      symbols: ['invoice.cents', 'Object.freeze'],
      commands: ['npm test -- invoice'],
    })
  })
})
