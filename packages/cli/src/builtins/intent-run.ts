import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { type CommandResult, type KernelInstance, errorUsage, runExitCode } from '@oraclekit/kernel'
import type { BuiltinContext } from './types.js'

async function readInput(raw: unknown, cwd: string): Promise<unknown> {
  if (raw === undefined) return {}
  const text = String(raw)
  const source = text.startsWith('@') ? await readFile(resolve(cwd, text.slice(1)), 'utf8').catch(() => {
    throw errorUsage(`Cannot read the input file ${text.slice(1)}`, 'Give @<path> of a JSON file, relative to the working directory.')
  }) : text
  try {
    return JSON.parse(source) as unknown
  } catch (error) {
    throw errorUsage(`--input is not valid JSON: ${(error as Error).message}`, 'Quote the JSON for your shell, e.g. --input \'{"name":"Ada"}\', or use --input @file.json.')
  }
}

export async function run(ctx: BuiltinContext): Promise<CommandResult> {
  const kernel = ctx.kernel as KernelInstance
  const intent = String(ctx.args.intent)
  const input = await readInput(ctx.options.input, ctx.global.cwd)
  const result = await kernel.runIntents({
    jobs: [{ id: String(ctx.options.jobId ?? intent), intent, input }],
    ...(ctx.options.runId ? { runId: String(ctx.options.runId) } : {}),
    ...(ctx.options.resume ? { resume: true } : {}),
    ...(ctx.options.timeout ? { budget: { maxJobTimeMs: Number(ctx.options.timeout) } } : {}),
    signal: ctx.signal,
  })
  const job = result.jobs[0]
  const lines = [
    `run ${result.runId}: ${result.status}${result.stopReason ? ` (${result.stopReason.message})` : ''}`,
    job ? `job ${job.id}: ${job.status} after ${job.attempts} attempt(s), ${job.durationMs} ms${job.reason ? ` — ${job.reason}` : ''}` : '',
    job?.output !== undefined ? `output: ${JSON.stringify(job.output)}` : '',
    result.runDir ? `run dir: ${result.runDir}` : '',
  ].filter(Boolean)
  return { exitCode: runExitCode(result), data: result, text: `${lines.join('\n')}\n` }
}
