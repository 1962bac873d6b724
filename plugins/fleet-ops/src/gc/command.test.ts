// `oracle fleet gc` through its handler: every product folder or one, the keep option or --keep,
// the text and JSON results, and a dry run that says "would delete" and deletes nothing.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CommandContext, type Kernel, isOracleError } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type GcReport, run } from '../commands/gc.js'
import type { FleetOpsOptions } from '../options.js'

let root = ''
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-gc-command-')))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function finishedRun(product: string, runId: string, hour: number, exitStatus = 'failed'): void {
  const dir = join(root, 'dash/runs', product, runId)
  mkdirSync(dir, { recursive: true })
  const at = new Date(Date.UTC(2026, 2, 10, hour)).toISOString()
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ exit_status: exitStatus, started_at: at, finished_at: at }))
}

interface Flags {
  product?: string
  keep?: number
  dryRun?: boolean
}

function context(options: Flags = {}, keep = 2): CommandContext<Flags> {
  const pluginOptions = { runsDir: 'dash/runs', gc: { keep } } as FleetOpsOptions
  return {
    args: {},
    options,
    global: { cwd: root, json: false, ci: true, logLevel: 'info' },
    kernel: { rootDir: root } as Kernel,
    pluginOptions,
    logger: undefined as never,
    signal: new AbortController().signal,
    ui: { interactive: false, status() {}, line() {} },
  }
}

/** alpha: 4 failed runs and a last_run.json; beta: 3 runs, the oldest ok; gamma: 1 run. */
function fleet(): void {
  for (let hour = 1; hour <= 4; hour++) finishedRun('alpha', `a${hour}`, hour)
  writeFileSync(join(root, 'dash/runs/alpha/last_run.json'), '{}')
  finishedRun('beta', 'b1', 1, 'ok')
  for (let hour = 2; hour <= 3; hour++) finishedRun('beta', `b${hour}`, hour)
  finishedRun('gamma', 'g1', 1)
}

async function usageError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
  return { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint }
}

describe('oracle fleet gc', () => {
  it('collects every product folder with the keep option, and says what it deleted and why', async () => {
    fleet()
    const result = await run(context())
    expect(result.exitCode).toBe(0)
    expect(result.text).toBe(
      [
        'alpha: kept 2, deleted 2',
        '  deleted dash/runs/alpha/a2 (over_limit)',
        '  deleted dash/runs/alpha/a1 (over_limit)',
        'beta: kept 3, deleted 0',
        'gamma: kept 1, deleted 0',
        'deleted 2 run(s) in 3 product(s), keeping the newest 2 of each and the protected ones',
      ].join('\n'),
    )
    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['a3', 'a4', 'last_run.json'])
    const data = result.data as GcReport
    expect(data).toMatchObject({ dry_run: false, keep: 2, runs_dir: 'dash/runs' })
    expect(data.products.map((p) => [p.product_id, p.kept, p.deleted.length])).toEqual([
      ['alpha', 2, 2],
      ['beta', 3, 0],
      ['gamma', 1, 0],
    ])
    expect(data.products[1]?.decisions.find((d) => d.run_id === 'b1')).toEqual({ run_id: 'b1', action: 'keep', reason: 'last_successful' })
  })

  it('--dry-run says "would delete" and deletes nothing', async () => {
    fleet()
    const result = await run(context({ dryRun: true, keep: 1 }))
    expect(result.text).toContain('alpha: kept 1, would delete 3\n  would delete dash/runs/alpha/a3 (over_limit)')
    expect(result.text).toContain('dry run: would delete 4 run(s) in 3 product(s)')
    expect((result.data as GcReport).dry_run).toBe(true)
    expect(readdirSync(join(root, 'dash/runs/alpha')).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'last_run.json'])
    expect(readdirSync(join(root, 'dash/runs/beta')).sort()).toEqual(['b1', 'b2', 'b3'])
  })

  it('--product collects that product only; --keep overrides the option', async () => {
    fleet()
    const result = await run(context({ product: 'beta', keep: 1 }))
    expect(result.text).toBe(
      ['beta: kept 2, deleted 1', '  deleted dash/runs/beta/b2 (over_limit)', 'deleted 1 run(s) in 1 product(s), keeping the newest 1 of each and the protected ones'].join('\n'),
    )
    expect(readdirSync(join(root, 'dash/runs/alpha'))).toHaveLength(5)
  })

  it('a symlinked product folder is not a product, and a symlink in a product is reported, not touched', async () => {
    fleet()
    symlinkSync(join(root, 'dash/runs/alpha'), join(root, 'dash/runs/alias'))
    symlinkSync(join(root, 'dash/runs/gamma/g1'), join(root, 'dash/runs/beta/link'))
    const result = await run(context({ keep: 1 }))
    expect((result.data as GcReport).products.map((p) => p.product_id)).toEqual(['alpha', 'beta', 'gamma'])
    expect(result.text).toContain('  left alone: 1 symlink(s): dash/runs/beta/link')
    expect(existsSync(join(root, 'dash/runs/gamma/g1/evidence.json'))).toBe(true)
    await expect(usageError(run(context({ product: 'alias' })))).resolves.toMatchObject({ code: 'ORACLE_USAGE', exitCode: 2 })
  })

  it('no runs folder: nothing to do', async () => {
    const result = await run(context())
    expect(result).toMatchObject({ exitCode: 0, text: 'no product folders under dash/runs' })
  })

  it.each([
    { name: 'an unknown --product, with a suggestion', flags: { product: 'alpah' }, message: '--product alpah: no folder dash/runs/alpah', hint: 'Did you mean alpha?' },
    { name: 'an unknown --product, listing the products', flags: { product: 'zzz' }, message: '--product zzz: no folder dash/runs/zzz', hint: 'Products with runs: alpha, beta, gamma.' },
    { name: '--keep 0', flags: { keep: 0 }, message: '--keep must be a whole number ≥ 1 (got 0)' },
    { name: '--keep 2.5', flags: { keep: 2.5 }, message: '--keep must be a whole number ≥ 1 (got 2.5)' },
  ])('usage error (exit 2): $name', async ({ flags, message, hint }) => {
    fleet()
    const error = await usageError(run(context(flags)))
    expect(error).toMatchObject({ code: 'ORACLE_USAGE', exitCode: 2, message, ...(hint ? { hint } : {}) })
    expect(readdirSync(join(root, 'dash/runs/alpha'))).toHaveLength(5)
  })
})
