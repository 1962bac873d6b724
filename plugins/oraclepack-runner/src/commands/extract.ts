import { basename, extname, resolve } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, OracleError, errorUsage, writeFileAtomic } from '@oraclekit/kernel'
import { type ExtractNote, extractManifest, formatManifest } from '../author/extract.js'
import { findingProblem, loadPack } from '../pack/load.js'
import { validatePack } from '../pack/validate.js'

function noteLine(note: ExtractNote): string {
  const where = [note.line ? `line ${note.line}` : '', note.step ? `step ${note.step}` : ''].filter(Boolean).join(', ')
  return `note${where ? ` (${where})` : ''}: ${note.message}`
}

/** `oracle pack extract`: a pack → its manifest (YAML, or JSON for a .json --out). */
export async function run(ctx: CommandContext<{ out?: string }>): Promise<CommandResult> {
  const loaded = await loadPack(String(ctx.args.pack), ctx.global.cwd)
  const out = ctx.options.out
  if (out !== undefined && resolve(ctx.global.cwd, out) === loaded.file) throw errorUsage(`--out ${out} is the pack itself`, 'Give the manifest its own file, e.g. --out pack.manifest.yaml.')
  const report = validatePack(loaded.pack, 'default')
  const errors = report.findings.filter((f) => f.severity === 'error')
  if (errors.length > 0) {
    throw new OracleError('ORACLE_PACK_INVALID', `${loaded.display} is not a valid pack: ${errors.length} error(s); nothing was written`, {
      file: loaded.display,
      ...(errors[0]?.line ? { line: errors[0].line } : {}),
      exitCode: ExitCode.invalidInput,
      hint: `Fix the errors first (\`oracle pack validate ${String(ctx.args.pack)}\` lists them): a manifest holds what oracle would receive, and a step with errors has no such thing.`,
      problems: errors.map((f) => findingProblem(loaded.display, f)),
    })
  }
  const { manifest, notes: made } = extractManifest(loaded.pack, basename(loaded.file, extname(loaded.file)))
  const warnings = report.findings.map((f): ExtractNote => ({ ...(f.step && { step: f.step }), ...(f.line && { line: f.line }), message: `${f.code}: ${f.message}` }))
  const notes = [...warnings, ...made]
  const text = formatManifest(manifest, out)
  const data = { pack: loaded.display, pack_hash: loaded.hash, out: out ?? null, questions: manifest.questions.length, notes, manifest }
  if (out === undefined) {
    for (const note of notes) ctx.ui.note?.(noteLine(note))
    return { data, text }
  }
  await writeFileAtomic(resolve(ctx.global.cwd, out), text)
  const head = `wrote ${out}: ${manifest.questions.length} questions from ${loaded.display}${notes.length > 0 ? `; ${notes.length} note${notes.length === 1 ? '' : 's'}` : ''}`
  return { data, text: [head, ...notes.map((n) => `  ${noteLine(n)}`)].join('\n') }
}
