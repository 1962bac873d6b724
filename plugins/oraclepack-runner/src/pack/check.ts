// A pack's full check: the validator's rules (pure, on the parsed pack) and the attachment lint
// (on disk). Shared by `pack validate` and `pack render`, so a rendered pack passes exactly what
// `pack validate --strict` would ask of it.

import { isAbsolute, relative } from 'node:path'
import type { OraclepackOptions } from '../options.js'
import { lintAttachments } from './lint-attachments.js'
import { readOracleArgs } from './parse.js'
import { ORACLE_MAX_FILE_SIZE_BYTES } from './rules.js'
import type { Pack, ValidateMode, ValidationReport } from './types.js'
import { compareFindings, validatePack } from './validate.js'

export interface CheckPackOptions {
  /** The workspace root: oracle runs there, so `-f` paths lead there. */
  rootDir: string
  /** The pack's (or its manifest's) absolute path: one outside the workspace is another repository's. */
  file: string
  /** The engine's size limit for attachments (see engineSizeLimit). */
  maxFileSizeBytes?: number
}

/** True when `file` lies inside `rootDir`. */
export function insideRoot(rootDir: string, file: string): boolean {
  const rel = relative(rootDir, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The attachment size limit the engine will apply: `--max-file-size-bytes` in engine.args, else
 * ORACLE_MAX_FILE_SIZE_BYTES in engine.env or the environment, else oracle's 1 MiB.
 */
export function engineSizeLimit(options: Pick<OraclepackOptions, 'engine'> | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const flag = readOracleArgs(['oracle', ...(options?.engine.args ?? [])]).values.filter((v) => v.flag === '--max-file-size-bytes').at(-1)?.value
  for (const value of [flag, options?.engine.env['ORACLE_MAX_FILE_SIZE_BYTES'], env['ORACLE_MAX_FILE_SIZE_BYTES']]) {
    const n = Number(value)
    if (value !== undefined && value !== '' && Number.isInteger(n) && n > 0) return n
  }
  return ORACLE_MAX_FILE_SIZE_BYTES
}

/**
 * Validates the pack and lints its attachments. Files are looked at only when the pack lies in the
 * workspace: a pack from elsewhere names paths of its own repository, which are not here.
 */
export async function checkPack(pack: Pack, mode: ValidateMode, options: CheckPackOptions): Promise<ValidationReport> {
  const report = validatePack(pack, mode)
  const checkFiles = insideRoot(options.rootDir, options.file)
  const lint = await lintAttachments(pack, mode, { rootDir: options.rootDir, checkFiles, ...(options.maxFileSizeBytes !== undefined && { maxFileSizeBytes: options.maxFileSizeBytes }) })
  const findings = [...report.findings, ...lint].sort(compareFindings)
  const errors = findings.filter((f) => f.severity === 'error').length
  return { ...report, valid: errors === 0, findings, errors, warnings: findings.length - errors, attachments_checked: checkFiles }
}
