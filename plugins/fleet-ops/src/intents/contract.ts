// The planner's side of a job, as fleet-ops' intents see it: the input `oracle run` gives every
// work-order intent, and the evidence.json each writes last. Copied as types (plugins never import
// each other); the shared contract is schemas/evidence.schema.json.

/** The planner's job input (work-order-planner's JobInput), with an intent's own `inputs`. */
export interface PlannerJobInput<TInputs extends Record<string, unknown>> {
  job_id: string
  product_id: string
  intent: string
  argv: string[]
  /** The product root, workspace-relative. */
  cwd: string
  env: Record<string, string>
  timeout_ms: number
  /** dash/runs/<product_id>/<job_id>, workspace-relative. */
  evidence_dir: string
  work_order_sha256: string
  inputs: TInputs & Record<string, unknown>
}

/** The planner's Evidence record (schema_version 1), as fleet-ops' intents write it. */
export interface PlannerEvidence {
  schema_version: 1
  run_id: string
  job_id: string
  product_id: string
  intent: string
  work_order_sha256: string
  command: { argv: string[]; cwd: string }
  exit_code: number | null
  signal: string | null
  exit_status: 'ok' | 'failed'
  reason: string | null
  attempt: number
  started_at: string
  finished_at: string
  duration_ms: number
  stdout: string
  stderr: string
  log_tail: string[]
}

/** Lines of stdout and stderr kept in evidence.json. */
export const LOG_TAIL_LINES = 40
