// Both commands through the built CLI, on a copy of examples/dash: `oracle dash` serves until
// SIGINT and then exits 0; `oracle dash build` writes a site that is the same bytes when built
// again, opens from file:// in headless Chromium, and whose links work there.

import { execFile, spawn } from 'node:child_process'
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../_test/browser.js'
import { type Copy, EXAMPLE_NOW, REPO_ROOT, copyExample, hashTree } from '../_test/workspace.js'

const run = promisify(execFile)
const CLI = join(REPO_ROOT, 'packages/cli/dist/bin.js')

let ws: Copy
let out: Copy
let browser: Browser

beforeAll(async () => {
  ws = await copyExample()
  out = await copyExample('dash-site-')
  await symlink(join(REPO_ROOT, 'node_modules'), join(ws.dir, 'node_modules'), 'dir')
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await ws?.cleanup()
  await out?.cleanup()
})

const oracle = (...args: string[]) => run(process.execPath, [CLI, ...args], { cwd: ws.dir, env: { ...process.env, ORACLE_NOW: EXAMPLE_NOW, NO_COLOR: '1' } })

describe('the static site', () => {
  it('is written by the CLI, byte-identical on a rebuild, without touching the workspace', async () => {
    const before = await hashTree(ws.dir)
    const site = join(out.dir, 'site')
    const first = await oracle('dash', 'build', '--out', site)
    expect(first.stdout).toContain('dash build: 4 product(s), 19 files written to')
    const hash = await hashTree(site)
    await oracle('dash', 'build', '--out', site)
    expect(await hashTree(site)).toBe(hash)
    expect(await hashTree(ws.dir)).toBe(before)
    const refused = await oracle('dash', 'build', '--out', 'dash/site').catch((error: { code: number; stderr: string }) => error)
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('ORACLE_DASH_OUT_UNSAFE') })
  })

  it('opens from file:// and its links lead from view to view', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    await page.goto(pathToFileURL(join(out.dir, 'site/index.html')).href)
    await page.waitForSelector('a.product')
    expect(await page.locator('a.product').count()).toBe(4)
    expect(await page.locator('#live').innerText()).toBe('snapshot')
    expect(await page.locator('#asof').innerText()).toBe('as of 2026-11-22 06:00 UTC')
    await page.click('nav a:has-text("DAG")')
    await page.waitForSelector('.dag svg g.node')
    expect(page.url()).toBe(pathToFileURL(join(out.dir, 'site/orchestrator/index.html')).href)
    await page.click('nav a:has-text("Science Lane")')
    expect(await page.locator('article.dossier').count()).toBe(4)
    await page.click('nav a:has-text("Fleet")')
    await page.click('a.product:has-text("web-app")')
    await page.waitForSelector('#product-web-app')
    expect(page.url()).toMatch(/site\/schedules\/index\.html#product-web-app$/)
    expect(errors).toEqual([])
  })
})

describe('oracle dash, through the CLI', () => {
  it('serves the views and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [CLI, 'dash', '--port', '0'], { cwd: ws.dir, env: { ...process.env, ORACLE_NOW: EXAMPLE_NOW, NO_COLOR: '1' } })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await expect.poll(() => stdout, { timeout: 15_000 }).toContain('dash: serving')
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0] as string
    const page = await browser.newPage()
    await page.goto(`${url}science/`)
    expect(await page.locator('article.dossier').count()).toBe(4)
    await page.waitForSelector('#live[data-state=live]')
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(stdout).toContain('dash: stopped')
    await expect(fetch(url)).rejects.toThrow()
  })
})
