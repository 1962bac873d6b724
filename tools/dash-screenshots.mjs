// Screenshots of the dash's main views for docs/plugins/dash.md: the static build of
// examples/dash (the built CLI, the example's clock), opened from file:// in headless Chromium.
// Reproduce: node tools/dash-screenshots.mjs   (after npm run build; needs Debian's chromium)
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const OUT = join(REPO_ROOT, 'docs/images')
const VIEWS = [
  ['overview', 'index.html'],
  ['runs', 'runs/index.html'],
  ['orchestrator', 'orchestrator/index.html'],
  ['packs', 'packs/index.html'],
  ['devfactory', 'devfactory/index.html'],
  ['science', 'science/index.html'],
]

const site = mkdtempSync(join(tmpdir(), 'dash-shots-'))
try {
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/oracle.js'), 'dash', 'build', '--out', site], {
    cwd: join(REPO_ROOT, 'examples/dash'),
    env: { ...process.env, ORACLE_NOW: '2026-11-22T06:00:00Z', NO_COLOR: '1' },
    encoding: 'utf8',
  })
  if (built.status !== 0) throw new Error(`dash build failed: ${built.stdout}${built.stderr}`)
  mkdirSync(OUT, { recursive: true })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' })
  for (const [view, file] of VIEWS) {
    await page.goto(pathToFileURL(join(site, file)).href)
    await page.waitForSelector('#view .panel')
    await page.screenshot({ path: join(OUT, `dash-${view}.png`) })
    console.log(`docs/images/dash-${view}.png`)
  }
  await browser.close()
} finally {
  rmSync(site, { recursive: true, force: true })
}
