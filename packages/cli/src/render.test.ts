import { OracleError } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { errorDocument, renderInternalError, renderUserError } from './render.js'

const plain = (_style: string, text: string) => text

describe('error rendering', () => {
  it('prints a user error with location, problems, hint and cause chain, without a stack', () => {
    const error = new OracleError('ORACLE_CONFIG_INVALID', 'oracle.config.ts has 1 problem', {
      file: '/w/oracle.config.ts',
      problems: [{ message: 'unknown key "plugin"', path: 'plugin', file: '/w/oracle.config.ts', line: 5, column: 3, hint: 'Did you mean "plugins"?' }],
      hint: 'Fix every problem listed.',
      cause: new Error('inner', { cause: new Error('innermost') }),
    })
    expect(renderUserError(error, '/w', plain, false)).toBe(
      [
        'error ORACLE_CONFIG_INVALID: oracle.config.ts has 1 problem',
        '  • oracle.config.ts:5:3 plugin: unknown key "plugin"',
        '      hint: Did you mean "plugins"?',
        'hint: Fix every problem listed.',
        'cause: Error: inner',
        'cause: Error: innermost',
        '',
      ].join('\n'),
    )
  })

  it('says an internal error is a bug and asks for a report', () => {
    const text = renderInternalError(new TypeError('x is undefined'), '1.2.3', plain)
    expect(text).toContain('internal error: x is undefined')
    expect(text).toContain('This is a bug in OracleKit (oracle 1.2.3')
    expect(text).toContain('Please report it at https://github.com/oraclekit/oraclekit/issues/new')
    expect(text).toContain('TypeError: x is undefined')
  })

  it('gives --json documents for both kinds', () => {
    expect(errorDocument(new OracleError('ORACLE_X', 'm', { exitCode: 3 }))).toEqual({ error: { code: 'ORACLE_X', message: 'm', exitCode: 3 } })
    expect(errorDocument(new Error('boom'))).toEqual({ error: { code: 'ORACLE_INTERNAL', message: 'boom', exitCode: 70, internal: true } })
  })
})
