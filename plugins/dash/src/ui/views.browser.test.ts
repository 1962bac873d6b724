// Every view of `oracle dash` over a copy of examples/dash, in headless Chromium: what each one
// shows, the Science Lane's statuses, navigation, no script errors, and no byte of the workspace
// changed by serving it.

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../_test/browser.js'
import { type Served, serveDir } from '../_test/serve.js'
import { type Copy, copyExample, hashTree } from '../_test/workspace.js'

let ws: Copy
let served: Served
let browser: Browser
let page: Page
let before: string
const errors: string[] = []

beforeAll(async () => {
  ws = await copyExample()
  before = await hashTree(ws.dir)
  served = await serveDir(ws.dir)
  browser = await launchBrowser()
  page = await browser.newPage()
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
})
afterAll(async () => {
  await browser?.close()
  await served?.close()
  await ws?.cleanup()
})

async function open(path: string): Promise<void> {
  await page.goto(`${served.url}${path}`)
  await page.waitForSelector('#view .panel')
}

const text = (selector: string) => page.locator(selector).innerText()

describe('the views of examples/dash', () => {
  it('fleet overview: health, kill switch, last run, next scheduled work, drift, heal', async () => {
    await open('')
    expect(await page.title()).toBe('Fleet · ' + ws.dir.split('/').pop() + ' · oracle dash')
    const rows = page.locator('table tbody tr')
    expect(await rows.count()).toBe(4)
    expect(await rows.locator('a.product').allInnerTexts()).toEqual(['billing-api', 'legacy-reports', 'search-indexer', 'web-app'])
    const body = await text('#view')
    for (const s of ['frozen during the data migration', 'index shard 2 unreachable', 'retry exhausted', 'due: gc_runs', 'due: test', 'stopped: test', '1 drift, 0 error(s)']) expect(body).toContain(s)
    expect(await page.locator('tr.killed').innerText()).toContain('legacy-reports')
    expect(await text('.stats')).toMatch(/products\s*4[\s\S]*unhealthy\s*1[\s\S]*kill-switched\s*1/)
    expect(await page.locator('#live').getAttribute('data-state')).toBe('live')
  })

  it('runs: the history and the durations as a chart', async () => {
    await open('runs/')
    expect(await text('#view')).toContain('Runs (13)')
    expect(await page.locator('svg.duration-chart rect.bar').count()).toBe(12)
    expect(await page.locator('svg.duration-chart rect.bar.bad').count()).toBe(2)
    expect(await text('#view')).toContain('drift: 1 item(s)')
  })

  it('work orders: the last plan with each order’s state', async () => {
    await open('work-orders/')
    expect(await text('#view')).toContain('Work orders (4)')
    expect(await page.locator('tbody tr').first().innerText()).toContain('web-app.test.e59f5610')
    expect(await page.locator('tbody .badge[data-status=ok]').count()).toBe(1)
    expect(await page.locator('tbody .badge[data-status=pending]').count()).toBe(3)
  })

  it('schedules and drift: entries with their slots, drift items, heal state', async () => {
    await open('schedules/')
    const billing = page.locator('#product-billing-api')
    expect(await billing.innerText()).toContain('weekly on friday at 05:00 Europe/Berlin')
    expect(await billing.innerText()).toContain('config:config/retry-policy.json')
    expect(await page.locator('#product-web-app').innerText()).toContain('oracle fleet heal rearm web-app --intent test')
  })

  it('packs and actions: steps, outputs, and the actionizer backlog', async () => {
    await open('packs/')
    const body = await text('#view')
    expect(body).toContain('Pack run 2026-11-21__ba6d1ca__27ad7c2d')
    expect(body).toContain('no recorded answer for step 05')
    expect(body).toContain('Actionizer backlog: 24 tasks (21 actionable, 1 conflict, 2 blocked)')
    expect(await page.locator('details tbody tr').count()).toBe(24)
    expect(await page.locator('.tag.bad', { hasText: 'missing' }).count()).toBe(1)
  })

  it('orchestrator: the DAG as a graph, each task in its state', async () => {
    await open('orchestrator/')
    expect(await page.locator('.dag svg g.node').count()).toBe(7)
    expect(await page.locator('.dag svg path.edge').count()).toBe(7)
    const state = (id: string) => page.locator(`g.node[data-task="${id}"]`).getAttribute('data-state')
    expect(await state('GEN-001')).toBe('completed')
    expect(await state('DEPLOY-005')).toBe('awaiting_approval')
    expect(await state('LINT-006')).toBe('failed')
    expect(await state('DOCS-007')).toBe('blocked')
    expect(await text('#view')).toContain('oracle orchestrate approve deploy')
  })

  it('devfactory: workers, tasks and interventions', async () => {
    await open('devfactory/')
    const body = await text('#view')
    for (const s of ['oracle takeover', 'needs human', 'int-5', 'missing dependency', '33 %']) expect(body).toContain(s)
    expect(await page.locator('section[data-panel=Interventions] tbody tr').count()).toBe(5)
  })

  it('Science Lane: each dossier with its hypothesis, proofs and status', async () => {
    await open('science/')
    const lanes = await page.locator('article.dossier').evaluateAll((els) => els.map((el) => [el.getAttribute('data-dossier'), el.getAttribute('data-lane')]))
    expect(lanes).toEqual([
      ['DOS-20261105-web-checkout', 'failing'],
      ['DOS-20261101-billing-retries', 'in_progress'],
      ['DOS-20261110-search-shards', 'not_started'],
      ['DOS-20261012-legacy-export', 'proven'],
    ])
    expect(await page.locator('article.dossier header .badge').allInnerTexts()).toEqual(['failing', 'in progress', 'not started', 'proven'])
    const failing = page.locator('article[data-lane=failing]')
    expect(await failing.innerText()).toContain('A one-page checkout with discount codes applied in the cart reduces abandonment.')
    expect(await failing.locator('li[data-status=fail]').innerText()).toContain('web-app.test.86d884e5')
    expect(await page.locator('.proofs li[data-status=pass]').count()).toBe(3)
  })

  it('navigates between views by its links, with no script error, and never wrote to the workspace', async () => {
    await open('')
    await page.click('nav a:has-text("Science Lane")')
    await page.waitForSelector('article.dossier')
    expect(page.url()).toBe(`${served.url}science/index.html`)
    await page.click('nav a:has-text("Fleet")')
    await page.waitForSelector('a.product')
    expect(errors).toEqual([])
    expect(await hashTree(ws.dir)).toBe(before)
  })
})
