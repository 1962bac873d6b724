// `oracle fleet drift [--product ID] [--json]`: probe each product that declares a drift spec
// and print the verdicts. Read-only: it writes no report (the drift_check intent does that).
// Exit code: Terraform's contract, the worst over the products (error 1 > drift 2 > none 0).

import { execFile } from 'node:child_process'
import { type CommandContext, type CommandResult, errorUsage, suggest } from '@oraclekit/kernel'
import { type DriftReport, type ExecOutcome, checkDrift, driftExitCode } from '../drift/probe.js'
import { type DriftDocument, driftDocument, driftVerdict } from '../drift/report.js'
import type { DriftSpec, FleetOpsOptions } from '../options.js'

interface Flags {
  product?: string
}

/** A product as the planner declares it: the fields drift needs. */
export interface DriftProduct {
  id: string
  /** Workspace-relative. */
  root: string
  env?: Record<string, string>
}

export interface FleetDriftOptions {
  rootDir: string
  /** The products to check, each with its spec. */
  products: ReadonlyArray<{ product: DriftProduct; spec: DriftSpec }>
  exec: FleetExec
  /** The command's own environment; each product's env is laid over it. */
  env: Record<string, string | undefined>
}

/** Runs argv without a shell in `cwd` with exactly `env`. */
export type FleetExec = (file: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }) => Promise<ExecOutcome>

export interface FleetDriftResult {
  exitCode: 0 | 1 | 2
  reports: Array<{ productId: string; report: DriftReport }>
}

/** Version commands should answer at once; one that hangs is an error item, not a hung CLI. */
export const PROBE_TIMEOUT_MS = 60_000

const PLANNER = 'oracle:work-order-planner'

/** Checks the products one after another, in the order given. */
export async function checkFleetDrift(options: FleetDriftOptions): Promise<FleetDriftResult> {
  const reports: FleetDriftResult['reports'] = []
  for (const { product, spec } of options.products) {
    const env = { ...options.env, ...product.env }
    const exec = (file: string, args: readonly string[], { cwd }: { cwd: string }) => options.exec(file, args, { cwd, env })
    const report = await checkDrift({ rootDir: options.rootDir, productRoot: product.root, spec, env, exec })
    reports.push({ productId: product.id, report })
  }
  return { exitCode: worstExitCode(reports.map((r) => driftExitCode(r.report))), reports }
}

/** Error (1) beats drift (2) beats none (0). */
export function worstExitCode(codes: ReadonlyArray<0 | 1 | 2>): 0 | 1 | 2 {
  return codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0
}

/** Runs argv without a shell, under a timeout; a spawn failure is a result, never a throw. */
export function createExecFileProbe(signal?: AbortSignal, timeoutMs = PROBE_TIMEOUT_MS): FleetExec {
  return (file, args, { cwd, env }) =>
    new Promise((resolve) => {
      execFile(file, [...args], { cwd, env, timeout: timeoutMs, windowsHide: true, encoding: 'utf8', ...(signal ? { signal } : {}) }, (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr, failed: false })
        const code = (error as { code?: unknown }).code
        const exitCode = typeof code === 'number' ? code : undefined
        const why = exitCode === undefined ? ((error as { killed?: boolean }).killed ? `timed out after ${timeoutMs} ms` : error.message) : ''
        resolve({ exitCode, stdout, stderr: stderr || why, failed: true })
      })
    })
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as FleetOpsOptions
  const planner = ctx.kernel.plugins.find((p) => p.name === PLANNER)?.options as { products?: DriftProduct[] } | undefined
  if (!planner?.products) throw errorUsage('oracle fleet drift needs the work-order-planner plugin: it declares the products', `Add workOrderPlanner({ products: [...] }) to the config's plugins.`)
  const byId = new Map(planner.products.map((p) => [p.id, p]))
  const specs = options.drift ?? {}
  const unknown = Object.keys(specs).filter((id) => !byId.has(id))
  if (unknown.length > 0) throw errorUsage(`fleet-ops drift names product(s) the planner does not declare: ${unknown.sort().join(', ')}`, `Products: ${[...byId.keys()].join(', ') || 'none declared'}.`)
  const { product } = ctx.options
  let ids = Object.keys(specs).sort()
  if (product !== undefined) {
    if (!byId.has(product)) {
      const near = suggest(product, [...byId.keys()])
      throw errorUsage(`--product ${product}: no such product in the config`, near ? `Did you mean ${near}?` : `Products: ${[...byId.keys()].join(', ') || 'none declared'}.`)
    }
    if (!specs[product]) throw errorUsage(`--product ${product}: it declares no drift spec`, `Add drift: { '${product}': { probes: [...] } } to the fleet-ops options.`)
    ids = [product]
  }
  const result = await checkFleetDrift({
    rootDir: ctx.kernel.rootDir,
    products: ids.map((id) => ({ product: byId.get(id) as DriftProduct, spec: specs[id] as DriftSpec })),
    exec: createExecFileProbe(ctx.signal),
    env: process.env,
  })
  const checkedAt = new Date(ctx.kernel.clock.now()).toISOString()
  const documents: DriftDocument[] = result.reports.map((r) => driftDocument(r.productId, r.report, checkedAt))
  return { exitCode: result.exitCode, data: { exit_code: result.exitCode, products: documents }, text: formatFleetDrift(result) }
}

/** Per product: the verdict, then each drift and error item. */
export function formatFleetDrift(result: FleetDriftResult): string {
  if (result.reports.length === 0) return 'No product declares a drift spec (fleet-ops option `drift`).'
  const lines: string[] = []
  for (const { productId, report } of result.reports) {
    lines.push(`${productId}: ${driftVerdict(report)}`)
    for (const item of [...report.errors, ...report.items.filter((i) => i.status === 'drift')]) {
      lines.push(`  ${item.status.padEnd(5)} ${item.kind}:${item.key}  expected ${item.expected}, actual ${item.actual}`)
    }
    if (report.ignored.length > 0) lines.push(`  ignored: ${report.ignored.map((i) => `${i.kind}:${i.key}`).join(', ')}`)
  }
  return lines.join('\n')
}
