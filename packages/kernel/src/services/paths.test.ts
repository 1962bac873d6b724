import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExitCode, OracleError, isOracleError } from '../errors/oracle-error.js'
import { resolveInside, toPosixRelative } from './paths.js'

const ROOT = join(tmpdir(), 'oraclekit-paths-root')

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('resolveInside', () => {
  it.each([
    ['a', ['a']],
    ['a/b/c.json', ['a', 'b', 'c.json']],
    ['./a', ['a']],
    ['a/./b', ['a', 'b']],
    ['a//b', ['a', 'b']],
    ['a/b/', ['a', 'b']],
    ['.', []],
    ['.hidden/x', ['.hidden', 'x']],
    ['..a', ['..a']],
    ['a..', ['a..']],
    ['a/..b/c', ['a', '..b', 'c']],
    ['a/~b', ['a', '~b']],
    ['runs/2024-05-01T12:00:00Z/events.jsonl', ['runs', '2024-05-01T12:00:00Z', 'events.jsonl']],
  ])('accepts %j', (path, parts) => {
    expect(resolveInside(ROOT, path)).toBe(join(ROOT, ...parts))
  })

  it('resolves a relative root against the working directory', () => {
    expect(resolveInside('ws', 'a/b')).toBe(join(process.cwd(), 'ws', 'a', 'b'))
  })

  it.each([
    ['parent', '..'],
    ['parent then a name', '../x'],
    ['climbing out through a name', 'a/../../b'],
    ['a .. segment that stays inside', 'a/b/../c'],
    ['a trailing ..', 'a/..'],
    ['.. with backslashes', 'a\\..\\..\\b'],
    ['an absolute POSIX path', '/etc/passwd'],
    ['the root itself, absolute', ROOT],
    ['a home path', '~/x'],
    ['a bare ~', '~'],
    ["another user's home", '~root/.ssh/id_rsa'],
    ['a Windows drive path', 'C:\\x'],
    ['a Windows drive path with slashes', 'c:/x'],
    ['a drive-relative Windows path', 'D:x'],
    ['a NUL byte', 'a\u0000b'],
    ['the empty path', ''],
  ])('refuses %s (%j) with ORACLE_PATH_OUTSIDE_ROOT, exit code 3', (_what, path) => {
    const error = thrownBy(() => resolveInside(ROOT, path))
    expect(error).toBeInstanceOf(OracleError)
    expect(isOracleError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'ORACLE_PATH_OUTSIDE_ROOT', exitCode: ExitCode.invalidInput })
    expect((error as OracleError).exitCode).toBe(3)
    expect((error as OracleError).message).toBe(`Path ${JSON.stringify(path)} points outside ${ROOT}`)
    expect((error as OracleError).hint).toMatch(/relative path inside the workspace/)
  })
})

describe('toPosixRelative', () => {
  it.each([
    [['a', 'b.json'], 'a/b.json'],
    [['runs', 'r1', 'events.jsonl'], 'runs/r1/events.jsonl'],
    [[], ''],
  ])('writes %j below the root as %j', (parts, expected) => {
    expect(toPosixRelative(ROOT, join(ROOT, ...parts))).toBe(expected)
  })

  it('never contains the platform separator when it is not /', () => {
    const rel = toPosixRelative(ROOT, join(ROOT, 'x', 'y', 'z'))
    expect(rel.split('/')).toEqual(['x', 'y', 'z'])
    if (sep !== '/') expect(rel).not.toContain(sep)
  })

  it('is the inverse of resolveInside for accepted paths', () => {
    expect(toPosixRelative(ROOT, resolveInside(ROOT, 'a/./b//c.txt'))).toBe('a/b/c.txt')
  })
})
