import { type CommandContext, type CommandResult, ExitCode } from '@oraclekit/kernel'
import type { OraclepackOptions } from '../options.js'
import { checkPack, engineSizeLimit } from '../pack/check.js'
import { loadPack } from '../pack/load.js'
import type { Finding, ValidationReport } from '../pack/types.js'

export function formatFinding(finding: Finding): string {
  const where = [finding.line ? `line ${finding.line}` : '', finding.step ? `step ${finding.step}` : ''].filter(Boolean).join(', ')
  const head = `  ${finding.severity === 'error' ? 'error  ' : 'warning'}  ${finding.code}${where ? ` (${where})` : ''}: ${finding.message}`
  return finding.hint ? `${head}\n           hint: ${finding.hint}` : head
}

export function formatReport(display: string, report: ValidationReport): string {
  const { counts } = report
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const head =
    `${display}: ${report.valid ? 'valid' : 'INVALID'} (${report.mode}) — ${plural(counts.steps, 'step')}, ${plural(counts.bash_blocks, 'bash block')}, ` +
    `${plural(counts.oracle_invocations, 'oracle invocation')}; ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`
  const note = report.attachments_checked === false ? ['  note: attachments not checked on disk: the pack lies outside the workspace, so its paths are another repository\'s'] : []
  return [head, ...report.findings.map(formatFinding), ...note].join('\n')
}

export async function run(ctx: CommandContext<{ strict?: boolean }>): Promise<CommandResult> {
  const loaded = await loadPack(String(ctx.args.pack), ctx.global.cwd)
  const options = ctx.pluginOptions as OraclepackOptions | undefined
  const report = await checkPack(loaded.pack, ctx.options.strict ? 'strict' : 'default', { rootDir: ctx.kernel.rootDir, file: loaded.file, maxFileSizeBytes: engineSizeLimit(options) })
  return {
    exitCode: report.valid ? ExitCode.ok : ExitCode.invalidInput,
    data: { pack: loaded.display, pack_hash: loaded.hash, ...report },
    text: formatReport(loaded.display, report),
  }
}
