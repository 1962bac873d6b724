import { describe, expect, it } from 'vitest'
import { errorConfigInvalid, errorConfigLoad, errorConfigNotFound, errorPluginFailed, errorPluginTeardown, wrapPluginError } from './errors.js'
import { ExitCode, OracleError, isOracleError } from './oracle-error.js'

describe('OracleError', () => {
  it.each(['', 'oracle_x', 'ORACLE-X', 'ORACLE_', 'MY_ERROR', 'ORACLE_lower', 'ORACLE_X Y'])('refuses the code %j', (code) => {
    expect(() => new OracleError(code, 'm')).toThrow(TypeError)
    expect(() => new OracleError(code, 'm')).toThrow(/must match/)
  })

  it.each(['ORACLE_X', 'ORACLE_CONFIG_INVALID', 'ORACLE_PACK_2_BAD'])('accepts the code %s', (code) => {
    expect(new OracleError(code, 'm').code).toBe(code)
  })

  it('is an Error named OracleError with exit code 1 and no problems by default', () => {
    const error = new OracleError('ORACLE_X', 'went wrong')
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'OracleError', message: 'went wrong', exitCode: ExitCode.failed, problems: [] })
    expect(error.stack).toContain('went wrong')
    for (const key of ['hint', 'file', 'line', 'column', 'plugin', 'pluginCode', 'hook', 'url', 'cause'] as const) expect(error[key], key).toBeUndefined()
    expect('cause' in error).toBe(false)
  })

  it('keeps every option it is given, the cause as the standard Error cause', () => {
    const cause = new Error('root')
    const error = new OracleError('ORACLE_X', 'm', { hint: 'h', file: '/f', line: 3, column: 4, plugin: 'p', pluginCode: 'E', hook: 'setup', url: 'https://x', exitCode: ExitCode.usage, problems: [{ message: 'a' }], cause })
    expect(error).toMatchObject({ hint: 'h', file: '/f', line: 3, column: 4, plugin: 'p', pluginCode: 'E', hook: 'setup', url: 'https://x', exitCode: 2, problems: [{ message: 'a' }] })
    expect(error.cause).toBe(cause)
  })

  it('has the documented exit codes', () => {
    expect(ExitCode).toEqual({ ok: 0, failed: 1, usage: 2, invalidInput: 3, stopped: 4, internal: 70 })
  })
})

describe('OracleError#toJSON', () => {
  it('has code, message and exit code, and only the fields that are set', () => {
    expect(new OracleError('ORACLE_X', 'm').toJSON()).toEqual({ code: 'ORACLE_X', message: 'm', exitCode: 1 })
    expect(new OracleError('ORACLE_X', 'm', { line: 0, file: '/f' }).toJSON()).toEqual({ code: 'ORACLE_X', message: 'm', exitCode: 1, file: '/f', line: 0 })
  })

  it('has every field, the problems and the cause chain', () => {
    const inner = new OracleError('ORACLE_INNER', 'inner', { cause: new TypeError('deepest') })
    const error = new OracleError('ORACLE_OUTER', 'outer', { hint: 'h', plugin: 'p', pluginCode: 'E', hook: 'teardown', url: 'u', column: 2, problems: [{ message: 'a', path: 'run' }], cause: inner })
    expect(error.toJSON()).toEqual({
      code: 'ORACLE_OUTER',
      message: 'outer',
      exitCode: 1,
      hint: 'h',
      column: 2,
      plugin: 'p',
      pluginCode: 'E',
      hook: 'teardown',
      url: 'u',
      problems: [{ message: 'a', path: 'run' }],
      cause: { code: 'ORACLE_INNER', message: 'inner', exitCode: 1, cause: { name: 'TypeError', message: 'deepest' } },
    })
  })

  it('turns a cause that is not an Error into a string', () => {
    expect(new OracleError('ORACLE_X', 'm', { cause: 42 }).toJSON().cause).toBe('42')
    expect(new OracleError('ORACLE_X', 'm', { cause: { reason: 'x' } }).toJSON().cause).toBe('[object Object]')
  })

  it('is what JSON.stringify writes', () => {
    const error = new OracleError('ORACLE_X', 'm', { hint: 'h' })
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON())
  })
})

