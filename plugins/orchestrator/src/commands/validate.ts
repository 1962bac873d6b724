// `oracle orchestrate plan validate [--file orchestrator.yml] [--json]`: loads the plan and its
// includes, and prints its size and the order its tasks run in; or fails with every problem of
// every file, each at its file and line.

import { type CommandContext, type CommandResult, ExitCode, OracleError } from '@oraclekit/kernel'
import { type PlanProblem, loadPlan } from '../plan/load.js'
import { topoOrder } from '../plan/validate.js'

const DEFAULT_FILE = 'orchestrator.yml'

/** The coded error for a plan with problems: every problem listed, the first one as the location. */
export function planInvalid(file: string, problems: readonly PlanProblem[]): OracleError {
  const first = problems[0]
  const missing = problems.length === 1 && first?.file === file && (first.rule === 'missing' || first.rule === 'path')
  return new OracleError('ORACLE_ORCHESTRATE_PLAN_INVALID', missing ? `plan file ${file}: ${first.message}` : `${problems.length} problem(s) in ${file}`, {
    exitCode: ExitCode.invalidInput,
    file: first?.file ?? file,
    ...(first?.line === undefined ? {} : { line: first.line }),
    problems: problems.map((p) => ({
      file: p.file,
      path: p.path,
      message: p.message,
      rule: p.rule,
      severity: 'error' as const,
      ...(p.line === undefined ? {} : { line: p.line }),
      ...(p.hint === undefined ? {} : { hint: p.hint }),
    })),
    hint: missing
      ? `Pass the plan with --file <path> (workspace-relative, .yml, .yaml or .json); the default is ${DEFAULT_FILE}.`
      : 'Fix every problem listed; the plan format is seed 4 "Plan Spec (v1)": version 1, project, orchestrator, include and tasks.',
  })
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const file = typeof ctx.options.file === 'string' && ctx.options.file !== '' ? ctx.options.file : DEFAULT_FILE
  const { plan, problems } = await loadPlan(ctx.kernel.rootDir, file)
  if (!plan || problems.length > 0) throw planInvalid(file, problems)

  const order = topoOrder(plan.tasks)
  const shards = plan.tasks.reduce((n, task) => n + task.shards.length, 0)
  const gates = [...new Set(plan.tasks.flatMap((task) => task.approvals))]
  const files = [...new Set(plan.tasks.map((task) => task.source.replace(/:\d+$/, '')))]
  const lines = [
    `valid: ${plan.tasks.length} tasks, ${shards} shards, ${gates.length} gates`,
    `plan: ${file} (sha256 ${plan.hash.slice(0, 12)})`,
    ...(gates.length > 0 ? [`gates: ${gates.join(', ')}`] : []),
    ...(files.length > 1 ? [`files: ${files.join(', ')}`] : []),
    'order:',
    ...order.map((id, i) => {
      const task = plan.tasks.find((t) => t.id === id)
      return `  ${String(i + 1).padStart(String(order.length).length)}. ${id}${task ? ` ${task.title}` : ''}`
    }),
  ]
  return {
    exitCode: ExitCode.ok,
    data: { file, hash: plan.hash, tasks: plan.tasks.length, shards, gates, order, files, problems: [] },
    text: lines.join('\n'),
  }
}
