// @oraclekit/work-order-planner: `oracle plan` and `oracle run`, seed 1's bounded work orders.

import { Type, definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { type PlannerInput, PlannerOptions } from './options.js'
import { Evidence, Health, KillSwitch, LastRun, WorkOrder } from './schema/artifacts.js'

export type { PlannerInput, PlannerOptions, ProductConfig, ProductInput } from './options.js'
export type { Evidence, ExitStatus, Health, KillSwitch, LastRun, WorkOrder } from './schema/artifacts.js'
// Plugins never import each other: another plugin offers intents at 'work-order-planner.safe-intents'
// (a SafeIntent or an array of them). Only type exports here: the config loader wants a lone default.
export type { SafeIntent } from './safe-intents.js'

const JOB = new URL('./intents/job.js', import.meta.url)
const jobInput = Type.Object({
  job_id: Type.String(),
  product_id: Type.String(),
  intent: Type.String(),
  argv: Type.Array(Type.String(), { minItems: 1 }),
  cwd: Type.String(),
  env: Type.Record(Type.String(), Type.String()),
  timeout_ms: Type.Integer({ minimum: 1 }),
  evidence_dir: Type.String(),
  work_order_sha256: Type.String(),
  inputs: Type.Object({}, { additionalProperties: true }),
  heal_retries: Type.Integer({ minimum: 0 }),
  rearm: Type.String(),
})
const commandIntent = (name: string, description: string) => ({ name, description, module: JOB, spawns: true, input: jobInput })

/** The work-order planner plugin: declare the fleet in `products`; see PlannerOptions for the rest. */
export default function workOrderPlanner(options: PlannerInput = {}) {
  return definePlugin<PlannerOptions>({
    name: 'oracle:work-order-planner',
    version: pkg.version,
    optionsSchema: PlannerOptions,
    options,
    schemas: { work_order: WorkOrder, last_run: LastRun, evidence: Evidence, kill_switch: KillSwitch, health: Health },
    // The PM facts (dossiers, pending rows, roadmap) for other plugins: fleet-ops' Science Lane.
    extensions: {
      'work-order-planner.pm-facts': {
        productIds: (options.products ?? []).map((p) => p.id),
        read: async (rootDir: string) => {
          const { readPmFacts } = await import('./sources/pm.js')
          const pm = { dossiersDir: 'docs/pm/dossiers', specsDir: 'docs/pm/specs', roadmap: 'docs/pm/ROADMAP.md', ...options.pm }
          return readPmFacts(rootDir, pm, (options.products ?? []).map((p) => p.id))
        },
      },
    },
    intents: [
      commandIntent('validate', "Run a product's validate command for a work order; evidence under dash/runs/<product>/<job>."),
      commandIntent('test', "Run a product's test command for a work order; a failure stops the run."),
      commandIntent('regenerate_report', "Run a product's report command for a work order."),
      {
        name: 'planner.health',
        description: "Run a product's health check; writes dash/health/<product>.json.",
        module: JOB,
        export: 'health',
        spawns: true,
        input: Type.Object({ product_id: Type.String(), argv: Type.Array(Type.String(), { minItems: 1 }), cwd: Type.String(), env: Type.Record(Type.String(), Type.String()), timeout_ms: Type.Integer({ minimum: 1 }), health_file: Type.String() }),
      },
    ],
    commands: [
      {
        name: 'plan',
        summary: 'Plan at most N work orders across the fleet from Dash and PM artifacts (nexus/work_orders/*.json)',
        description:
          'Reads per-product last runs, kill switches and health (dash/) and dossiers, spec traceability tables and the roadmap (docs/pm/), ranks every (product, safe intent) by priority, intent, product and job id, applies the global budget and each product\'s cap, and replaces nexus/work_orders/*.json with the result. ' +
          'A kill-switched product gets no work order, an unhealthy one only validate. The same inputs give byte-identical files.',
        options: {
          budget: { type: 'number', placeholder: '<n>', description: 'Work orders to emit at most (default: the budget.workOrders option, 3).' },
          product: { type: 'string', placeholder: '<id>', description: 'Plan for this product only.' },
          'from-schedules': { type: 'boolean', description: 'Plan what the schedules say is due now (needs the fleet-ops plugin), ranked and capped like any plan.' },
        },
        examples: ['oracle plan', 'oracle plan --budget 5', 'oracle plan --product billing-api --json', 'oracle plan --from-schedules --budget 5'],
        load: () => import('./commands/plan.js'),
      },
      {
        name: 'run',
        summary: 'Execute the planned work orders as safe intents, with evidence in dash/runs/<product>/ and stop conditions',
        description:
          'Runs nexus/work_orders/*.json one at a time, in plan order: only safe intents (validate, test, regenerate_report, and those plugins add), each product command as an argv in its root, under the order\'s time budget. ' +
          'Writes dash/runs/<product>/<job>/{evidence.json,stdout.log,stderr.log} and updates dash/runs/<product>/last_run.json. Stops on a kill switch, a failed health check or a failed test (exit 4). A job whose evidence exists is never run again.',
        options: {
          'dry-run': { type: 'boolean', description: 'Print what would run, in order, and change nothing.' },
          job: { type: 'string', placeholder: '<job_id>', description: 'Run this work order only.' },
          'max-jobs': { type: 'number', placeholder: '<n>', description: 'Run at most this many work orders; the rest are skipped (budget).' },
          'max-time': { type: 'number', placeholder: '<ms>', description: 'Stop the run after this many milliseconds (default: the budget.maxRunTimeMs option, 1 h).' },
        },
        examples: ['oracle run --dry-run', 'oracle run', 'oracle run --job billing-api.test.1a2b3c4d', 'oracle run --max-jobs 1 --ci --json'],
        load: () => import('./commands/run.js'),
      },
    ],
  })
}
