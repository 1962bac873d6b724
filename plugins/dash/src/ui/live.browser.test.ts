// In headless Chromium: a change to an artifact reaches an open page without a reload; artifact
// text that looks like markup is shown as text and never runs; a broken artifact is a message in
// its panel while the rest of the view is drawn.

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../_test/browser.js'
import { type Served, serveDir } from '../_test/serve.js'
import { type Copy, copyExample } from '../_test/workspace.js'

let browser: Browser
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function setUp(prepare?: (ws: Copy) => Promise<void>): Promise<{ ws: Copy; served: Served; page: Page; errors: string[] }> {
  const ws = await copyExample()
  cleanups.push(() => ws.cleanup())
  await prepare?.(ws)
  const served = await serveDir(ws.dir)
  cleanups.push(() => served.close())
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  return { ws, served, page, errors }
}

async function edit(ws: Copy, rel: string, change: (value: any) => void): Promise<void> {
  const value = JSON.parse(await ws.read(rel))
  change(value)
  await ws.write(rel, JSON.stringify(value, null, 2))
}

describe('live updates', () => {
  it('shows a changed artifact on the open page, without a reload', async () => {
    const { ws, served, page, errors } = await setUp()
    await page.goto(served.url)
    await page.waitForSelector('#live[data-state=live]')
    expect(await page.locator('body').getAttribute('data-version')).toBe('1')
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    await ws.write('dash/health/search-indexer.json', JSON.stringify({ status: 'healthy', detail: 'shard 2 is back', checked_at: '2026-11-22T05:59:00Z' }))
    await page.waitForSelector('text=shard 2 is back', { timeout: 10_000 })
    expect(await page.locator('body').getAttribute('data-version')).toBe('2')
    expect(await page.locator('.stats .stat', { hasText: 'unhealthy' }).locator('dd').innerText()).toBe('0')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
    expect(errors).toEqual([])
  })
})

const SCRIPT = '<script>window.__xss = 1</script>'
const IMG = '<img src=x onerror="window.__xss = 2">'

describe('escaping', () => {
  it('renders artifact text containing markup as text, in every kind of place, and runs none of it', async () => {
    const { served, page, errors } = await setUp(async (ws) => {
      await edit(ws, 'dash/health/search-indexer.json', (h) => (h.detail = `${SCRIPT}${IMG}</script>`))
      await edit(ws, 'nexus/work_orders/web-app.test.e59f5610.json', (o) => (o.inputs.reasons[0] = `${IMG} reason`))
      await edit(ws, 'dash/science_index.json', (s) => {
        s.dossiers[0].title = `${SCRIPT} title`
        s.dossiers[0].proofs[0].text = `${IMG} proof`
      })
      await edit(ws, '.devfactory/oracle/interventions.json', (f) => (f.records[0].action = `${SCRIPT} action`))
      const plan = await ws.read('orchestrator.yml')
      await ws.write('orchestrator.yml', plan.replace('title: Generate the numbers', `title: '${IMG} numbers'`))
    })
    const checks: Array<[string, string]> = [
      ['', `${SCRIPT}${IMG}</script>`],
      ['work-orders/', `${IMG} reason`],
      ['science/', `${SCRIPT} title`],
      ['science/', `${IMG} proof`],
      ['devfactory/', `${SCRIPT} action`],
      ['orchestrator/', `${IMG} numbers`],
    ]
    for (const [path, shown] of checks) {
      await page.goto(`${served.url}${path}`)
      await page.waitForSelector('#view .panel')
      await page.waitForTimeout(50)
      expect(await page.locator('#view').innerText(), path).toContain(shown)
      expect(await page.locator('#view img, #view script').count(), path).toBe(0)
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), path).toBeUndefined()
    }
    // In the SVG too: the box's (shortened) title, and its tooltip in full.
    expect(await page.locator('g.node[data-task="GEN-001"] text', { hasText: '<img src=x' }).count()).toBe(1)
    expect(await page.locator('g.node[data-task="GEN-001"] title').textContent()).toContain(`${IMG} numbers`)
    expect(errors).toEqual([])
  })
})

describe('broken artifacts', () => {
  it('shows the broken file (and line) in its panel; the rest of the view is drawn', async () => {
    const { served, page } = await setUp(async (ws) => {
      await ws.write('dash/health/search-indexer.json', '{\n  "status": "unhealthy",\n  "detail": oops\n}\n')
      await ws.write('dash/science_index.json', '{"schema_version": 1, "dossiers": [')
    })
    await page.goto(served.url)
    await page.waitForSelector('#view .panel')
    const alert = page.locator('.problems.corrupt[role=alert]')
    expect(await alert.innerText()).toContain('dash/health/search-indexer.json:3')
    expect(await alert.innerText()).toContain('not valid JSON')
    expect(await page.locator('table tbody tr').count()).toBe(4)
    expect(await page.locator('tbody tr', { hasText: 'search-indexer' }).innerText()).toContain('1 problem(s)')

    await page.goto(`${served.url}science/`)
    await page.waitForSelector('#view .panel')
    expect(await page.locator('.problems.corrupt').innerText()).toMatch(/dash\/science_index\.json(:1)? not valid JSON/)
    expect(await page.locator('h1').innerText()).toBe('Science Lane')
    expect(await page.locator('.stats .stat', { hasText: 'dossiers' }).locator('dd').innerText()).toBe('0')
  })

  it('says what is missing, and what writes it, instead of a blank page', async () => {
    const { served, page } = await setUp(async (ws) => {
      const { rm } = await import('node:fs/promises')
      await rm(`${ws.dir}/dash/science_index.json`)
      await rm(`${ws.dir}/.codex`, { recursive: true })
    })
    await page.goto(`${served.url}science/`)
    expect(await page.locator('.problems.missing').innerText()).toContain('oracle fleet science')
    await page.goto(`${served.url}orchestrator/`)
    await page.waitForSelector('.dag svg')
    expect(await page.locator('#view').innerText()).toContain('no run yet')
    expect(await page.locator('g.node[data-state=pending]').count()).toBe(7)
  })
})
