// gc on real folders: what counts as a run, what marks protect it, and that deleting never leaves
// <runsDir>/<product>/: symlinks are not followed, files are left alone, odd paths are refused
// before anything is touched, and a dry run changes nothing.

import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { type OracleError, isOracleError } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type GcPlan, applyGc, planGc } from './collect.js'

let root = ''
let outside = ''
beforeEach(() => {
  // realpath: on some systems the temp folder is itself behind a symlink (/tmp → /private/tmp).
  root = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-gc-')))
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-gc-outside-')))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

function write(rel: string, text: string, base = root): void {
  mkdirSync(dirname(join(base, rel)), { recursive: true })
  writeFileSync(join(base, rel), text)
}

const at = (hour: number) => new Date(Date.UTC(2026, 2, 10, hour)).toISOString()

/** A finished run of product `alpha` (unless given), its evidence finished at `hour`. */
function finishedRun(runId: string, hour: number, extra: Record<string, unknown> = {}, product = 'alpha'): void {
  const dir = `dash/runs/${product}/${runId}`
  write(`${dir}/evidence.json`, JSON.stringify({ schema_version: 1, run_id: runId, exit_status: 'failed', started_at: at(hour), finished_at: at(hour), ...extra }))
  write(`${dir}/stdout.log`, `${runId} output\n`)
}

/** Every entry under `dir` (symlinks as their target, not followed), hashed: a change anywhere changes it. */
function treeHash(dir: string): string {
  const hash = createHash('sha256')
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name)
      const stat = lstatSync(path)
      if (stat.isSymbolicLink()) hash.update(`L ${rel}${name} -> ${readlinkSync(path)}\n`)
      else if (stat.isDirectory()) {
        hash.update(`D ${rel}${name}\n`)
        walk(path, `${rel}${name}/`)
      } else hash.update(`F ${rel}${name} ${createHash('sha256').update(readFileSync(path)).digest('hex')}\n`)
    }
  }
  walk(dir, '')
  return hash.digest('hex')
}

const plan = (keep: number, productId = 'alpha') => planGc({ rootDir: root, runsDir: 'dash/runs', productId, keep })
const reasons = (p: GcPlan) => Object.fromEntries(p.decisions.map((d) => [d.run_id, `${d.action} ${d.reason}`]))

async function refusal(promise: Promise<unknown>): Promise<OracleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
  return error
}

