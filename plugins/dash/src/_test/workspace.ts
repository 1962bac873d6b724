// Test helpers: a copy of examples/dash in a temp folder, a stand-in for the kernel the commands
// get, and a hash of a whole tree (to prove the dash wrote nothing).

import { createHash } from 'node:crypto'
import { cp, mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixedClock } from '@oraclekit/kernel'
import type { ModelSource } from '../model/model.js'
import { type KernelView, declaredProducts, resolvePaths } from '../paths.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const EXAMPLE = join(REPO_ROOT, 'examples/dash')
/** The example's clock: after every artifact it holds. */
export const EXAMPLE_NOW = '2026-11-22T06:00:00.000Z'
export const clock = fixedClock(EXAMPLE_NOW)
export const PRODUCTS = ['billing-api', 'legacy-reports', 'search-indexer', 'web-app']

export interface Copy {
  dir: string
  write(rel: string, text: string): Promise<void>
  read(rel: string): Promise<string>
  cleanup(): Promise<void>
}

export async function copyExample(prefix = 'dash-test-'): Promise<Copy> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  await cp(EXAMPLE, dir, { recursive: true, filter: (source) => !/[/\\](site|node_modules)$/.test(source) })
  return {
    dir,
    async write(rel, text) {
      await mkdir(dirname(join(dir, rel)), { recursive: true })
      await writeFile(join(dir, rel), text)
    },
    read: (rel) => readFile(join(dir, rel), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

/** What the kernel would offer for the example's config: the planner's products, no other options. */
export function kernelView(rootDir: string, products: readonly string[] = PRODUCTS): KernelView {
  return {
    rootDir,
    plugins: [{ name: 'oracle:work-order-planner', options: { products: products.map((id) => ({ id, root: `products/${id}` })) }, plugin: { name: 'oracle:work-order-planner' }, path: 'plugins[0]' }],
    extensions: () => [],
  }
}

export function sourceOf(rootDir: string): Omit<ModelSource, 'now'> {
  const kernel = kernelView(rootDir)
  return { rootDir, paths: resolvePaths(kernel, {}), declared: declaredProducts(kernel) }
}

/** sha256 over every file's path and bytes (and every folder's path), in a fixed order. */
export async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256')
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).map((e) => ({ path: join(e.parentPath, e.name), file: e.isFile() })).sort((a, b) => (a.path < b.path ? -1 : 1))
  for (const entry of entries) {
    hash.update(`${entry.path.slice(dir.length)}\0`)
    if (entry.file) hash.update(await readFile(entry.path))
  }
  return hash.digest('hex')
}
