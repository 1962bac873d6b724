import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DriftProbe } from '../options.js'
import { type DriftExec, type DriftItem, type DriftReport, type ExecOutcome, checkDrift, driftExitCode } from './probe.js'

const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const LOCK = '{"lockfileVersion":3}\n'

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drift-probe-'))
  await mkdir(join(root, 'products/alpha/config'), { recursive: true })
  await writeFile(join(root, 'products/alpha/package-lock.json'), LOCK)
  await writeFile(join(root, 'products/alpha/config/app.yaml'), 'port: 8080\n')
  await writeFile(join(root, 'secret.txt'), 'outside the product\n')
})
afterEach(() => rm(root, { recursive: true, force: true }))

/** An exec that answers from a table by argv, and records where it ran. */
function fakeExec(answers: Record<string, Partial<ExecOutcome> | Error>, calls: Array<{ argv: string; cwd: string }> = []): DriftExec {
  return async (file, args, { cwd }) => {
    const argv = [file, ...args].join(' ')
    calls.push({ argv, cwd })
    const answer = answers[argv]
    if (answer instanceof Error) throw answer
    if (!answer) return { exitCode: undefined, stdout: '', stderr: `spawn ${file} ENOENT`, failed: true }
    return { exitCode: 0, stdout: '', stderr: '', failed: false, ...answer }
  }
}

async function check(probes: DriftProbe[], options: { ignore?: string[]; exec?: DriftExec; env?: Record<string, string | undefined> } = {}): Promise<DriftReport> {
  return checkDrift({ rootDir: root, productRoot: 'products/alpha', spec: { probes, ignore: options.ignore ?? [] }, exec: options.exec ?? fakeExec({}), env: options.env ?? {} })
}

const all = (r: DriftReport): DriftItem[] => [...r.items, ...r.errors, ...r.ignored]
const only = (r: DriftReport): DriftItem => {
  expect(all(r)).toHaveLength(1)
  return all(r)[0] as DriftItem
}

