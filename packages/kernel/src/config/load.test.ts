import { rm } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { type TempWorkspace, makeWorkspace } from '../_test/workspace.js'
import { loadKernelConfig } from '../kernel.js'
import { loadConfigFile } from './load.js'
import { rejection } from '../_test/helpers.js'

const workspaces: TempWorkspace[] = []
async function workspace(files: Record<string, string>): Promise<TempWorkspace> {
  const ws = await makeWorkspace(files)
  workspaces.push(ws)
  return ws
}
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.cleanup()))
})

const RUN = '{ run: { maxParallel: 3 } }'

describe('loadConfigFile: every format', () => {
  it.each([
    ['oracle.config.ts', `import type { UserConfig } from '@oraclekit/kernel'\nconst config: UserConfig = ${RUN}\nexport default config\n`, 'code'],
    ['oracle.config.mts', `const parallel: number = 3\nexport default { run: { maxParallel: parallel } }\n`, 'code'],
    ['oracle.config.mjs', `export default ${RUN}\n`, 'code'],
    ['oracle.config.js', `module.exports = ${RUN}\n`, 'code'],
    ['oracle.config.json', `{ "run": { "maxParallel": 3 } }\n`, 'json'],
  ])('loads %s', async (name, text, kind) => {
    const ws = await workspace({ [name]: text })
    const loaded = await loadConfigFile({ cwd: ws.dir })
    expect(loaded?.file).toBe(ws.path(name))
    expect(loaded?.config).toEqual({ run: { maxParallel: 3 } })
    expect(loaded?.source).toEqual({ file: ws.path(name), text, kind })
  })

  it('loads an ES module oracle.config.js in a "type": "module" package', async () => {
    const ws = await workspace({ 'package.json': '{ "type": "module" }\n', 'oracle.config.js': `export default ${RUN}\n` })
    expect((await loadConfigFile({ cwd: ws.dir }))?.config).toEqual({ run: { maxParallel: 3 } })
  })

  it('loads a .ts config that imports defineConfig from @oraclekit/kernel, as a user writes it', async () => {
    const ws = await workspace({ 'oracle.config.ts': `import { defineConfig } from '@oraclekit/kernel'\n\nexport default defineConfig(${RUN})\n` })
    expect((await loadConfigFile({ cwd: ws.dir }))?.config).toEqual({ run: { maxParallel: 3 } })
  })

  it('loads the "oracle" key of package.json, located inside that key', async () => {
    const text = '{\n  "name": "app",\n  "oracle": { "run": { "maxParallel": 3 } }\n}\n'
    const ws = await workspace({ 'package.json': text })
    const loaded = await loadConfigFile({ cwd: ws.dir })
    expect(loaded).toEqual({ file: ws.path('package.json'), config: { run: { maxParallel: 3 } }, source: { file: ws.path('package.json'), text, kind: 'json', at: ['oracle'] } })
  })

  it('takes the first of oracle.config.ts|mts|mjs|js|json, package.json in one directory', async () => {
    const order: Array<[string, string, string]> = [
      ['oracle.config.ts', 'export default { root: "ts" }', 'ts'],
      ['oracle.config.mts', 'export default { root: "mts" }', 'mts'],
      ['oracle.config.mjs', 'export default { root: "mjs" }', 'mjs'],
      ['oracle.config.js', 'module.exports = { root: "js" }', 'js'],
      ['oracle.config.json', '{ "root": "json" }', 'json'],
      ['package.json', '{ "oracle": { "root": "package" } }', 'package'],
    ]
    const ws = await workspace(Object.fromEntries(order.map(([name, text]) => [name, text])))
    // Remove the winner each round: the next one in the search order must win.
    for (const [name, , root] of order) {
      expect((await loadConfigFile({ cwd: ws.dir }))?.config, name).toEqual({ root })
      await rm(ws.path(name))
    }
  })
})

