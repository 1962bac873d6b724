// The attachment lint: what a step sends the model besides its question. A question needs its
// reference file and a neighbour or two; a glob, a directory or a "just in case" file costs tokens
// and dilutes the answer, a missing or oversized file makes oracle exit 1. Warnings by default,
// errors under --strict. Each finding names the step, the line of the `-f`, and what to attach instead.

import { stat } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { compareCodeUnits } from '@oraclekit/kernel'
import { DEFAULT_IGNORED, GLOB, walk } from '../run/attachments.js'
import { readOracleArgs } from './parse.js'
import { MAX_ATTACHMENTS, MAX_NEIGHBOURS, MAX_SHARED_NEIGHBOUR, ORACLE_MAX_FILE_SIZE_BYTES, formatBytes, normalizeAttachment, referenceFile } from './rules.js'
import type { Finding, Pack, PackStep, ValidateMode } from './types.js'

export interface AttachmentLintOptions {
  /** Where oracle runs, so where `-f` paths lead: the workspace root. */
  rootDir: string
  /** The size limit when a step passes no `--max-file-size-bytes` (default: oracle's 1 MiB). */
  maxFileSizeBytes?: number
  /** Look at the disk (existence, directories, sizes); the shape rules apply either way. */
  checkFiles: boolean
}

const HINTS: Record<string, string> = {
  PACK_ATTACHMENT_BROAD: 'Attach the files the question is about, by name: the reference file and at most two neighbours.',
  PACK_ATTACHMENT_COUNT: `Attach the reference file and at most ${MAX_NEIGHBOURS} neighbours; a question that needs more is two questions.`,
  PACK_ATTACHMENT_MISSING: 'Fix the path (relative to the workspace root, where oracle runs) or drop it: oracle exits 1 with "Missing file or directory".',
  PACK_ATTACHMENT_TOO_LARGE: 'Attach a smaller file, or raise the limit: `--max-file-size-bytes <n>` in the step or in engine.args, or ORACLE_MAX_FILE_SIZE_BYTES in engine.env.',
  PACK_ATTACHMENT_SHARED: `Attach the file only where the question is about it (at most ${MAX_SHARED_NEIGHBOUR} steps as a neighbour), or ask one question whose reference it is.`,
}

interface Part {
  path: string
  line: number
}

const code = (path: string) => `\`${path}\``
const list = (paths: readonly string[]) => paths.map(code).join(', ')

/** The `-f` parts of a step as oracle splits them (commas), without `!` exclusions. */
function partsOf(step: PackStep): Part[] {
  return step.invocations.flatMap((inv) =>
    inv.files.flatMap((value, k) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '' && !part.startsWith('!'))
        .map((path) => ({ path, line: inv.fileLines[k] ?? inv.line })),
    ),
  )
}

/** `--max-file-size-bytes` of the step's command, else the default. */
function sizeLimit(step: PackStep, fallback: number): number {
  const argv = step.invocations[0]?.argv ?? []
  const value = readOracleArgs(argv).values.filter((v) => v.flag === '--max-file-size-bytes').at(-1)?.value
  const limit = Number(value)
  return value !== undefined && Number.isInteger(limit) && limit > 0 ? limit : fallback
}

