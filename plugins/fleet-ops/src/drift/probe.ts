// drift_check's probes: compare what a product declares about its environment with what is there.
// Read-only by contract: a probe runs a version command or reads a file's bytes, and never writes,
// not even a temp file. Imported by the worker intent, so only the light kernel entry is used.

import { createHash } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { redactSecrets } from '@oraclekit/kernel/intent'
import type { DriftProbe, DriftSpec } from '../options.js'

export type DriftKind = 'toolchain' | 'lockfile' | 'config' | 'env'
export type DriftStatus = 'ok' | 'drift' | 'error'

/** One thing checked: what was declared, what was found. An env item never holds a value. */
export interface DriftItem {
  kind: DriftKind
  key: string
  expected: string
  actual: string
  status: DriftStatus
}

/** `items`: ok and drift; `errors`: probes that could not be checked; `ignored`: either, on the ignore list. */
export interface DriftReport {
  items: DriftItem[]
  ignored: DriftItem[]
  errors: DriftItem[]
}

/** How a process ended; `failed` is true for a non-zero exit, a signal, a timeout or a spawn failure. */
export interface ExecOutcome {
  exitCode: number | undefined
  stdout: string
  stderr: string
  failed: boolean
}

/** What a toolchain probe needs from a process runner: argv without a shell. */
export type DriftExec = (file: string, args: readonly string[], options: { cwd: string }) => Promise<ExecOutcome>

export interface CheckDriftOptions {
  /** Absolute workspace root. */
  rootDir: string
  /** The product root, workspace-relative. */
  productRoot: string
  spec: DriftSpec
  exec: DriftExec
  /** The environment the product's commands get (env probes only ask whether a name is set). */
  env: Record<string, string | undefined>
}

/**
 * Exit code of a drift check, Terraform's `plan -detailed-exitcode` contract: 0 no drift, 1 error,
 * 2 drift (an error wins: a partial check cannot say "only drift"). Argo CD's `app diff` is the
 * opposite (1 = diff, 2 = error); we follow Terraform.
 */
export function driftExitCode(report: DriftReport): 0 | 1 | 2 {
  if (report.errors.length > 0) return 1
  return report.items.some((item) => item.status === 'drift') ? 2 : 0
}

/** Runs every probe of `spec` in declared order and sorts the items (kind, then key). */
export async function checkDrift(options: CheckDriftOptions): Promise<DriftReport> {
  const { spec } = options
  const report: DriftReport = { items: [], ignored: [], errors: [] }
  const ignore = new Set(spec.ignore)
  const productDir = resolveWithin(options.rootDir, options.productRoot)
  for (const probe of spec.probes) {
    const item = productDir === undefined ? outsideWorkspace(probe, options.productRoot) : await runProbe(probe, productDir, options)
    if (ignore.has(item.key) || ignore.has(`${item.kind}:${item.key}`)) report.ignored.push(item)
    else if (item.status === 'error') report.errors.push(item)
    else report.items.push(item)
  }
  report.items.sort(compareItems)
  report.ignored.sort(compareItems)
  report.errors.sort(compareItems)
  return report
}

/** Kind, then key, then the rest, all in code-unit order: every report sorts the same way. */
export function compareItems(a: DriftItem, b: DriftItem): number {
  for (const field of ['kind', 'key', 'status', 'expected', 'actual'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1
  }
  return 0
}

/**
 * The absolute path of `rel` under `root`, or undefined when it could leave it: absolute paths,
 * drive letters, `~`, `..` segments, NUL bytes.
 */
export function resolveWithin(root: string, rel: string): string | undefined {
  if (rel === '' || rel.includes('\u0000') || isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.startsWith('~')) return undefined
  if (rel.split(/[\\/]+/).includes('..')) return undefined
  const absolute = resolve(root, rel)
  return isInside(root, absolute) ? absolute : undefined
}

function isInside(root: string, absolute: string): boolean {
  const rel = relative(root, absolute)
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

function probeKey(probe: DriftProbe): string {
  // A file probe's key is optional: its path names it.
  return 'path' in probe ? (probe.key ?? probe.path) : probe.key
}

function expectedOf(probe: DriftProbe): string {
  return probe.kind === 'toolchain' ? probe.expected : probe.kind === 'env' ? 'set' : probe.sha256
}

function outsideWorkspace(probe: DriftProbe, productRoot: string): DriftItem {
  return { kind: probe.kind, key: probeKey(probe), expected: expectedOf(probe), actual: `product root ${productRoot} is outside the workspace`, status: 'error' }
}

async function runProbe(probe: DriftProbe, productDir: string, options: CheckDriftOptions): Promise<DriftItem> {
  const base = { kind: probe.kind, key: probeKey(probe), expected: expectedOf(probe) }
  switch (probe.kind) {
    case 'toolchain':
      return { ...base, ...(await probeToolchain(probe.command, probe.expected, productDir, options.exec)) }
    case 'lockfile':
    case 'config':
      return { ...base, ...(await probeFile(probe.path, probe.sha256, productDir)) }
    case 'env': {
      // Only presence is read; an empty value counts as missing (a blank credential is no credential).
      const value = options.env[probe.key]
      return { ...base, actual: value === undefined || value === '' ? 'missing' : 'set', status: value === undefined || value === '' ? 'drift' : 'ok' }
    }
  }
}

type Found = Pick<DriftItem, 'actual' | 'status'>

async function probeToolchain(command: readonly string[], expected: string, cwd: string, exec: DriftExec): Promise<Found> {
  const [file, ...args] = command
  let result: ExecOutcome
  try {
    result = await exec(file as string, args, { cwd })
  } catch (error) {
    return { actual: firstLine(error instanceof Error ? error.message : String(error)) || 'could not run', status: 'error' }
  }
  if (result.failed) {
    const why = firstLine(result.stderr) || (result.exitCode === undefined ? 'could not run' : `exit ${result.exitCode}`)
    return { actual: redactSecrets(why), status: 'error' }
  }
  const actual = result.stdout.trim()
  const pattern = regexOf(expected)
  if (pattern instanceof Error) return { actual: `invalid regex ${expected}: ${pattern.message}`, status: 'error' }
  const matches = pattern ? pattern.test(actual) : actual === expected
  return { actual: redactSecrets(actual), status: matches ? 'ok' : 'drift' }
}

/** `/…/` is a regular expression (unanchored: write ^ and $ to pin it); anything else is exact. */
function regexOf(expected: string): RegExp | Error | undefined {
  if (expected.length < 2 || !expected.startsWith('/') || !expected.endsWith('/')) return undefined
  try {
    return new RegExp(expected.slice(1, -1))
  } catch (error) {
    return error as Error
  }
}

async function probeFile(path: string, sha256: string, productDir: string): Promise<Found> {
  const absolute = resolveWithin(productDir, path)
  if (absolute === undefined) return { actual: `path ${path} leaves the product root`, status: 'error' }
  let bytes: Buffer
  try {
    // A symlink inside the product may point anywhere: follow it only if it lands inside.
    const real = await realpath(absolute)
    if (!isInside(await realpath(productDir), real)) return { actual: `path ${path} leaves the product root (symlink)`, status: 'error' }
    bytes = await readFile(real)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { actual: 'missing', status: 'drift' }
    return { actual: `cannot read ${path}: ${code ?? (error as Error).message}`, status: 'error' }
  }
  const actual = createHash('sha256').update(bytes).digest('hex')
  return { actual, status: actual === sha256 ? 'ok' : 'drift' }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  )
}
