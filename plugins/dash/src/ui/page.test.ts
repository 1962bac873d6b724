import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { VIEWS } from '../model/types.js'
import { bundleClient } from './bundle-client.js'
import { CLIENT_JS } from './client.generated.js'
import { escapeHtml, renderPage, scriptJson, viewPath } from './page.js'

describe('the page shell', () => {
  it('embeds the data so that no artifact text can close or bend the script element', () => {
    const hostile = JSON.stringify({ detail: '</script><script>alert(1)</script><!-- & \u2028' })
    const embedded = scriptJson(hostile)
    expect(embedded).not.toMatch(/[<>&\u2028]/)
    expect(JSON.parse(embedded)).toEqual(JSON.parse(hostile))
    const page = renderPage({ view: 'science', json: hostile, workspace: '<ws>', live: false })
    expect(page.match(/<\/script>/g)).toHaveLength(2)
    expect(page).toContain('&lt;ws&gt;')
    expect(escapeHtml(`"'&<>`)).toBe('&quot;&#39;&amp;&lt;&gt;')
  })

  it('links every view relatively, so the site works from any folder and from file://', () => {
    const page = renderPage({ view: 'runs', json: '{}', workspace: 'w', live: true })
    for (const view of VIEWS) expect(page).toContain(`href="../${viewPath(view)}"`)
    expect(page).toContain('<link rel="stylesheet" href="../assets/dash.css">')
    expect(page).toContain('data-live="1"')
    expect(renderPage({ view: 'overview', json: '{}', workspace: 'w', live: false })).toContain('<script src="assets/dash.js">')
  })
})

describe('the page script', () => {
  it('is the bundle of src/ui/client (run `npm run gen:client -w @oraclekit/dash` when this fails)', async () => {
    // Compared by hash: a diff of two minified bundles helps nobody.
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    expect(sha(CLIENT_JS), 'src/ui/client.generated.ts is out of date').toBe(sha(await bundleClient()))
  })

  it('never uses innerHTML, outerHTML, insertAdjacentHTML or document.write', () => {
    expect(CLIENT_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/)
  })
})
