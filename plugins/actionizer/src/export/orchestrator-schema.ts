// The orchestrator plan this plugin writes is checked against the one contract the orchestrator
// runs, the kernel's @oraclekit/kernel/contracts/orchestrator-plan: the same schema, and the same
// task-graph checks (unique ids, known dependencies, no cycles).

import { type Problem, checkValue } from '@oraclekit/kernel'
import { OrchestratorPlan, type PlanShard, type PlanTask, TaskType, planGraphProblems } from '@oraclekit/kernel/contracts/orchestrator-plan'

export { OrchestratorPlan }
export type OrchestratorTask = PlanTask
/** The plans this plugin writes: every task in the one file (no `include`). */
export type ActionizerPlan = OrchestratorPlan & { tasks: PlanTask[] }
export type OrchestratorShard = PlanShard
export const OrchestratorTaskType = TaskType
export type OrchestratorTaskType = TaskType

/** The plan file name the graph problems are reported against. */
const PLAN_FILE = 'orchestrator.yml'

/**
 * Every problem of a plan at once: the schema's, then (for a plan the schema accepts) the task
 * graph's, as the orchestrator reports them. Empty when the plan can run.
 */
export function checkPlan(plan: unknown): Problem[] {
  const checked = checkValue<OrchestratorPlan>(OrchestratorPlan, plan)
  if (!checked.ok) return checked.problems
  const tasks = (plan as OrchestratorPlan).tasks ?? []
  return planGraphProblems(tasks.map((task, index) => ({ task, file: PLAN_FILE, index })))
}
