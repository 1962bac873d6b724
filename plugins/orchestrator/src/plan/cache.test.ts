import { existsSync, readdirSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PLAN_CACHE_DIR, loadPlanCached } from './cache.js'
import { loadPlan } from './load.js'

const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function workspace(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'orchestrator-cache-'))
  made.push(root)
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true })
    await writeFile(join(root, file), text)
  }
  return root
}

const task = (id: string, title = `Task ${id}`) => `  - id: ${id}\n    title: ${title}\n    type: chore\n    description: ""\n`
const PLAN = `version: 1\ninclude: [tasks/*.yml]\ntasks:\n${task('a')}`
const files = () => ({ 'orchestrator.yml': PLAN, 'tasks/b.yml': `tasks:\n${task('b')}` })

const cacheFiles = (root: string): string[] => (existsSync(join(root, PLAN_CACHE_DIR)) ? readdirSync(join(root, PLAN_CACHE_DIR)) : [])

/** Marks the cached plan, so that a load which returns the mark is known to come from the cache. */
async function markCache(root: string): Promise<void> {
  const [name] = cacheFiles(root)
  const path = join(root, PLAN_CACHE_DIR, name as string)
  const entry = JSON.parse(await readFile(path, 'utf8'))
  entry.plan.tasks[0].title = 'FROM CACHE'
  await writeFile(path, JSON.stringify(entry))
}

const titleOf = async (root: string, options = {}) => (await loadPlanCached(root, 'orchestrator.yml', options)).plan?.tasks[0]?.title

describe('the plan cache', () => {
  it('gives the same plan as a full load, and is used while nothing changed', async () => {
    const root = await workspace(files())
    const cached = await loadPlanCached(root)
    expect(cached).toEqual(await loadPlan(root))
    expect(cacheFiles(root)).toHaveLength(1)
    // a hit returns the cached entry as stored, keys in the loader's order
    const hit = await loadPlanCached(root)
    expect(JSON.stringify(hit.plan)).toBe(JSON.stringify(cached.plan))
    await markCache(root)
    expect(await titleOf(root)).toBe('FROM CACHE')
  })

  it.each<[string, (root: string) => Promise<unknown>]>([
    ['the plan file changed', (root) => writeFile(join(root, 'orchestrator.yml'), `${PLAN}${task('c')}`)],
    ['an included file changed', (root) => writeFile(join(root, 'tasks/b.yml'), `tasks:\n${task('b', 'Changed')}`)],
    ['a file now matches an include', (root) => writeFile(join(root, 'tasks/c.yml'), `tasks:\n${task('c')}`)],
    ['an included file is gone', (root) => rm(join(root, 'tasks/b.yml'))],
    ['the cache entry is not JSON', async (root) => writeFile(join(root, PLAN_CACHE_DIR, cacheFiles(root)[0] as string), '{ torn')],
  ])('is not used when %s', async (_name, change) => {
    const root = await workspace(files())
    await loadPlanCached(root)
    await markCache(root)
    await change(root)
    const loaded = await loadPlanCached(root)
    expect(loaded).toEqual(await loadPlan(root))
    expect(loaded.plan?.tasks[0]?.title).not.toBe('FROM CACHE')
  })

  it('is not used with cache: false, which refreshes it', async () => {
    const root = await workspace(files())
    await loadPlanCached(root)
    await markCache(root)
    expect(await titleOf(root, { cache: false })).toBe('Task a')
    expect(await titleOf(root)).toBe('Task a')
  })

  it('is never written with write: false (dry runs, status) nor for a plan with problems', async () => {
    const root = await workspace(files())
    expect(await titleOf(root, { write: false })).toBe('Task a')
    expect(cacheFiles(root)).toEqual([])
    await writeFile(join(root, 'orchestrator.yml'), `${PLAN}${task('a')}`)
    const loaded = await loadPlanCached(root)
    expect(loaded.problems.map((p) => p.rule)).toContain('duplicate_id')
    expect(cacheFiles(root)).toEqual([])
  })
})