describe('planGc', () => {
  it('reads evidence and markers; a missing or broken evidence.json reads as in progress', async () => {
    for (let hour = 1; hour <= 4; hour++) finishedRun(`plain-${hour}`, hour)
    finishedRun('old-ok', 0, { exit_status: 'ok' })
    finishedRun('keep-file', 0)
    write('dash/runs/alpha/keep-file/KEEP', '')
    finishedRun('release-file', 0)
    write('dash/runs/alpha/release-file/RELEASE', 'v1.2.0\n')
    finishedRun('keep-flag', 0, { keep: true })
    finishedRun('release-flag', 0, { release: true })
    finishedRun('not-a-flag', 0, { keep: 'yes' })
    write('dash/runs/alpha/running/stdout.log', 'half way\n')
    write('dash/runs/alpha/broken/evidence.json', '{"finished_at": "2026-03-10T00:00')
    write('dash/runs/alpha/no-time/evidence.json', JSON.stringify({ exit_status: 'ok', finished_at: 'yesterday' }))
    write('dash/runs/alpha/array/evidence.json', '[]')
    write('dash/runs/alpha/last_run.json', '{}')
    write('dash/runs/alpha/notes.txt', 'not a run')

    const result = await plan(2)
    expect(reasons(result)).toEqual({
      'plain-4': 'keep newest',
      'plain-3': 'keep newest',
      'plain-2': 'delete over_limit',
      'plain-1': 'delete over_limit',
      'old-ok': 'keep last_successful',
      'keep-file': 'keep marked_keep',
      'release-file': 'keep release',
      'keep-flag': 'keep marked_keep',
      'release-flag': 'keep release',
      'not-a-flag': 'delete over_limit',
      running: 'keep in_progress',
      broken: 'keep in_progress',
      'no-time': 'keep in_progress',
      array: 'keep in_progress',
    })
    expect(result.delete).toEqual(['dash/runs/alpha/plain-2', 'dash/runs/alpha/plain-1', 'dash/runs/alpha/not-a-flag'])
    expect(result).toMatchObject({ product_id: 'alpha', runs_dir: 'dash/runs', symlinks: [] })
  })

  it('a product without a folder has nothing to collect', async () => {
    expect(await plan(3, 'ghost')).toEqual({ product_id: 'ghost', runs_dir: 'dash/runs', decisions: [], delete: [], symlinks: [] })
  })

  it('running: the named runs read as in progress whatever their evidence says', async () => {
    for (let hour = 1; hour <= 3; hour++) finishedRun(`r${hour}`, hour)
    const result = await planGc({ rootDir: root, runsDir: 'dash/runs', productId: 'alpha', keep: 1, running: ['r1'] })
    expect(reasons(result)).toEqual({ r3: 'keep newest', r2: 'delete over_limit', r1: 'keep in_progress' })
  })

  it.each([
    { name: 'a product id with a slash', productId: 'alpha/../beta', code: 'ORACLE_GC_UNSAFE_PATH' },
    { name: 'a product id of ..', productId: '..', code: 'ORACLE_GC_UNSAFE_PATH' },
    { name: 'a runs folder outside the workspace', productId: 'alpha', runsDir: '../elsewhere', code: 'ORACLE_PATH_OUTSIDE_ROOT' },
    { name: 'an absolute runs folder', productId: 'alpha', runsDir: '/dash/runs', code: 'ORACLE_PATH_OUTSIDE_ROOT' },
  ])('refuses $name', async ({ productId, runsDir = 'dash/runs', code }) => {
    finishedRun('r1', 1)
    expect((await refusal(planGc({ rootDir: root, runsDir, productId, keep: 1 }))).code).toBe(code)
  })

  it('refuses a product folder that is a symlink', async () => {
    finishedRun('r1', 1, {}, 'real')
    finishedRun('r2', 2, {}, 'real')
    symlinkSync(join(root, 'dash/runs/real'), join(root, 'dash/runs/alias'))
    const error = await refusal(plan(1, 'alias'))
    expect(error).toMatchObject({ code: 'ORACLE_GC_UNSAFE_PATH', exitCode: 3 })
  })
})

