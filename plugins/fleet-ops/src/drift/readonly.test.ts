// The drift check's promise: it reads, it never writes. A real product folder, real processes,
// and a snapshot of every entry (bytes, mtime, the folder listings) before and after.

import { createHash } from 'node:crypto'
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { checkFleetDrift, createExecFileProbe } from '../commands/drift.js'
import type { DriftSpec } from '../options.js'
import { checkDrift, driftExitCode } from './probe.js'

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
const node = process.execPath

/** Every entry under `dir`: type, mtime, and the bytes' hash, the link target or the listing. */
async function snapshot(dir: string, rel = '.'): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const path = join(dir, rel)
  const stat = await lstat(path)
  if (stat.isSymbolicLink()) out[rel] = `link ${await readlink(path)} ${stat.mtimeMs}`
  else if (stat.isFile()) out[rel] = `file ${sha(await readFile(path))} ${stat.size} ${stat.mtimeMs} ${stat.mode}`
  else {
    const names = (await readdir(path)).sort()
    out[rel] = `dir [${names.join(',')}] ${stat.mtimeMs} ${stat.mode}`
    for (const name of names) Object.assign(out, await snapshot(dir, join(rel, name)))
  }
  return out
}

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drift-readonly-'))
  await mkdir(join(root, 'products/alpha/config'), { recursive: true })
  await mkdir(join(root, 'dash/drift'), { recursive: true })
  await writeFile(join(root, 'products/alpha/package-lock.json'), '{"lockfileVersion":3}\n')
  await writeFile(join(root, 'products/alpha/config/app.yaml'), 'port: 8080\n')
  await writeFile(join(root, 'outside.lock'), 'not the product’s\n')
  await symlink(join(root, 'outside.lock'), join(root, 'products/alpha/escape.lock'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

const spec = (): DriftSpec => ({
  probes: [
    { kind: 'toolchain', key: 'node', command: [node, '--version'], expected: process.version },
    { kind: 'toolchain', key: 'node-major', command: [node, '-e', 'process.stdout.write(process.versions.node)'], expected: '/^\\d+\\./' },
    { kind: 'toolchain', key: 'fails', command: [node, '-e', 'process.stderr.write("no such toolchain\\n"); process.exit(4)'], expected: '1' },
    { kind: 'toolchain', key: 'absent', command: ['oraclekit-no-such-binary-xyz'], expected: '1' },
    { kind: 'lockfile', path: 'package-lock.json', sha256: sha('{"lockfileVersion":3}\n') },
    { kind: 'lockfile', key: 'yarn', path: 'yarn.lock', sha256: sha('') },
    { kind: 'lockfile', key: 'escape', path: '../../outside.lock', sha256: sha('') },
    { kind: 'lockfile', key: 'symlink', path: 'escape.lock', sha256: sha('') },
    { kind: 'config', key: 'app', path: 'config/app.yaml', sha256: sha('port: 9090\n') },
    { kind: 'env', key: 'DRIFT_TEST_SET' },
    { kind: 'env', key: 'DRIFT_TEST_MISSING' },
  ],
  ignore: ['app'],
})

it('checkDrift leaves the workspace exactly as it was, with real processes', async () => {
  const before = await snapshot(root)
  const report = await checkDrift({
    rootDir: root,
    productRoot: 'products/alpha',
    spec: spec(),
    exec: (file, args, { cwd }) => createExecFileProbe()(file, args, { cwd, env: process.env }),
    env: { DRIFT_TEST_SET: 'value' },
  })
  expect(await snapshot(root)).toEqual(before)

  const status = Object.fromEntries([...report.items, ...report.errors, ...report.ignored].map((i) => [i.key, `${i.status} ${i.actual}`]))
  expect(status).toEqual({
    node: `ok ${process.version}`,
    'node-major': `ok ${process.versions.node}`,
    fails: 'error no such toolchain',
    absent: expect.stringMatching(/^error .*ENOENT/),
    'package-lock.json': `ok ${sha('{"lockfileVersion":3}\n')}`,
    yarn: 'drift missing',
    escape: 'error path ../../outside.lock leaves the product root',
    symlink: 'error path escape.lock leaves the product root (symlink)',
    app: `drift ${sha('port: 8080\n')}`,
    DRIFT_TEST_SET: 'ok set',
    DRIFT_TEST_MISSING: 'drift missing',
  })
  expect(report.ignored.map((i) => i.key)).toEqual(['app'])
  expect(JSON.stringify(report)).not.toContain(sha('not the product’s\n'))
  expect(driftExitCode(report)).toBe(1)
})

it("the command's core (checkFleetDrift) leaves the workspace exactly as it was", async () => {
  await mkdir(join(root, 'products/beta'), { recursive: true })
  const before = await snapshot(root)
  const result = await checkFleetDrift({
    rootDir: root,
    products: [
      { product: { id: 'alpha', root: 'products/alpha', env: { DRIFT_TEST_SET: 'from the product' } }, spec: spec() },
      { product: { id: 'beta', root: 'products/beta' }, spec: { probes: [{ kind: 'toolchain', key: 'node', command: [node, '--version'], expected: process.version }], ignore: [] } },
    ],
    exec: createExecFileProbe(),
    env: {},
  })
  expect(await snapshot(root)).toEqual(before)
  expect(result.reports.map((r) => [r.productId, driftExitCode(r.report)])).toEqual([
    ['alpha', 1],
    ['beta', 0],
  ])
  expect(result.exitCode).toBe(1)
})

it('the product env reaches the toolchain commands, and its values never reach the report', async () => {
  const result = await checkFleetDrift({
    rootDir: root,
    products: [
      {
        product: { id: 'alpha', root: 'products/alpha', env: { DRIFT_SECRET: 's3cr3t-value-42' } },
        spec: {
          probes: [
            { kind: 'toolchain', key: 'sees-env', command: [node, '-e', 'process.stdout.write(process.env.DRIFT_SECRET ? "yes" : "no")'], expected: 'yes' },
            { kind: 'toolchain', key: 'cwd', command: [node, '-e', 'process.stdout.write(require("node:path").basename(process.cwd()))'], expected: 'alpha' },
            { kind: 'env', key: 'DRIFT_SECRET' },
          ],
          ignore: [],
        },
      },
    ],
    exec: createExecFileProbe(),
    env: {},
  })
  const [only] = result.reports
  expect(only?.report.items.map((i) => `${i.key}=${i.status}`)).toEqual(['DRIFT_SECRET=ok', 'cwd=ok', 'sees-env=ok'])
  expect(JSON.stringify(result)).not.toContain('s3cr3t-value-42')
  expect(result.exitCode).toBe(0)
})

it('a command that hangs is stopped by the timeout and becomes an error item', async () => {
  const exec = createExecFileProbe(undefined, 300)
  const outcome = await exec(node, ['-e', 'setTimeout(() => {}, 10_000)'], { cwd: root, env: process.env })
  expect(outcome).toMatchObject({ exitCode: undefined, failed: true, stderr: 'timed out after 300 ms' })
})