describe('isOracleError', () => {
  // What another copy of the kernel (a plugin bundling its own) would throw: same shape, other class.
  class OtherCopyOracleError extends Error {
    override readonly name = 'OracleError'
    constructor(readonly code: string) {
      super('from the other copy')
    }
  }

  it.each([
    ['an OracleError', new OracleError('ORACLE_X', 'm'), true],
    ['one from another copy of the kernel', new OtherCopyOracleError('ORACLE_PLUGIN_X'), true],
    ['a plain object of the same shape', { name: 'OracleError', code: 'ORACLE_X', message: 'm' }, true],
    ['another copy with a bad code', new OtherCopyOracleError('oracle_x'), false],
    ['an Error with an ORACLE_ code but another name', Object.assign(new Error('m'), { code: 'ORACLE_X' }), false],
    ['an object named OracleError without a code', { name: 'OracleError' }, false],
    ['an object with a numeric code', { name: 'OracleError', code: 1 }, false],
    ['a Node error', Object.assign(new Error('m'), { code: 'ENOENT' }), false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['a string', 'OracleError', false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isOracleError(value)).toBe(expected)
  })
})

describe('wrapPluginError', () => {
  const plain = new Error('boom')
  const coded = Object.assign(new Error('no file'), { code: 'ENOENT' })

  it.each([
    ['an Error in setup', plain, 'setup', { message: '[plugin p] setup failed: boom', exitCode: 2, cause: plain }],
    ['an Error in teardown', plain, 'teardown', { message: '[plugin p] teardown failed: boom', exitCode: 1, cause: plain }],
    ['an Error in a command', plain, 'command "report"', { message: '[plugin p] command "report" failed: boom', exitCode: 1 }],
    ['an Error with a code', coded, 'setup', { message: '[plugin p] setup failed: no file', pluginCode: 'ENOENT', cause: coded }],
    ['a thrown string', 'just text', 'setup', { message: '[plugin p] setup failed: just text', cause: 'just text' }],
    ['a thrown undefined', undefined, 'teardown', { message: '[plugin p] teardown failed: undefined', exitCode: 1 }],
    ['an object with a code', { code: 'E_OBJ' }, 'setup', { message: '[plugin p] setup failed: [object Object]', pluginCode: 'E_OBJ' }],
    ['an object with a numeric code', { code: 5 }, 'setup', { pluginCode: undefined }],
  ])('re-codes %s as ORACLE_PLUGIN_ERROR', (_name, thrown, hook, expected) => {
    const error = wrapPluginError('p', hook, thrown)
    expect(error).toBeInstanceOf(OracleError)
    expect(error).toMatchObject({ code: 'ORACLE_PLUGIN_ERROR', plugin: 'p', hook, ...expected })
    expect(error.hint).toContain('"p"')
  })

  it('returns an OracleError as it is, keeping its code and exit code, adding the plugin name', () => {
    const thrown = new OracleError('ORACLE_PACK_INVALID', 'bad pack', { exitCode: ExitCode.invalidInput })
    const error = wrapPluginError('oracle:pack', 'command "pack run"', thrown)
    expect(error).toBe(thrown)
    expect(error).toMatchObject({ code: 'ORACLE_PACK_INVALID', exitCode: 3, plugin: 'oracle:pack', message: 'bad pack' })
    expect(error.hook).toBeUndefined()
  })

  it('keeps the plugin name an OracleError already has', () => {
    const thrown = new OracleError('ORACLE_X', 'm', { plugin: 'inner' })
    expect(wrapPluginError('outer', 'setup', thrown).plugin).toBe('inner')
  })

  it('keeps an OracleError from another copy of the kernel as it is', () => {
    const thrown = Object.assign(new Error('other'), { name: 'OracleError', code: 'ORACLE_OTHER', exitCode: 4 })
    const error = wrapPluginError('p', 'setup', thrown)
    expect(error).toBe(thrown)
    expect(error).toMatchObject({ code: 'ORACLE_OTHER', exitCode: 4, plugin: 'p' })
  })
})

describe('kernel error factories', () => {
  it('errorConfigInvalid counts the problems and exits 2', () => {
    expect(errorConfigInvalid([{ message: 'a' }], '/w/oracle.config.ts')).toMatchObject({ code: 'ORACLE_CONFIG_INVALID', message: 'oracle.config.ts has 1 problem', file: '/w/oracle.config.ts', exitCode: 2 })
    const error = errorConfigInvalid([{ message: 'a' }, { message: 'b' }])
    expect(error.message).toBe('the config has 2 problems')
    expect(error.file).toBeUndefined()
  })

  it('errorConfigLoad takes the first line of the cause and the place', () => {
    const cause = new SyntaxError('Unexpected token\n  at somewhere')
    expect(errorConfigLoad('/w/c.ts', cause, 3, 5)).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', message: 'Could not load /w/c.ts: Unexpected token', file: '/w/c.ts', line: 3, column: 5, exitCode: 2, cause })
    expect(errorConfigLoad('/w/c.ts', 'text').message).toBe('Could not load /w/c.ts: text')
  })

  it('errorConfigNotFound tells a failed search from a missing --config file', () => {
    const searched = errorConfigNotFound('/w')
    expect(searched).toMatchObject({ code: 'ORACLE_CONFIG_NOT_FOUND', exitCode: 2, message: 'No OracleKit config found in /w or any parent directory' })
    expect(searched.hint).toMatch(/oracle init/)
    const explicit = errorConfigNotFound('/w', '/w/custom.ts')
    expect(explicit).toMatchObject({ code: 'ORACLE_CONFIG_NOT_FOUND', exitCode: 2, file: '/w/custom.ts', message: 'Config file not found: /w/custom.ts' })
    expect(explicit.hint).toMatch(/--config/)
  })

  it('errorPluginTeardown lists every failure, the first as cause', () => {
    const failures = [errorPluginFailed('b', 'teardown', new Error('x')), new OracleError('ORACLE_Y', 'y', { plugin: 'a' })]
    const error = errorPluginTeardown(failures)
    expect(error).toMatchObject({ code: 'ORACLE_PLUGIN_TEARDOWN_FAILED', message: 'Teardown failed in 2 plugins: b, a', exitCode: 1, cause: failures[0] })
    expect(error.problems).toEqual([
      { message: '[plugin b] teardown failed: x', path: 'b' },
      { message: 'y', path: 'a' },
    ])
  })
})