describe('toolchain probe', () => {
  const node = (expected: string): DriftProbe => ({ kind: 'toolchain', key: 'node', command: ['node', '--version'], expected })
  it.each([
    { name: 'exact match', stdout: 'v20.19.0\n', expected: 'v20.19.0', actual: 'v20.19.0', status: 'ok' },
    { name: 'exact mismatch', stdout: 'v22.1.0\n', expected: 'v20.19.0', actual: 'v22.1.0', status: 'drift' },
    { name: 'output trimmed', stdout: '  v20.19.0 \r\n', expected: 'v20.19.0', actual: 'v20.19.0', status: 'ok' },
    { name: 'not a prefix match', stdout: 'v20.19.01', expected: 'v20.19.0', actual: 'v20.19.01', status: 'drift' },
    { name: 'regex match', stdout: 'v20.19.0\n', expected: '/^v20\\./', actual: 'v20.19.0', status: 'ok' },
    { name: 'regex mismatch', stdout: 'v22.1.0\n', expected: '/^v20\\./', actual: 'v22.1.0', status: 'drift' },
    { name: 'a lone slash is exact', stdout: '/', expected: '/', actual: '/', status: 'ok' },
    { name: 'invalid regex', stdout: 'v20', expected: '/(/', actual: expect.stringMatching(/^invalid regex \/\(\/: /), status: 'error' },
  ])('$name → $status', async ({ stdout, expected, actual, status }) => {
    const report = await check([node(expected)], { exec: fakeExec({ 'node --version': { stdout } }) })
    expect(only(report)).toEqual({ kind: 'toolchain', key: 'node', expected, actual, status })
  })

  it.each([
    { name: 'non-zero exit, stderr', outcome: { exitCode: 3, stderr: '\n  node: bad option\nmore\n', failed: true }, actual: 'node: bad option' },
    { name: 'non-zero exit, silent', outcome: { exitCode: 3, failed: true }, actual: 'exit 3' },
    { name: 'killed, silent', outcome: { exitCode: undefined, failed: true }, actual: 'could not run' },
    { name: 'stderr redacted', outcome: { exitCode: 1, stderr: 'bad token ghp_abcdefghijklmnopqrstuvwxyz123456', failed: true }, actual: 'bad token [redacted]' },
  ])('$name → error item', async ({ outcome, actual }) => {
    const report = await check([node('v20.19.0')], { exec: fakeExec({ 'node --version': outcome }) })
    expect(report.errors).toEqual([{ kind: 'toolchain', key: 'node', expected: 'v20.19.0', actual, status: 'error' }])
    expect(report.items).toEqual([])
  })

  it('a command that cannot start, or an exec that throws, is an error item', async () => {
    const probes: DriftProbe[] = [
      { kind: 'toolchain', key: 'nope', command: ['no-such-tool', '-v'], expected: '1' },
      { kind: 'toolchain', key: 'throws', command: ['boom'], expected: '1' },
    ]
    const report = await check(probes, { exec: fakeExec({ boom: new Error('exec exploded\nstack') }) })
    expect(report.errors.map((i) => [i.key, i.actual])).toEqual([
      ['nope', 'spawn no-such-tool ENOENT'],
      ['throws', 'exec exploded'],
    ])
  })

  it('runs the argv in the product root', async () => {
    const calls: Array<{ argv: string; cwd: string }> = []
    await check([{ kind: 'toolchain', key: 'npm', command: ['npm', '--version'], expected: '10' }], { exec: fakeExec({ 'npm --version': { stdout: '10' } }, calls) })
    expect(calls).toEqual([{ argv: 'npm --version', cwd: join(root, 'products/alpha') }])
  })
})

describe('lockfile and config probes', () => {
  it.each([
    { name: 'lockfile ok', probe: { kind: 'lockfile', path: 'package-lock.json', sha256: sha(LOCK) }, key: 'package-lock.json', actual: sha(LOCK), status: 'ok' },
    { name: 'lockfile changed', probe: { kind: 'lockfile', path: 'package-lock.json', sha256: sha('old') }, key: 'package-lock.json', actual: sha(LOCK), status: 'drift' },
    { name: 'lockfile missing', probe: { kind: 'lockfile', path: 'yarn.lock', sha256: sha('x') }, key: 'yarn.lock', actual: 'missing', status: 'drift' },
    { name: 'config with a key', probe: { kind: 'config', key: 'app', path: 'config/app.yaml', sha256: sha('port: 8080\n') }, key: 'app', actual: sha('port: 8080\n'), status: 'ok' },
    { name: 'missing parent folder', probe: { kind: 'config', path: 'nope/app.yaml', sha256: sha('x') }, key: 'nope/app.yaml', actual: 'missing', status: 'drift' },
    { name: 'under a file', probe: { kind: 'config', path: 'package-lock.json/x', sha256: sha('x') }, key: 'package-lock.json/x', actual: 'missing', status: 'drift' },
  ] as const)('$name', async ({ probe, key, actual, status }) => {
    const report = await check([probe as DriftProbe])
    expect(only(report)).toEqual({ kind: probe.kind, key, expected: probe.sha256, actual, status })
  })

  it('hashes bytes, not text: a CRLF copy drifts', async () => {
    await writeFile(join(root, 'products/alpha/package-lock.json'), LOCK.replace('\n', '\r\n'))
    const report = await check([{ kind: 'lockfile', path: 'package-lock.json', sha256: sha(LOCK) }])
    expect(only(report).status).toBe('drift')
  })

  it('a folder where a file should be is an error item', async () => {
    const report = await check([{ kind: 'config', path: 'config', sha256: sha('x') }])
    expect(report.errors).toEqual([{ kind: 'config', key: 'config', expected: sha('x'), actual: 'cannot read config: EISDIR', status: 'error' }])
  })

  it.each([
    { name: 'up and out', path: '../../secret.txt' },
    { name: 'down, then up and out', path: 'config/../../../secret.txt' },
    { name: 'absolute', path: '/etc/passwd' },
    { name: 'absolute, to the outside file', path: 'ROOT/secret.txt' },
    { name: 'home', path: '~/secret.txt' },
    { name: 'drive letter', path: 'C:\\secret.txt' },
    { name: 'NUL byte', path: 'package-lock.json\u0000' },
  ])('a path leaving the product root is an error item, not a read: $name', async ({ path: declared }) => {
    const path = declared.replace('ROOT', root)
    const report = await check([{ kind: 'lockfile', path, sha256: sha('x') }])
    expect(report.errors).toEqual([{ kind: 'lockfile', key: path, expected: sha('x'), actual: `path ${path} leaves the product root`, status: 'error' }])
    // the outside file was not read: its hash appears nowhere
    expect(JSON.stringify(report)).not.toContain(sha('outside the product\n'))
  })

  it('a symlink inside the product pointing outside is an error item; one pointing inside is followed', async () => {
    await symlink(join(root, 'secret.txt'), join(root, 'products/alpha/leak.lock'))
    await symlink(join(root, 'products/alpha/package-lock.json'), join(root, 'products/alpha/alias.lock'))
    const report = await check([
      { kind: 'lockfile', path: 'leak.lock', sha256: sha('x') },
      { kind: 'lockfile', path: 'alias.lock', sha256: sha(LOCK) },
    ])
    expect(report.errors).toEqual([{ kind: 'lockfile', key: 'leak.lock', expected: sha('x'), actual: 'path leak.lock leaves the product root (symlink)', status: 'error' }])
    expect(JSON.stringify(report)).not.toContain(sha('outside the product\n'))
    expect(report.items).toEqual([{ kind: 'lockfile', key: 'alias.lock', expected: sha(LOCK), actual: sha(LOCK), status: 'ok' }])
  })

  it('a product root outside the workspace makes every probe an error', async () => {
    const report = await checkDrift({ rootDir: join(root, 'products'), productRoot: '../secret.txt', spec: { probes: [{ kind: 'env', key: 'HOME' }], ignore: [] }, exec: fakeExec({}), env: { HOME: '/h' } })
    expect(report.errors).toEqual([{ kind: 'env', key: 'HOME', expected: 'set', actual: 'product root ../secret.txt is outside the workspace', status: 'error' }])
  })
})

describe('env probe', () => {
  const SECRET = 'hunter2-very-secret-value'
  it.each([
    { name: 'set', env: { API_TOKEN: SECRET }, actual: 'set', status: 'ok' },
    { name: 'missing', env: {}, actual: 'missing', status: 'drift' },
    { name: 'undefined', env: { API_TOKEN: undefined }, actual: 'missing', status: 'drift' },
    { name: 'empty counts as missing', env: { API_TOKEN: '' }, actual: 'missing', status: 'drift' },
  ])('$name → $actual', async ({ env, actual, status }) => {
    const report = await check([{ kind: 'env', key: 'API_TOKEN' }], { env })
    expect(only(report)).toEqual({ kind: 'env', key: 'API_TOKEN', expected: 'set', actual, status })
    expect(JSON.stringify(report)).not.toContain(SECRET)
  })
})

describe('ignore list', () => {
  const probes: DriftProbe[] = [
    { kind: 'env', key: 'CI' },
    { kind: 'env', key: 'HOME' },
    { kind: 'lockfile', path: 'package-lock.json', sha256: sha('old') },
    { kind: 'toolchain', key: 'node', command: ['node', '-v'], expected: 'v20' },
  ]
  it.each([
    { name: 'nothing ignored', ignore: [], ignored: [], items: ['env:CI', 'env:HOME', 'lockfile:package-lock.json'], errors: ['toolchain:node'] },
    { name: 'by key', ignore: ['CI', 'node'], ignored: ['env:CI', 'toolchain:node'], items: ['env:HOME', 'lockfile:package-lock.json'], errors: [] },
    { name: 'by kind:key', ignore: ['lockfile:package-lock.json', 'env:HOME'], ignored: ['env:HOME', 'lockfile:package-lock.json'], items: ['env:CI'], errors: ['toolchain:node'] },
    { name: 'the wrong kind does not match', ignore: ['config:package-lock.json', 'toolchain:CI'], ignored: [], items: ['env:CI', 'env:HOME', 'lockfile:package-lock.json'], errors: ['toolchain:node'] },
    { name: 'unknown keys are harmless', ignore: ['nope', 'env:'], ignored: [], items: ['env:CI', 'env:HOME', 'lockfile:package-lock.json'], errors: ['toolchain:node'] },
  ])('$name', async ({ ignore, ignored, items, errors }) => {
    const report = await check(probes, { ignore, env: { HOME: '/home/x' }, exec: fakeExec({ 'node -v': { exitCode: 1, failed: true } }) })
    const tags = (list: DriftItem[]) => list.map((i) => `${i.kind}:${i.key}`)
    expect({ ignored: tags(report.ignored), items: tags(report.items), errors: tags(report.errors) }).toEqual({ ignored, items, errors })
  })

  it('an ignored drift no longer counts toward the exit code', async () => {
    const exec = fakeExec({})
    expect(driftExitCode(await check([{ kind: 'env', key: 'CI' }], { exec }))).toBe(2)
    expect(driftExitCode(await check([{ kind: 'env', key: 'CI' }], { exec, ignore: ['env:CI'] }))).toBe(0)
  })
})

describe('driftExitCode (Terraform: 0 none, 1 error, 2 drift)', () => {
  const item = (status: DriftItem['status']): DriftItem => ({ kind: 'env', key: status, expected: 'set', actual: 'x', status })
  it.each([
    { name: 'nothing checked', report: { items: [], errors: [], ignored: [] }, code: 0 },
    { name: 'all ok', report: { items: [item('ok'), item('ok')], errors: [], ignored: [] }, code: 0 },
    { name: 'drift', report: { items: [item('ok'), item('drift')], errors: [], ignored: [] }, code: 2 },
    { name: 'error', report: { items: [item('ok')], errors: [item('error')], ignored: [] }, code: 1 },
    { name: 'drift and error → error', report: { items: [item('drift')], errors: [item('error')], ignored: [] }, code: 1 },
    { name: 'only ignored drift and errors', report: { items: [item('ok')], errors: [], ignored: [item('drift'), item('error')] }, code: 0 },
  ])('$name → $code', ({ report, code }) => {
    expect(driftExitCode(report)).toBe(code)
  })
})

it('sorts items by kind then key, in code-unit order', async () => {
  const report = await check(
    [
      { kind: 'env', key: 'b' },
      { kind: 'env', key: 'B' },
      { kind: 'config', path: 'z.yaml', sha256: sha('x') },
      { kind: 'env', key: 'a' },
      { kind: 'config', path: 'Z.yaml', sha256: sha('x') },
    ],
    { env: { a: '1', b: '1', B: '1' } },
  )
  expect(report.items.map((i) => `${i.kind}:${i.key}`)).toEqual(['config:Z.yaml', 'config:z.yaml', 'env:B', 'env:a', 'env:b'])
})
