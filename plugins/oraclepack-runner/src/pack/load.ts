import { readFile, stat } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { ExitCode, OracleError, sha256 } from '@oraclekit/kernel'
import { parsePack } from './parse.js'
import type { Finding, Pack } from './types.js'

export interface LoadedPack {
  /** Absolute path. */
  file: string
  /** As shown to people and written in run.json: relative to `base`, `/`-separated. */
  display: string
  /** sha256 of the file's bytes. */
  hash: string
  pack: Pack
}

/** Reads and parses a pack; a missing file is a usage error, never a stack trace. */
export async function loadPack(path: string, cwd: string, base: string = cwd): Promise<LoadedPack> {
  const file = resolve(cwd, path)
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) {
    throw new OracleError('ORACLE_PACK_NOT_FOUND', `${path}: ${info ? 'not a file' : 'no such file'}`, {
      file: path,
      exitCode: ExitCode.usage,
      hint: 'Give the path of a pack Markdown file, relative to the current directory.',
    })
  }
  const bytes = await readFile(file)
  const rel = relative(base, file)
  const display = (rel.startsWith('..') ? file : rel).split(sep).join('/')
  return { file, display, hash: sha256(bytes), pack: parsePack(bytes.toString('utf8')) }
}

/** A finding as the kernel's Problem, for coded errors. */
export function findingProblem(file: string, finding: Finding) {
  return {
    message: `${finding.step ? `step ${finding.step}: ` : ''}${finding.message}`,
    file,
    ...(finding.line ? { line: finding.line } : {}),
    ...(finding.hint ? { hint: finding.hint } : {}),
    rule: finding.code,
    severity: finding.severity,
  }
}