export async function lintAttachments(pack: Pack, mode: ValidateMode, options: AttachmentLintOptions): Promise<Finding[]> {
  const severity = mode === 'strict' ? 'error' : 'warning'
  const found: Finding[] = []
  const add = (code: string, message: string, step: PackStep, line: number, hint = HINTS[code] as string) => found.push({ code, severity, message, line, step: step.id, hint })
  const neighbourOf = new Map<string, Array<{ step: PackStep; line: number }>>()
  for (const step of pack.steps) {
    const parts = partsOf(step)
    const reference = referenceFile(step.fields['reference'] ?? step.meta?.reference)
    if (parts.length > MAX_ATTACHMENTS) {
      const keep = [...parts.filter((p) => normalizeAttachment(p.path) === reference), ...parts.filter((p) => normalizeAttachment(p.path) !== reference)].slice(0, MAX_ATTACHMENTS)
      const message = `Step ${step.id} attaches ${parts.length} paths: more than its reference file and ${MAX_NEIGHBOURS} neighbours`
      add('PACK_ATTACHMENT_COUNT', message, step, parts[MAX_ATTACHMENTS]!.line, `Attach only ${list(keep.map((p) => p.path))}. ${HINTS.PACK_ATTACHMENT_COUNT}`)
    }
    const limit = sizeLimit(step, options.maxFileSizeBytes ?? ORACLE_MAX_FILE_SIZE_BYTES)
    for (const part of parts) {
      const path = normalizeAttachment(part.path)
      const glob = GLOB.test(part.path)
      if (!glob && path !== reference) neighbourOf.set(path, [...(neighbourOf.get(path) ?? []), { step, line: part.line }])
      if (!options.checkFiles) {
        if (glob || path === '.' || path === '' || part.path.endsWith('/')) add('PACK_ATTACHMENT_BROAD', `${glob ? 'Glob' : 'Directory'} ${code(part.path)} attached`, step, part.line, narrower(part.path, [], reference))
        continue
      }
      const files = await filesOf(options.rootDir, part.path, glob)
      if (files.kind === 'missing') {
        add('PACK_ATTACHMENT_MISSING', glob ? `Glob ${code(part.path)} matches no file` : `${code(part.path)} does not exist`, step, part.line)
        continue
      }
      if (files.kind !== 'file') add('PACK_ATTACHMENT_BROAD', `${files.kind === 'glob' ? 'Glob' : 'Directory'} ${code(part.path)} attached: ${files.files.length} file${files.files.length === 1 ? '' : 's'}`, step, part.line, narrower(part.path, files.files.map((f) => f.path), reference))
      for (const file of files.files.filter((f) => f.size > limit)) {
        add('PACK_ATTACHMENT_TOO_LARGE', `${code(file.path)} is ${formatBytes(file.size)}: over the engine's ${formatBytes(limit)} limit (oracle exits 1 without asking)`, step, part.line)
      }
    }
  }
  for (const [path, uses] of neighbourOf) {
    const steps = [...new Set(uses.map((u) => u.step.id))]
    if (steps.length <= MAX_SHARED_NEIGHBOUR) continue
    for (const use of uses) add('PACK_ATTACHMENT_SHARED', `${code(path)} is attached as a neighbour by ${steps.length} steps (${steps.join(', ')}), more than ${MAX_SHARED_NEIGHBOUR}`, use.step, use.line)
  }
  return found
}

/** The hint for a glob or directory: the reference file when it is in there, else what it matched. */
function narrower(part: string, matched: readonly string[], reference: string | undefined): string {
  const inside = reference !== undefined && (matched.includes(reference) || (matched.length === 0 && !!reference))
  if (inside) return `Attach ${code(reference)} (the step's reference) instead of ${code(part)}, and at most ${MAX_NEIGHBOURS} neighbours by name.`
  if (matched.length > 0 && matched.length <= MAX_ATTACHMENTS) return `Attach ${list(matched)} by name instead of ${code(part)}.`
  if (matched.length > 0) return `Attach at most ${MAX_ATTACHMENTS} of the ${matched.length} files by name instead of ${code(part)}, e.g. ${list(matched.slice(0, MAX_ATTACHMENTS))}.`
  return HINTS.PACK_ATTACHMENT_BROAD as string
}

interface Files {
  kind: 'file' | 'directory' | 'glob' | 'missing'
  /** Workspace-relative, `/`-separated, sorted; with their sizes. */
  files: Array<{ path: string; size: number }>
}

/** What one `-f` part attaches, the way oracle resolves it (globs, directories without the ignored ones). */
async function filesOf(rootDir: string, part: string, glob: boolean): Promise<Files> {
  let absolute: string[]
  let kind: Files['kind']
  if (glob) {
    const { glob: expand } = await import('tinyglobby')
    absolute = await expand(part, { cwd: rootDir, absolute: true, dot: false, ignore: DEFAULT_IGNORED.map((name) => `**/${name}/**`) })
    kind = 'glob'
  } else {
    const target = resolve(rootDir, part)
    const info = await stat(target).catch(() => undefined)
    if (!info) return { kind: 'missing', files: [] }
    kind = info.isDirectory() ? 'directory' : 'file'
    absolute = info.isDirectory() ? await walk(target) : [target]
  }
  if (absolute.length === 0 && kind === 'glob') return { kind: 'missing', files: [] }
  const files = await Promise.all(absolute.map(async (file) => ({ path: relative(rootDir, file).split(sep).join('/'), size: (await stat(file).catch(() => undefined))?.size ?? 0 })))
  return { kind, files: files.sort((a, b) => compareCodeUnits(a.path, b.path)) }
}
