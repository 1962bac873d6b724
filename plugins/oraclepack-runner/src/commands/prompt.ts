import { resolve } from 'node:path'
import { type CommandContext, type CommandResult, writeFileAtomic } from '@oraclekit/kernel'
import { type PromptFormat, renderPrompt } from '../author/prompt.js'

/** `oracle pack prompt`: the canonical Stage 1 generator prompt, in the shape a generator reads. */
export async function run(ctx: CommandContext<{ format?: PromptFormat; out?: string }>): Promise<CommandResult> {
  const format = ctx.options.format ?? 'plain'
  const text = await renderPrompt(format)
  if (ctx.options.out === undefined) return { data: { format, text }, text }
  await writeFileAtomic(resolve(ctx.global.cwd, ctx.options.out), text)
  const bytes = Buffer.byteLength(text)
  return { data: { format, out: ctx.options.out, bytes }, text: `wrote ${ctx.options.out} (${format}, ${bytes} bytes)` }
}
