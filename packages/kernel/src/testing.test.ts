import { lstatSync, readlinkSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createTempWorkspace } from './testing.js'

describe('createTempWorkspace', () => {
  it('writes the files, reads them back, links node_modules, and removes everything on cleanup', async () => {
    const ws = await createTempWorkspace({ files: { 'a/b.txt': 'hello' }, nodeModules: '/usr', prefix: 'tw-' })
    expect(ws.dir).toMatch(/tw-[^/]+$/)
    expect(await ws.read('a/b.txt')).toBe('hello')
    expect(await ws.write('c/d.json', '{}')).toBe(ws.path('c/d.json'))
    expect(ws.exists('c/d.json')).toBe(true)
    expect(lstatSync(ws.path('node_modules')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(ws.path('node_modules'))).toBe('/usr')
    await ws.cleanup()
    expect(ws.exists('a/b.txt')).toBe(false)
  })

  it('links no node_modules unless asked', async () => {
    const ws = await createTempWorkspace()
    try {
      expect(ws.exists('node_modules')).toBe(false)
    } finally {
      await ws.cleanup()
    }
  })
})
