// The orchestrator plan's schema is the kernel's shared contract (the actionizer writes plans
// against the same one): @oraclekit/kernel/contracts/orchestrator-plan. Re-exported here under the
// names the plugin uses.

export {
  Command,
  Constraints,
  DetailedCommand,
  IncludedTasks,
  OrchestratorPlan,
  PLAN_SCHEMA_ID,
  PlanShard,
  PlanTask,
  Retryable,
  TaskType,
} from '@oraclekit/kernel/contracts/orchestrator-plan'
