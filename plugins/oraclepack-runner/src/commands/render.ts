import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, type Problem, errorUsage, locateProblems, sha256, writeFileAtomic } from '@oraclekit/kernel'
import { type LoadedManifest, loadManifest, pointerPath, renderInvalid } from '../author/load-manifest.js'
import { type RenderedPack, renderPack } from '../author/render.js'
import type { OraclepackOptions } from '../options.js'
import { checkPack, engineSizeLimit } from '../pack/check.js'
import { parsePack } from '../pack/parse.js'
import type { Finding } from '../pack/types.js'

interface RenderFlags {
  out?: string
  check?: boolean
}

/** A finding of the rendered pack, as a problem of the manifest question it comes from. */
function asProblem(finding: Finding, rendered: RenderedPack): Problem {
  const index = finding.step ? rendered.order[Number(finding.step) - 1] : undefined
  const pointer = index === undefined ? '' : `/questions/${index}${/^PACK_ATTACHMENT_/.test(finding.code) ? '/attachments' : ''}`
  const where = finding.step ? `step ${finding.step}${finding.line ? `, pack line ${finding.line}` : ''}: ` : ''
  return { message: `${where}${finding.message}`, pointer, path: pointer ? pointerPath(pointer) : '(root)', rule: finding.code, severity: 'error', ...(finding.hint && { hint: finding.hint }) }
}

/** The first line where two texts differ (1-based), or undefined when they are equal. */
function firstDifference(a: string, b: string): number | undefined {
  if (a === b) return undefined
  const [x, y] = [a.split('\n'), b.split('\n')]
  const k = x.findIndex((line, i) => line !== y[i])
  return (k === -1 ? x.length : k) + 1
}

async function verified(loaded: LoadedManifest, ctx: CommandContext<RenderFlags>): Promise<RenderedPack> {
  const rendered = renderPack(loaded.manifest)
  const report = await checkPack(parsePack(rendered.text), 'strict', { rootDir: ctx.kernel.rootDir, file: loaded.file, maxFileSizeBytes: engineSizeLimit(ctx.pluginOptions as OraclepackOptions | undefined) })
  const errors = report.findings.filter((f) => f.severity === 'error')
  if (errors.length > 0) {
    const problems = await locateProblems(errors.map((f) => ({ ...asProblem(f, rendered), file: loaded.display })), { file: loaded.display, text: loaded.text, kind: 'json' })
    throw renderInvalid(loaded.display, problems, 'would render a pack with')
  }
  for (const warning of report.findings) ctx.ui.note?.(`warning ${warning.code} (step ${warning.step ?? '-'}): ${warning.message}`)
  return rendered
}

/** `oracle pack render`: a manifest → the pack, checked under --strict before anything is written. */
export async function run(ctx: CommandContext<RenderFlags>): Promise<CommandResult> {
  const { out, check } = ctx.options
  if (check && out === undefined) throw errorUsage('--check needs --out <pack>: the pack to compare with what the manifest renders', 'oracle pack render pack.manifest.yaml --out docs/oracle-pack.md --check')
  const loaded = await loadManifest(String(ctx.args.manifest), ctx.global.cwd)
  if (out !== undefined && resolve(ctx.global.cwd, out) === loaded.file) throw errorUsage(`--out ${out} is the manifest itself`, 'Give the pack its own file, e.g. --out docs/oracle-pack.md.')
  const rendered = await verified(loaded, ctx)
  const summary = { manifest: loaded.display, out: out ?? null, steps: rendered.order.length, pack_hash: sha256(rendered.text) }
  if (out === undefined) return { data: { ...summary, text: rendered.text }, text: rendered.text }
  const target = resolve(ctx.global.cwd, out)
  if (check) {
    const committed = await readFile(target, 'utf8').catch(() => undefined)
    const line = committed === undefined ? 1 : firstDifference(committed, rendered.text)
    if (line === undefined) return { data: { ...summary, up_to_date: true }, text: `${out} is up to date with ${loaded.display}` }
    const why = committed === undefined ? 'does not exist' : `differs from what ${loaded.display} renders, from line ${line}`
    return { exitCode: ExitCode.failed, data: { ...summary, up_to_date: false, first_difference_line: line }, text: `${out} ${why}.\nRun: oracle pack render ${loaded.display} --out ${out}` }
  }
  await writeFileAtomic(target, rendered.text)
  return { data: summary, text: `wrote ${out}: ${summary.steps} steps from ${loaded.display} (sha256 ${summary.pack_hash.slice(0, 12)}…)` }
}