describe('applyGc', () => {
  it('deletes the runs over the limit and nothing else: files of the product folder stay', async () => {
    for (let hour = 1; hour <= 5; hour++) finishedRun(`r${hour}`, hour)
    write('dash/runs/alpha/last_run.json', '{"run_id":"r5"}')
    write('dash/runs/alpha/README', 'notes')
    finishedRun('b1', 1, {}, 'beta')
    const files = readFileSync(join(root, 'dash/runs/alpha/last_run.json'), 'utf8')

    const result = await applyGc(await plan(2), { rootDir: root })
    expect(result).toEqual({ product_id: 'alpha', dry_run: false, deleted: ['dash/runs/alpha/r3', 'dash/runs/alpha/r2', 'dash/runs/alpha/r1'] })
    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['README', 'last_run.json', 'r4', 'r5'])
    expect(readFileSync(join(root, 'dash/runs/alpha/last_run.json'), 'utf8')).toBe(files)
    expect(existsSync(join(root, 'dash/runs/beta/b1/evidence.json'))).toBe(true)
  })

  it('a symlinked run folder is not followed, not counted and not deleted; its target is intact', async () => {
    for (let hour = 1; hour <= 3; hour++) finishedRun(`r${hour}`, hour)
    // Old finished runs elsewhere, which gc would delete if it followed the links.
    finishedRun('x1', 0, {}, 'elsewhere')
    write('old-run/evidence.json', JSON.stringify({ exit_status: 'failed', finished_at: at(0) }), outside)
    write('file.txt', 'precious', outside)
    symlinkSync(join(root, 'dash/runs/elsewhere/x1'), join(root, 'dash/runs/alpha/link-inside'))
    symlinkSync(join(outside, 'old-run'), join(root, 'dash/runs/alpha/link-outside'))
    symlinkSync(join(outside, 'file.txt'), join(root, 'dash/runs/alpha/link-file'))
    symlinkSync(join(outside, 'gone'), join(root, 'dash/runs/alpha/link-dangling'))
    const outsideBefore = treeHash(outside)

    const result = await plan(1)
    expect(result.decisions.map((d) => d.run_id)).toEqual(['r3', 'r2', 'r1'])
    expect(result.symlinks).toEqual(['dash/runs/alpha/link-dangling', 'dash/runs/alpha/link-file', 'dash/runs/alpha/link-inside', 'dash/runs/alpha/link-outside'])
    await applyGc(result, { rootDir: root })

    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['link-dangling', 'link-file', 'link-inside', 'link-outside', 'r3'])
    expect(treeHash(outside)).toBe(outsideBefore)
    expect(existsSync(join(root, 'dash/runs/elsewhere/x1/evidence.json'))).toBe(true)
  })

  it('a symlink inside a deleted run pointing outside goes with the run; its target stays intact', async () => {
    for (let hour = 1; hour <= 2; hour++) finishedRun(`r${hour}`, hour)
    write('data/big.bin', 'data the run linked to', outside)
    write('secret.txt', 'do not delete', outside)
    symlinkSync(join(outside, 'data'), join(root, 'dash/runs/alpha/r1/artifacts'))
    symlinkSync(join(outside, 'secret.txt'), join(root, 'dash/runs/alpha/r1/secret.txt'))
    mkdirSync(join(root, 'dash/runs/alpha/r1/nested'))
    symlinkSync(outside, join(root, 'dash/runs/alpha/r1/nested/up'))
    const outsideBefore = treeHash(outside)

    const result = await applyGc(await plan(1), { rootDir: root })
    expect(result.deleted).toEqual(['dash/runs/alpha/r1'])
    expect(existsSync(join(root, 'dash/runs/alpha/r1'))).toBe(false)
    expect(treeHash(outside)).toBe(outsideBefore)
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('do not delete')
  })

  it('a dry run deletes nothing and lists what a real run deletes', async () => {
    for (let hour = 1; hour <= 6; hour++) finishedRun(`r${hour}`, hour)
    write('dash/runs/alpha/r2/KEEP', '')
    write('dash/runs/alpha/last_run.json', '{}')
    symlinkSync(join(outside), join(root, 'dash/runs/alpha/link'))
    const before = treeHash(root)
    const planned = await plan(2)

    const dry = await applyGc(planned, { rootDir: root, dryRun: true })
    expect(treeHash(root)).toBe(before)
    expect(dry).toEqual({ product_id: 'alpha', dry_run: true, deleted: ['dash/runs/alpha/r4', 'dash/runs/alpha/r3', 'dash/runs/alpha/r1'] })

    const real = await applyGc(await plan(2), { rootDir: root })
    expect(real.deleted).toEqual(dry.deleted)
    expect(treeHash(root)).not.toBe(before)
  })

  it('a run removed between plan and apply is skipped', async () => {
    for (let hour = 1; hour <= 3; hour++) finishedRun(`r${hour}`, hour)
    const planned = await plan(1)
    rmSync(join(root, 'dash/runs/alpha/r1'), { recursive: true })
    expect((await applyGc(planned, { rootDir: root })).deleted).toEqual(['dash/runs/alpha/r2'])
  })

  it('works when the runs folder itself is a symlink (a mounted volume)', async () => {
    for (let hour = 1; hour <= 3; hour++) write(`volume/alpha/v${hour}/evidence.json`, JSON.stringify({ exit_status: 'failed', finished_at: at(hour) }), outside)
    mkdirSync(join(root, 'dash'))
    symlinkSync(join(outside, 'volume'), join(root, 'dash/runs'))

    const result = await applyGc(await plan(1), { rootDir: root })
    expect(result.deleted).toEqual(['dash/runs/alpha/v2', 'dash/runs/alpha/v1'])
    expect(readdirSync(join(outside, 'volume/alpha'))).toEqual(['v3'])
  })

  describe('refuses, touching nothing, a plan that lists', () => {
    const cases: Array<{ name: string; path: string; setup?: () => void }> = [
      { name: 'a path leaving the product folder with ..', path: 'dash/runs/alpha/../beta/b1' },
      // Paths outside point at a sacrificial folder of the test, never at a real one: were the
      // check ever broken, this test must not delete anything but its own files.
      { name: 'a path outside the workspace', path: 'VICTIM_RELATIVE' },
      { name: 'an absolute path', path: 'VICTIM_ABSOLUTE' },
      { name: 'the product folder itself', path: 'dash/runs/alpha' },
      { name: 'the runs folder', path: 'dash/runs' },
      { name: 'a folder two levels down', path: 'dash/runs/alpha/r2/sub' },
      { name: 'a file of the product folder', path: 'dash/runs/alpha/last_run.json' },
      {
        name: 'a run folder swapped for a symlink since it was planned',
        path: 'dash/runs/alpha/r1',
        setup: () => {
          rmSync(join(root, 'dash/runs/alpha/r1'), { recursive: true })
          symlinkSync(join(root, 'dash/runs/beta/b1'), join(root, 'dash/runs/alpha/r1'))
        },
      },
      {
        name: 'a run below a symlinked folder',
        path: 'dash/runs/alpha/link/b1',
        setup: () => symlinkSync(join(root, 'dash/runs/beta'), join(root, 'dash/runs/alpha/link')),
      },
    ]
    it.each(cases)('$name', async ({ path: given, setup }) => {
      write('victim/precious.txt', 'keep me', outside)
      const victim = join(outside, 'victim')
      const path = given === 'VICTIM_ABSOLUTE' ? victim : given === 'VICTIM_RELATIVE' ? relative(root, victim) : given
      for (let hour = 1; hour <= 3; hour++) finishedRun(`r${hour}`, hour)
      mkdirSync(join(root, 'dash/runs/alpha/r2/sub'))
      write('dash/runs/alpha/last_run.json', '{}')
      finishedRun('b1', 1, {}, 'beta')
      const planned = await plan(1)
      setup?.()
      const before = treeHash(root)
      const outsideBefore = treeHash(outside)
      // A good path first: the check of every path comes before any deletion.
      const tampered: GcPlan = { ...planned, delete: ['dash/runs/alpha/r2', path] }
      const error = await refusal(applyGc(tampered, { rootDir: root }))
      expect(error).toMatchObject({ code: 'ORACLE_GC_UNSAFE_PATH', exitCode: 3 })
      expect(treeHash(root)).toBe(before)
      expect(treeHash(outside)).toBe(outsideBefore)
      expect(await refusal(applyGc(tampered, { rootDir: root, dryRun: true }))).toMatchObject({ code: 'ORACLE_GC_UNSAFE_PATH' })
    })

    it('a product id that is not one folder name', async () => {
      finishedRun('b1', 1, {}, 'beta')
      const before = treeHash(root)
      const error = await refusal(applyGc({ product_id: '..', runs_dir: 'dash/runs', decisions: [], delete: ['dash/runs/beta'], symlinks: [] }, { rootDir: root }))
      expect(error.code).toBe('ORACLE_GC_UNSAFE_PATH')
      expect(treeHash(root)).toBe(before)
    })
  })
})
