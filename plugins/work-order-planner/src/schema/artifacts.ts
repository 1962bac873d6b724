// The planner's contracts: the work order (FR-001) and the Dash artifacts it reads and writes.
// One TypeBox schema each → the TypeScript type, validation, and schemas/*.schema.json.

import { type Static, Type } from '@oraclekit/kernel'

const Id = (description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description })
const Timestamp = (description: string) => Type.String({ format: 'date-time', description })

/** The intents `oracle run` executes; fleet-ops adds gc_runs and drift_check through an extension point. */
export const BUILTIN_INTENTS = ['validate', 'test', 'regenerate_report'] as const
export type BuiltinIntent = (typeof BUILTIN_INTENTS)[number]

/** Ties in priority go to the cheaper, safer intent first (validate before test before …). */
export const INTENT_RANK: Readonly<Record<string, number>> = { validate: 0, test: 1, drift_check: 2, regenerate_report: 3, gc_runs: 4 }

export const STOP_CONDITIONS = ['kill_switch', 'health_check_failed', 'test_failed', 'budget_exhausted', 'run_timeout'] as const

export const WorkOrder = Type.Object(
  {
    schema_version: Type.Literal(1),
    job_id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,127}$', description: '`<product_id>.<intent>.<hash8>`: the hash is of the product, intent and the facts that led to it, so the same inputs give the same id.' }),
    product_id: Id('A product declared in oracle.config.ts.'),
    intent: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'What to do. `oracle run` executes only safe intents: validate, test, regenerate_report, and those a plugin registers (gc_runs, drift_check).' }),
    inputs: Type.Object(
      {
        command: Type.Optional(Type.Array(Type.String(), { description: 'The argv the product’s config gave for the intent when planned; `oracle run` refuses an order whose command no longer matches.' })),
        cwd: Type.Optional(Type.String({ description: 'The product root, relative to the workspace root.' })),
        previous_run: Type.Optional(
          Type.Union([Type.String(), Type.Null()], { description: 'The run id of the product’s last job of this intent when planned (null: none). Once the intent has run again, the next plan gives a new job.' }),
        ),
        scheduled: Type.Optional(Type.String({ description: 'For a job planned from a schedule (plan --from-schedules): the instant it was due from.' })),
        reasons: Type.Array(Type.String(), { description: 'Why the planner chose this job, most important first.' }),
        sources: Type.Array(Type.String(), { description: 'Workspace-relative artifacts (with :line where there is one) the reasons come from.' }),
      },
      { additionalProperties: true },
    ),
    budget: Type.Object(
      {
        max_time_ms: Type.Integer({ minimum: 1, description: 'Wall time the job may take; past it, it is stopped and recorded as timeout.' }),
        max_attempts: Type.Integer({ minimum: 1, description: 'Attempts, the first included.' }),
      },
      { additionalProperties: false },
    ),
    stop_conditions: Type.Array(Type.Enum(STOP_CONDITIONS), { description: 'What halts the run this job is part of.' }),
    priority: Type.Integer({ description: 'Higher first.' }),
    evidence_expectations: Type.Array(Type.String(), { description: 'What the job leaves behind, workspace-relative.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/work_order.schema.json', title: 'Work order' },
)
export type WorkOrder = Static<typeof WorkOrder>

/** How a job ended, as last_run.json and evidence.json record it: a closed set. */
export const EXIT_STATUSES = ['ok', 'failed_validate', 'failed_test', 'failed_report', 'failed', 'timeout', 'stopped_kill_switch', 'stopped_health', 'stopped', 'retry_exhausted', 'error'] as const
export const ExitStatus = Type.Enum(EXIT_STATUSES, { description: 'ok; failed_<intent> (the command exited non-zero); timeout; stopped_* (a stop condition ended it); retry_exhausted; error (it could not run).' },
)
export type ExitStatus = Static<typeof ExitStatus>

const IntentSummary = Type.Object(
  {
    run_id: Type.String(),
    exit_status: ExitStatus,
    finished_at: Timestamp('When that job ended.'),
  },
  { additionalProperties: false },
)

export const LastRun = Type.Object(
  {
    schema_version: Type.Literal(1),
    product_id: Id('The product.'),
    run_id: Type.String({ description: 'The folder of the latest job’s evidence under dash/runs/<product_id>/.' }),
    job_id: Type.String(),
    intent: Type.String(),
    exit_status: ExitStatus,
    exit_code: Type.Union([Type.Integer(), Type.Null()]),
    started_at: Timestamp('When the latest job started.'),
    finished_at: Timestamp('When it ended.'),
    duration_ms: Type.Integer({ minimum: 0 }),
    evidence: Type.String({ description: 'Workspace-relative path of its evidence.json.' }),
    intents: Type.Record(Type.String(), IntentSummary, { description: 'The latest job of each intent, by intent name.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/last_run.schema.json', title: 'Last run of a product' },
)
export type LastRun = Static<typeof LastRun>

export const Evidence = Type.Object(
  {
    schema_version: Type.Literal(1),
    run_id: Type.String(),
    job_id: Type.String(),
    product_id: Type.String(),
    intent: Type.String(),
    work_order_sha256: Type.String(),
    command: Type.Object({ argv: Type.Array(Type.String()), cwd: Type.String() }, { additionalProperties: false }),
    exit_code: Type.Union([Type.Integer(), Type.Null()]),
    signal: Type.Union([Type.String(), Type.Null()]),
    exit_status: ExitStatus,
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it did not end ok.' }),
    attempt: Type.Integer({ minimum: 1 }),
    started_at: Timestamp('When the job started.'),
    finished_at: Timestamp('When it ended.'),
    duration_ms: Type.Integer({ minimum: 0 }),
    stdout: Type.String({ description: 'File of the command’s stdout, beside this one.' }),
    stderr: Type.String({ description: 'File of its stderr.' }),
    log_tail: Type.Array(Type.String(), { description: 'The last lines of stdout and stderr (at most 40), secrets redacted.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/evidence.schema.json', title: 'Evidence of one job' },
)
export type Evidence = Static<typeof Evidence>

export const KillSwitch = Type.Object(
  {
    enabled: Type.Boolean({ description: 'true: the product gets no work orders, and a run that touches it stops.' }),
    reason: Type.Optional(Type.String()),
    set_by: Type.Optional(Type.String()),
    set_at: Type.Optional(Timestamp('When it was set.')),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/kill_switch.schema.json', title: 'Kill switch of a product' },
)
export type KillSwitch = Static<typeof KillSwitch>

export const HEALTH_STATUSES = ['healthy', 'unhealthy', 'unknown'] as const
export const Health = Type.Object(
  {
    status: Type.Enum(HEALTH_STATUSES),
    checked_at: Type.Optional(Timestamp('When the health check ran.')),
    detail: Type.Optional(Type.String()),
    exit_code: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/health.schema.json', title: 'Health of a product' },
)
export type Health = Static<typeof Health>
