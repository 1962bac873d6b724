import type { CommandContext, CommandResult } from '@oraclekit/kernel'
import { loadPack } from '../pack/load.js'

/** `NN: <original_line>` per step, as oraclepack prints it; --json adds the parsed fields. */
export async function run(ctx: CommandContext): Promise<CommandResult> {
  const loaded = await loadPack(String(ctx.args.pack), ctx.global.cwd)
  const steps = loaded.pack.steps.map((step) => ({
    step_id: step.id,
    line: step.line,
    roi: step.roi,
    title: step.title,
    fields: step.fields,
    meta: step.meta ? { question_id: step.meta.questionId ?? null, category: step.meta.category ?? null, reference: step.meta.reference ?? null, expected_artifacts: step.meta.expectedArtifacts } : null,
    invocations: step.invocations.length,
    write_output: step.invocations[0]?.writeOutput?.value ?? null,
  }))
  return {
    data: { pack: loaded.display, pack_hash: loaded.hash, out_dir: loaded.pack.outDir ?? null, steps },
    text: steps.map((step) => `${step.step_id}: ${step.title}`).join('\n'),
  }
}
