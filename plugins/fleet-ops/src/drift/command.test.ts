// `oracle fleet drift` through its handler: which products it checks, the usage errors, the exit
// code over the fleet, and that it writes nothing.

import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CommandContext, type CommandResult, type Kernel, isOracleError } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { run, worstExitCode } from '../commands/drift.js'
import type { DriftSpec, FleetOpsOptions } from '../options.js'

const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const LOCK = 'lock v1\n'
const AT = Date.parse('2026-11-21T07:00:00.000Z')

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drift-command-'))
  for (const id of ['alpha', 'beta', 'gamma']) {
    await mkdir(join(root, 'products', id), { recursive: true })
    await writeFile(join(root, 'products', id, 'package-lock.json'), LOCK)
  }
})
afterEach(() => rm(root, { recursive: true, force: true }))

const PRODUCTS = ['alpha', 'beta', 'gamma'].map((id) => ({ id, root: `products/${id}`, env: {} }))
const ok: DriftSpec = { probes: [{ kind: 'lockfile', path: 'package-lock.json', sha256: sha(LOCK) }], ignore: [] }
const drifted: DriftSpec = { probes: [{ kind: 'lockfile', path: 'package-lock.json', sha256: sha('lock v0\n') }], ignore: [] }
const broken: DriftSpec = { probes: [{ kind: 'lockfile', path: '../beta/package-lock.json', sha256: sha(LOCK) }], ignore: [] }

/** `products: null`: no planner plugin in the config. */
function context(drift: Record<string, DriftSpec>, flags: { product?: string } = {}, products: unknown = PRODUCTS): CommandContext<{ product?: string }> {
  const plugins = [
    ...(products === null ? [] : [{ name: 'oracle:work-order-planner', options: { products }, plugin: { name: 'oracle:work-order-planner' }, path: 'plugins[0]' }]),
    { name: 'oracle:fleet-ops', options: {}, plugin: { name: 'oracle:fleet-ops' }, path: 'plugins[1]' },
  ]
  const kernel = { rootDir: root, plugins, clock: { now: () => AT } } as unknown as Kernel
  return {
    args: {},
    options: flags,
    global: { cwd: root, json: false, ci: true, logLevel: 'info' },
    kernel,
    pluginOptions: { drift, driftDir: 'dash/drift' } as Partial<FleetOpsOptions>,
    logger: undefined as never,
    signal: new AbortController().signal,
    ui: { interactive: false, status() {}, line() {} },
  }
}

async function usage(ctx: CommandContext<{ product?: string }>): Promise<{ message: string; hint?: string }> {
  try {
    await run(ctx)
  } catch (error) {
    if (isOracleError(error) && error.code === 'ORACLE_USAGE') return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
    throw error
  }
  throw new Error('expected a usage error')
}

describe('oracle fleet drift', () => {
  it.each([
    { name: 'all ok', drift: { alpha: ok, beta: ok }, exit: 0 },
    { name: 'one drifts', drift: { alpha: ok, beta: drifted }, exit: 2 },
    { name: 'one errors', drift: { alpha: broken, beta: ok }, exit: 1 },
    { name: 'drift and error in different products → error', drift: { alpha: drifted, beta: broken, gamma: ok }, exit: 1 },
    { name: 'no specs at all', drift: {}, exit: 0 },
  ] as Array<{ name: string; drift: Record<string, DriftSpec>; exit: number }>)('$name → exit $exit', async ({ drift, exit }) => {
    const result = (await run(context(drift))) as CommandResult
    expect(result.exitCode).toBe(exit)
    expect((result.data as { exit_code: number }).exit_code).toBe(exit)
  })

  it('prints each product with a spec, in id order, with its drift and error items; --json data per product', async () => {
    const result = (await run(context({ gamma: broken, alpha: drifted, beta: ok }))) as CommandResult
    expect(result.text).toBe(
      [
        'alpha: Drift: 1 item(s)',
        `  drift lockfile:package-lock.json  expected ${sha('lock v0\n')}, actual ${sha(LOCK)}`,
        'beta: No drift',
        'gamma: Error: 1 item(s) could not be checked (lockfile:../beta/package-lock.json: path ../beta/package-lock.json leaves the product root)',
        `  error lockfile:../beta/package-lock.json  expected ${sha(LOCK)}, actual path ../beta/package-lock.json leaves the product root`,
      ].join('\n'),
    )
    const data = result.data as { products: Array<{ product_id: string; exit_code: number; checked_at: string }> }
    expect(data.products.map((p) => [p.product_id, p.exit_code, p.checked_at])).toEqual([
      ['alpha', 2, '2026-11-21T07:00:00.000Z'],
      ['beta', 0, '2026-11-21T07:00:00.000Z'],
      ['gamma', 1, '2026-11-21T07:00:00.000Z'],
    ])
  })

  it('--product checks that product only', async () => {
    const result = (await run(context({ alpha: drifted, beta: ok }, { product: 'beta' }))) as CommandResult
    expect(result.exitCode).toBe(0)
    expect(result.text).toBe('beta: No drift')
  })

  it('lists ignored items by name', async () => {
    const result = (await run(context({ alpha: { ...drifted, ignore: ['package-lock.json'] } }))) as CommandResult
    expect(result.exitCode).toBe(0)
    expect(result.text).toBe('alpha: No drift\n  ignored: lockfile:package-lock.json')
  })

  it('says so when no product declares a spec', async () => {
    expect(((await run(context({}))) as CommandResult).text).toBe('No product declares a drift spec (fleet-ops option `drift`).')
  })

  it('writes nothing: no dash/drift, no file in any product', async () => {
    const list = async () => (await readdir(root, { recursive: true })).sort()
    const before = await list()
    await run(context({ alpha: drifted, beta: ok, gamma: broken }))
    expect(await list()).toEqual(before)
  })

  it.each([
    { name: 'the planner is not configured', ctx: () => context({ alpha: ok }, {}, null), message: 'oracle fleet drift needs the work-order-planner plugin: it declares the products' },
    { name: 'an unknown --product', ctx: () => context({ alpha: ok }, { product: 'alpah' }), message: '--product alpah: no such product in the config', hint: 'Did you mean alpha?' },
    { name: 'a --product without a spec', ctx: () => context({ alpha: ok }, { product: 'beta' }), message: '--product beta: it declares no drift spec' },
    { name: 'a spec for a product the planner does not declare', ctx: () => context({ alpha: ok, zeta: ok, eta: ok }), message: 'fleet-ops drift names product(s) the planner does not declare: eta, zeta' },
  ])('usage error: $name', async ({ ctx, message, hint }) => {
    const error = await usage(ctx())
    expect(error.message).toBe(message)
    if (hint) expect(error.hint).toBe(hint)
  })
})

describe('worstExitCode (error 1 > drift 2 > none 0)', () => {
  it.each([
    { codes: [], worst: 0 },
    { codes: [0, 0], worst: 0 },
    { codes: [0, 2], worst: 2 },
    { codes: [2, 1], worst: 1 },
    { codes: [1, 0, 2], worst: 1 },
  ] as const)('$codes → $worst', ({ codes, worst }) => {
    expect(worstExitCode(codes)).toBe(worst)
  })
})
