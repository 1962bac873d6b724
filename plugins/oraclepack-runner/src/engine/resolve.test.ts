import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTempWorkspace, type TempWorkspace } from '@oraclekit/kernel/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineOptions } from '../options.js'
import { ORACLE_PACKAGE, engineConfigHash, resolveEngine } from './resolve.js'

const defaults: EngineOptions = { kind: 'oracle', args: [], env: {} }
let ws: TempWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

/** A package that looks like @steipete/oracle: package.json with a bin, and the bin script. */
function fakeOraclePackage(dir: string, engines = '>=20'): string {
  mkdirSync(join(dir, 'dist/bin'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: ORACLE_PACKAGE, version: '9.8.7', bin: { oracle: 'dist/bin/oracle-cli.js' }, engines: { node: engines } }))
  const script = join(dir, 'dist/bin/oracle-cli.js')
  writeFileSync(script, '#!/usr/bin/env node\nconsole.log("9.8.7")\n')
  chmodSync(script, 0o755)
  return script
}

describe('resolveEngine', () => {
  it('finds @steipete/oracle installed in the workspace and reads its version from package.json', async () => {
    ws = await createTempWorkspace()
    const script = fakeOraclePackage(ws.path('node_modules', ORACLE_PACKAGE))
    const engine = await resolveEngine(ws.dir, defaults, {}, { PATH: '' })
    expect(engine).toMatchObject({ kind: 'oracle', source: 'workspace', version: '9.8.7', file: process.execPath, prefix: [script] })
  })

  it('takes a global install from PATH only when the link leads into the @steipete/oracle package', async () => {
    ws = await createTempWorkspace()
    const script = fakeOraclePackage(ws.path('global/lib/node_modules', ORACLE_PACKAGE))
    mkdirSync(ws.path('global/bin'), { recursive: true })
    mkdirSync(ws.path('other/bin'), { recursive: true })
    // Another `oracle` first on PATH (OracleKit's own bin, say): skipped.
    writeFileSync(ws.path('other/bin/oracle'), '#!/bin/sh\necho not it\n')
    chmodSync(ws.path('other/bin/oracle'), 0o755)
    symlinkSync(script, ws.path('global/bin/oracle'))
    const engine = await resolveEngine(ws.dir, defaults, {}, { PATH: `${ws.path('other/bin')}:${ws.path('global/bin')}` })
    expect(engine).toMatchObject({ source: 'global', version: '9.8.7', prefix: [script] })
  })

  it('never uses an `oracle` on PATH that is not @steipete/oracle', async () => {
    ws = await createTempWorkspace()
    mkdirSync(ws.path('bin'))
    writeFileSync(ws.path('bin/oracle'), '#!/bin/sh\n')
    chmodSync(ws.path('bin/oracle'), 0o755)
    await expect(resolveEngine(ws.dir, defaults, {}, { PATH: ws.path('bin') })).rejects.toMatchObject({ code: 'ORACLE_PACK_ENGINE_NOT_FOUND', exitCode: 2, hint: expect.stringContaining('npm install -g @steipete/oracle') })
  })

  it('refuses to run a package that needs a newer Node, unless a Node is configured', async () => {
    ws = await createTempWorkspace()
    const script = fakeOraclePackage(ws.path('node_modules', ORACLE_PACKAGE), '>=99')
    await expect(resolveEngine(ws.dir, defaults, {}, { PATH: '' })).rejects.toMatchObject({ code: 'ORACLE_PACK_ENGINE_NODE', hint: expect.stringContaining('engine.node') })
    const engine = await resolveEngine(ws.dir, { ...defaults, node: process.execPath }, {}, { PATH: '' })
    expect(engine).toMatchObject({ file: process.execPath, prefix: [script] })
  })

  it('a configured command wins, and --oracle-bin wins over it; an executable reports its version with --version', async () => {
    ws = await createTempWorkspace()
    fakeOraclePackage(ws.path('node_modules', ORACLE_PACKAGE))
    await ws.write('tools/oracle.sh', '#!/bin/sh\necho "oracle 1.2.3"\n')
    chmodSync(ws.path('tools/oracle.sh'), 0o755)
    await ws.write('tools/other.sh', '#!/bin/sh\necho "4.5.6"\n')
    chmodSync(ws.path('tools/other.sh'), 0o755)
    expect(await resolveEngine(ws.dir, { ...defaults, command: 'tools/oracle.sh' }, {}, { PATH: '' })).toMatchObject({ source: 'config', version: '1.2.3', file: ws.path('tools/oracle.sh'), prefix: [] })
    expect(await resolveEngine(ws.dir, { ...defaults, command: 'tools/oracle.sh' }, { command: 'tools/other.sh' }, { PATH: '' })).toMatchObject({ source: 'flag', version: '4.5.6' })
    await expect(resolveEngine(ws.dir, { ...defaults, command: 'tools/missing' }, {}, { PATH: '' })).rejects.toMatchObject({ code: 'ORACLE_PACK_ENGINE_NOT_FOUND' })
  })

  it('the replay engine needs an existing replayDir', async () => {
    ws = await createTempWorkspace({ files: { 'answers/01.md': 'x' } })
    expect(await resolveEngine(ws.dir, { ...defaults, kind: 'replay', replayDir: 'answers' }, {}, {})).toMatchObject({ kind: 'replay', version: 'replay', path: ws.path('answers') })
    await expect(resolveEngine(ws.dir, { ...defaults, kind: 'replay' }, {}, {})).rejects.toMatchObject({ code: 'ORACLE_PACK_ENGINE_NOT_FOUND' })
    await expect(resolveEngine(ws.dir, { ...defaults, kind: 'replay', replayDir: 'nope' }, {}, {})).rejects.toMatchObject({ code: 'ORACLE_PACK_ENGINE_NOT_FOUND' })
  })
})

describe('engineConfigHash', () => {
  it('changes with the oracle config files, .env and routing variables, not with unrelated ones', async () => {
    ws = await createTempWorkspace()
    const env = { HOME: ws.path('home') }
    const base = engineConfigHash(ws.dir, env)
    expect(engineConfigHash(ws.dir, { ...env, UNRELATED: '1' })).toBe(base)
    expect(engineConfigHash(ws.dir, { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).not.toBe(base)
    await ws.write('.oracle/config.json', '{ promptSuffix: "be brief" }')
    const withProject = engineConfigHash(ws.dir, env)
    expect(withProject).not.toBe(base)
    await ws.write('home/.oracle/config.json', '{ model: "gpt-5.1" }')
    expect(engineConfigHash(ws.dir, env)).not.toBe(withProject)
  })
})