describe('loadConfigFile: the upward search', () => {
  it('finds the config in a parent of a nested cwd', async () => {
    const ws = await workspace({ 'oracle.config.mjs': `export default ${RUN}\n`, 'apps/web/src/index.ts': '' })
    const loaded = await loadConfigFile({ cwd: ws.path('apps/web/src') })
    expect(loaded?.file).toBe(ws.path('oracle.config.mjs'))
  })

  it('skips a package.json without an "oracle" key and goes on upward', async () => {
    const ws = await workspace({ 'oracle.config.json': '{ "root": "top" }', 'apps/web/package.json': '{ "name": "web" }', 'apps/web/src/x.ts': '' })
    const loaded = await loadConfigFile({ cwd: ws.path('apps/web/src') })
    expect(loaded?.file).toBe(ws.path('oracle.config.json'))
    expect(loaded?.config).toEqual({ root: 'top' })
  })

  it('stops at the nearest directory with a config, a package.json "oracle" key included', async () => {
    const ws = await workspace({ 'oracle.config.json': '{ "root": "top" }', 'apps/web/package.json': '{ "name": "web", "oracle": { "root": "web" } }' })
    expect((await loadConfigFile({ cwd: ws.path('apps/web') }))?.config).toEqual({ root: 'web' })
  })

  it('returns undefined when there is no config up to the file-system root', async () => {
    const ws = await workspace({ 'package.json': '{ "name": "no-config" }', 'src/a.ts': '' })
    expect(await loadConfigFile({ cwd: ws.path('src') })).toBeUndefined()
  })

  it('makes loadKernelConfig throw ORACLE_CONFIG_NOT_FOUND (exit 2), unless a missing config is allowed', async () => {
    const ws = await workspace({})
    const error = await rejection(loadKernelConfig({ cwd: ws.dir }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_NOT_FOUND', exitCode: 2 })
    expect(error.message).toContain(ws.dir)
    const empty = await loadKernelConfig({ cwd: ws.dir, allowMissingConfig: true })
    expect(empty.loaded).toBeUndefined()
    expect(empty.config).toMatchObject({ rootDir: ws.dir, configFile: undefined, plugins: [], run: { maxParallel: 2 } })
  })
})

describe('loadConfigFile: an explicit config file', () => {
  it('loads the given file relative to cwd, with any name, instead of searching', async () => {
    const ws = await workspace({ 'oracle.config.json': '{ "root": "searched" }', 'configs/ci.config.mjs': 'export default { root: "explicit" }\n' })
    const loaded = await loadConfigFile({ cwd: ws.dir, configFile: 'configs/ci.config.mjs' })
    expect(loaded?.file).toBe(ws.path('configs/ci.config.mjs'))
    expect(loaded?.config).toEqual({ root: 'explicit' })
  })

  it('accepts an absolute path and a .ts file', async () => {
    const ws = await workspace({ 'elsewhere/my.ts': 'const root: string = "ts"\nexport default { root }\n' })
    expect((await loadConfigFile({ cwd: '/', configFile: ws.path('elsewhere/my.ts') }))?.config).toEqual({ root: 'ts' })
  })

  it.each([
    ['a missing file', 'nope.config.ts'],
    ['a directory', 'configs'],
  ])('throws ORACLE_CONFIG_NOT_FOUND (exit 2) for %s, naming the file', async (_name, configFile) => {
    const ws = await workspace({ 'oracle.config.json': '{}', 'configs/keep': '' })
    const error = await rejection(loadConfigFile({ cwd: ws.dir, configFile }))
    expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_CONFIG_NOT_FOUND', exitCode: 2, file: ws.path(configFile) })
    expect(error.message).toBe(`Config file not found: ${ws.path(configFile)}`)
    expect(error.hint).toContain('--config')
  })
})

describe('loadConfigFile: a config function', () => {
  it('is called with { command, cwd } and its result is the config', async () => {
    const ws = await workspace({ 'oracle.config.ts': `import type { ConfigEnv } from '@oraclekit/kernel'\nexport default (env: ConfigEnv) => ({ root: env.command, $schema: env.cwd })\n` })
    const loaded = await loadConfigFile({ cwd: ws.dir, env: { command: 'pack run', cwd: '/somewhere' } })
    expect(loaded?.config).toEqual({ root: 'pack run', $schema: '/somewhere' })
  })

  it('may be async, and gets an empty command and the cwd by default', async () => {
    const ws = await workspace({ 'oracle.config.mjs': `export default async (env) => ({ root: JSON.stringify(env) })\n` })
    const loaded = await loadConfigFile({ cwd: ws.dir })
    expect(JSON.parse((loaded?.config as { root: string }).root)).toEqual({ command: '', cwd: ws.dir })
  })

  it('receives the command loadKernelConfig was given, as the CLI passes it', async () => {
    const ws = await workspace({ 'oracle.config.mjs': `export default ({ command, cwd }) => ({ root: command === 'pack run' ? 'packs' : 'other', log: { redact: [cwd] } })\n` })
    const { config } = await loadKernelConfig({ cwd: ws.dir, command: 'pack run' })
    expect(config.rootDir).toBe(ws.path('packs'))
    expect(config.log.redact).toEqual([ws.dir])
  })

  it('that throws gives ORACLE_CONFIG_LOAD_FAILED with the error as cause', async () => {
    const ws = await workspace({ 'oracle.config.ts': `export default () => {\n  throw new Error('no env')\n}\n` })
    const error = await rejection(loadConfigFile({ cwd: ws.dir }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', exitCode: 2, file: ws.path('oracle.config.ts'), message: `Could not load ${ws.path('oracle.config.ts')}: no env` })
    expect((error.cause as Error).message).toBe('no env')
  })
})

describe('loadConfigFile: files that do not load', () => {
  it.each([
    ['oracle.config.ts', 'export default {\n  run: {\n    maxParallel: 2,,\n  },\n}\n', 3, 20],
    ['oracle.config.mts', 'const n: number = 1\nexport default {\n  run: { maxParallel: n n },\n}\n', 3, 25],
    ['oracle.config.json', '{\n  "run": {\n    "maxParallel": 2,\n  }\n}\n', 4, 3],
    ['package.json', '{\n  "name": "app",\n  "oracle": { , }\n}\n', 3, 15],
  ])('a syntax error in %s is ORACLE_CONFIG_LOAD_FAILED with file, line and column', async (name, text, line, column) => {
    const ws = await workspace({ [name]: text })
    const error = await rejection(loadConfigFile({ cwd: ws.dir }))
    expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_CONFIG_LOAD_FAILED', exitCode: 2, file: ws.path(name), line, column })
    expect(error.message).toContain(`Could not load ${ws.path(name)}`)
    expect(error.cause).toBeDefined()
  })

  it.each([
    ['oracle.config.mjs', {}],
    ['oracle.config.js', { 'package.json': '{ "type": "module" }' }],
  ])('a syntax error in %s names the real error, not a failed require()', async (name, extra) => {
    const ws = await workspace({ ...extra, [name]: 'export default {\n  run: {\n    maxParallel: 2,,\n  },\n}\n' })
    const error = await rejection(loadConfigFile({ cwd: ws.dir }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', exitCode: 2, file: ws.path(name), line: 3, column: 20 })
    expect(error.message).toBe(`Could not load ${ws.path(name)}: Unexpected token ','`)
    expect(error.cause).toBeInstanceOf(SyntaxError)
  })

  it('an error thrown while a .ts config runs gives its line', async () => {
    const ws = await workspace({ 'oracle.config.ts': `const a = 1\n\nthrow new Error('boom ' + a)\nexport default {}\n` })
    const error = await rejection(loadConfigFile({ cwd: ws.dir }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', file: ws.path('oracle.config.ts'), line: 3, message: `Could not load ${ws.path('oracle.config.ts')}: boom 1` })
  })

  it('an import that cannot be resolved is ORACLE_CONFIG_LOAD_FAILED naming the module', async () => {
    const ws = await workspace({ 'oracle.config.mjs': `import x from './missing.mjs'\nexport default x\n` })
    const error = await rejection(loadConfigFile({ cwd: ws.dir }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', file: ws.path('oracle.config.mjs') })
    expect(error.message).toContain('missing.mjs')
  })

  it('a broken config in a parent directory is reported, not skipped', async () => {
    const ws = await workspace({ 'oracle.config.json': '{ nope }', 'sub/x': '' })
    const error = await rejection(loadConfigFile({ cwd: ws.path('sub') }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', file: ws.path('oracle.config.json'), line: 1 })
  })
})

describe('loadConfigFile: files without a config in them', () => {
  it.each([
    ['oracle.config.mjs', 'export const run = { maxParallel: 2 }\n', 'oracle.config.mjs has no default export (it exports run)'],
    ['oracle.config.ts', 'export const plugins = []\n', 'oracle.config.ts has no default export (it exports plugins)'],
    ['oracle.config.js', 'const x = 1\n', 'oracle.config.js has no default export'],
  ])('%s without a default export is ORACLE_CONFIG_LOAD_FAILED, not a reason to search upward', async (file, text, message) => {
    const ws = await workspace({ 'oracle.config.json': '{ "run": { "maxParallel": 5 } }', [`sub/${file}`]: text, 'sub/package.json': '{ "type": "module" }' })
    const error = await rejection(loadConfigFile({ cwd: ws.path('sub') }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_LOAD_FAILED', file: ws.path('sub', file), exitCode: 2 })
    expect(error.message).toContain(message)
  })

  it('an empty config file is an empty config, found where it is', async () => {
    const ws = await workspace({ 'oracle.config.json': '{ "run": { "maxParallel": 5 } }', 'sub/oracle.config.mjs': '' })
    const loaded = await loadConfigFile({ cwd: ws.path('sub') })
    expect(loaded?.file).toBe(ws.path('sub/oracle.config.mjs'))
    expect(loaded?.config).toEqual({})
  })
})
