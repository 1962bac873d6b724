import { type CommandContext, type CommandResult, ExitCode } from '@oraclekit/kernel'
import { loadPack } from '../pack/load.js'
import type { Finding, ValidationReport } from '../pack/types.js'
import { validatePack } from '../pack/validate.js'

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
  return [head, ...report.findings.map(formatFinding)].join('\n')
}

export async function run(ctx: CommandContext<{ strict?: boolean }>): Promise<CommandResult> {
  const loaded = await loadPack(String(ctx.args.pack), ctx.global.cwd)
  const report = validatePack(loaded.pack, ctx.options.strict ? 'strict' : 'default')
  return {
    exitCode: report.valid ? ExitCode.ok : ExitCode.invalidInput,
    data: { pack: loaded.display, pack_hash: loaded.hash, ...report },
    text: formatReport(loaded.display, report),
  }
}
