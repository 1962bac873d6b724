// The two commands through their handlers: `dash build` writes a deterministic site and refuses
// unsafe folders; `dash` serves until its signal aborts, then closes everything. Neither writes to
// the workspace (hashed before and after).

import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type CommandContext, type OracleError, checkValue } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Copy, clock, copyExample, hashTree, kernelView } from '../_test/workspace.js'
import { DashOptions } from '../options.js'
import { run as build } from './build.js'
import { run as serve } from './serve.js'

let ws: Copy
let out: Copy
beforeEach(async () => {
  ws = await copyExample()
  out = await copyExample('dash-out-')
})
afterEach(async () => {
  await ws.cleanup()
  await out.cleanup()
})

function context(options: Record<string, unknown>, signal = new AbortController().signal, lines: string[] = []): CommandContext {
  const kernel = { ...kernelView(ws.dir), clock }
  const logger = { error: () => undefined, warn: () => undefined, info: () => undefined }
  const ui = { interactive: false, status: () => undefined, line: (text: string) => lines.push(text), note: (text: string) => lines.push(text) }
  return { args: {}, options, global: { cwd: ws.dir, json: false, ci: true, logLevel: 'warn' }, kernel, pluginOptions: checkValue(DashOptions, {}).value, logger, signal, ui } as unknown as CommandContext
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort()
}

describe('oracle dash build', () => {
  it('writes every view, its JSON and the assets; byte-identical when run again; the workspace untouched', async () => {
    const before = await hashTree(ws.dir)
    const site = join(out.dir, 'site')
    const first = await build(context({ out: site }))
    expect(first.exitCode).toBe(0)
    expect(first.text).toContain('dash build: 4 product(s), 19 files written to')
    const files = await listFiles(site)
    expect(files).toEqual([
      'api/devfactory.json', 'api/index.json', 'api/orchestrator.json', 'api/overview.json', 'api/packs.json', 'api/runs.json', 'api/schedules.json', 'api/science.json', 'api/work-orders.json',
      'assets/dash.css', 'assets/dash.js',
      'devfactory/index.html', 'index.html', 'orchestrator/index.html', 'packs/index.html', 'runs/index.html', 'schedules/index.html', 'science/index.html', 'work-orders/index.html',
    ])
    const hash = await hashTree(site)
    await build(context({ out: site }))
    expect(await hashTree(site)).toBe(hash)
    expect(await hashTree(ws.dir)).toBe(before)
    expect(JSON.parse(await readFile(join(site, 'api/science.json'), 'utf8')).data.summary.dossiers).toBe(4)
  })

  it('refuses the workspace root and the artifact folders, and needs --out', async () => {
    const refused = async (outArg: string | undefined): Promise<OracleError> => {
      const error = await build(context(outArg === undefined ? {} : { out: outArg })).catch((e: OracleError) => e)
      return error as OracleError
    }
    expect((await refused(undefined)).code).toBe('ORACLE_USAGE')
    for (const [outArg, why] of [
      ['.', 'workspace root'],
      ['dash/site', 'inside dash/'],
      ['.oraclepack/runs/x', 'inside .oraclepack/runs/'],
      ['.codex', 'inside .codex/'],
      ['nexus', 'holds nexus/work_orders/'],
      ['dash/science_index.json', 'inside dash/'],
    ] as const) {
      const error = await refused(outArg)
      expect(error.code, outArg).toBe('ORACLE_DASH_OUT_UNSAFE')
      expect(error.message, outArg).toContain(why)
      expect(error.exitCode).toBe(2)
    }
    expect((await refused('orchestrator.yml')).message).toContain('it is a file')
  })
})

describe('oracle dash', () => {
  it('serves until the signal aborts, then closes the server and its event streams', async () => {
    const before = await hashTree(ws.dir)
    const controller = new AbortController()
    const lines: string[] = []
    const running = serve({ ...context({ port: 0 }, controller.signal, lines) } as CommandContext)
    await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThan(0)
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(lines[0] ?? '')?.[0] as string
    expect(lines[0]).toBe(`dash: serving ${url} (read-only; Ctrl-C to stop)`)
    expect((await fetch(`${url}science/`)).status).toBe(200)
    const events = await fetch(`${url}api/events`)
    const reader = events.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('data: 1')
    controller.abort('test')
    const result = await running
    expect(result).toMatchObject({ exitCode: 0, text: 'dash: stopped' })
    expect((await reader.read()).done).toBe(true)
    await expect(fetch(url)).rejects.toThrow()
    expect(await hashTree(ws.dir)).toBe(before)
  })

  it('warns when listening beyond loopback, and reports a port in use with a coded error', async () => {
    const controller = new AbortController()
    const lines: string[] = []
    const running = serve(context({ port: 0, host: '0.0.0.0' }, controller.signal, lines))
    await expect.poll(() => lines.length, { timeout: 5000 }).toBe(2)
    expect(lines[1]).toContain('warning: listening on 0.0.0.0')
    const port = Number(/:(\d+)\//.exec(lines[0] ?? '')?.[1])
    const error = (await serve(context({ port, host: '0.0.0.0' })).catch((e: OracleError) => e)) as OracleError
    expect(error.code).toBe('ORACLE_DASH_LISTEN_FAILED')
    expect(error.hint).toContain('--port')
    controller.abort()
    await running
  })
})
