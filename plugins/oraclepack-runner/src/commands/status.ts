import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, OracleError, compareCodeUnits, isOracleError } from '@oraclekit/kernel'
import type { OraclepackOptions } from '../options.js'
import { type RunFile, type StepsFile, readRunFile, readStepsFile } from '../run/manifest.js'

interface RunRow {
  pack_id: string
  pack_path: string
  /** `unreadable` when the run's manifest is damaged (the error says why). */
  status: RunFile['status'] | 'unreadable'
  error?: string
  created_at: string
  updated_at: string
  counts: Record<'steps' | 'ok' | 'failed' | 'pending' | 'skipped', number>
}

function countSteps(steps: StepsFile | undefined, total: number): RunRow['counts'] {
  const list = steps?.steps ?? []
  const n = (status: string) => list.filter((s) => s.status === status).length
  return { steps: total, ok: n('ok'), failed: n('failed'), pending: total - n('ok') - n('failed') - n('skipped'), skipped: n('skipped') }
}

async function listRuns(runsDir: string): Promise<string[]> {
  const names = await readdir(runsDir).catch(() => [] as string[])
  return names.filter((name) => /^\d{4}-\d{2}-\d{2}__/.test(name)).sort(compareCodeUnits)
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const options = ctx.pluginOptions as OraclepackOptions
  const runsDir = resolve(ctx.kernel.rootDir, options.runsDir)
  const ids = await listRuns(runsDir)
  const wanted = ctx.args.pack_id === undefined ? undefined : String(ctx.args.pack_id)

  if (wanted === undefined) {
    const rows: RunRow[] = []
    for (const id of ids) {
      try {
        const runFile = await readRunFile(join(runsDir, id))
        if (!runFile) continue
        const steps = await readStepsFile(join(runsDir, id))
        rows.push({ pack_id: id, pack_path: runFile.pack_path, status: runFile.status, created_at: runFile.created_at, updated_at: runFile.updated_at, counts: countSteps(steps, runFile.steps_total) })
      } catch (error) {
        // One damaged run must not hide the others.
        if (!isOracleError(error)) throw error
        rows.push({ pack_id: id, pack_path: '', status: 'unreadable', error: error.message, created_at: '', updated_at: '', counts: countSteps(undefined, 0) })
      }
    }
    const text =
      rows.length === 0
        ? `No runs in ${options.runsDir}. Start one with \`oracle pack run <pack>\`.`
        : rows
            .map((r) => (r.error ? `${r.pack_id}  unreadable  ${r.error}` : `${r.pack_id}  ${r.status.padEnd(7)}  ${r.counts.ok}/${r.counts.steps} ok, ${r.counts.failed} failed, ${r.counts.pending} pending  ${r.pack_path}`))
            .join('\n')
    return { data: { runs: rows }, text }
  }

  const matches = ids.filter((id) => id === wanted || id.startsWith(wanted))
  const id = matches.includes(wanted) ? wanted : matches.length === 1 ? matches[0] : undefined
  if (!id) {
    throw new OracleError('ORACLE_PACK_RUN_NOT_FOUND', matches.length > 1 ? `"${wanted}" matches ${matches.length} runs: ${matches.join(', ')}` : `No run "${wanted}" in ${options.runsDir}`, {
      exitCode: ExitCode.usage,
      hint: ids.length > 0 ? `Runs: ${ids.join(', ')}` : 'Start one with `oracle pack run <pack>`.',
    })
  }
  const runFile = (await readRunFile(join(runsDir, id))) as RunFile
  const steps = await readStepsFile(join(runsDir, id))
  const counts = countSteps(steps, runFile?.steps_total ?? steps?.steps.length ?? 0)
  const lines = [
    `${id}: ${runFile?.status ?? 'unknown'} — ${counts.ok}/${counts.steps} ok, ${counts.failed} failed, ${counts.pending} pending`,
    `pack: ${runFile?.pack_path} (sha256 ${runFile?.pack_hash.slice(0, 12)}…), git ${runFile?.git_sha?.slice(0, 7) ?? 'none'}, oracle ${runFile?.oracle_version}`,
    ...(steps?.steps ?? []).map((s) => {
      const how = s.cached ? 'cache' : `${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`
      return `  ${s.step_id}  ${s.status.padEnd(7)} ${how.padEnd(10)} ${s.status === 'ok' ? s.output_path : (s.last_error ?? '')}`
    }),
  ]
  return { data: { run: runFile, steps: steps?.steps ?? [], counts }, text: lines.join('\n') }
}
