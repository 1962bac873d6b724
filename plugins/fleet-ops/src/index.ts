// @oraclekit/fleet-ops: seed 5's fleet operations. Schedules that say what is due (for `oracle
// plan --from-schedules`), the gc_runs and drift_check intents `oracle run` may execute, bounded
// auto-heal, and the Science Lane index. It meets the work-order planner only through extension
// points and shared schemas.

import { Type, definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { HealStateFile, healPolicyOf } from './heal.js'
import { type FleetOpsInput, FleetOpsOptions } from './options.js'
import { Schedule } from './schedules/schema.js'
import { ScienceIndex } from './science/schema.js'

export type { DriftProbe, DriftSpec, FleetOpsInput, FleetOpsOptions } from './options.js'

const jobInput = Type.Object(
  {
    job_id: Type.String(),
    product_id: Type.String(),
    intent: Type.String(),
    cwd: Type.String(),
    evidence_dir: Type.String(),
    inputs: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: true },
)

interface DueCtx {
  rootDir: string
  now: number
  productIds: string[]
  dashDir: string
}

/** The fleet-ops plugin: schedules, gc_runs, drift_check, auto-heal and the Science Lane. */
export default function fleetOps(options: FleetOpsInput = {}) {
  const runsDir = options.runsDir ?? 'dash/runs'
  return definePlugin<FleetOpsOptions>({
    name: 'oracle:fleet-ops',
    version: pkg.version,
    optionsSchema: FleetOpsOptions,
    options,
    schemas: { schedule: Schedule, science_index: ScienceIndex, heal_state: HealStateFile },
    intents: [
      { name: 'gc_runs', description: "Keep a product's newest runs (and the protected ones); delete the rest of dash/runs/<product>/.", module: new URL('./intents/gc.js', import.meta.url), input: jobInput },
      {
        name: 'drift_check',
        description: "Compare a product's declared environment with what is there; report JSON and Markdown (exit 0 none, 1 error, 2 drift).",
        module: new URL('./intents/drift.js', import.meta.url),
        spawns: true,
        input: jobInput,
      },
    ],
    extensions: {
      'work-order-planner.safe-intents': [
        { name: 'drift_check', rank: 2 },
        { name: 'gc_runs', rank: 4 },
      ],
      'work-order-planner.sources': {
        name: 'schedules',
        due: async (ctx: DueCtx) => {
          const { dueJobs } = await import('./schedules/source.js')
          return dueJobs(ctx, options)
        },
      },
      'work-order-planner.heal': healPolicyOf(options),
    },
    commands: [
      {
        name: 'fleet schedules validate',
        summary: 'Check every schedule in dash/schedules/ and write the schedule JSON Schema into the workspace',
        description:
          'Each dash/schedules/<product_id>.json is checked against the schedule schema (simple cadences: daily = weekdays, every_day, weekly on a day, monthly on the 1st, quarterly, yearly, every N hours; a time and a timezone, UTC by default; no cron). Every problem of every file is listed with the file, its JSON path and line. Exit 0 valid, 3 invalid.',
        examples: ['oracle fleet schedules validate', 'oracle fleet schedules validate --json'],
        load: () => import('./commands/schedules-validate.js'),
      },
      {
        name: 'fleet gc',
        summary: `Delete old runs in ${runsDir}/<product>/, keeping the newest N and the protected ones`,
        description:
          'Keeps the newest N runs of each product (gc.keep, 10), and always: runs marked KEEP or RELEASE, the last successful run, and runs in progress. Never follows a symlink, never touches anything outside the runs folder. --dry-run lists what would go.',
        options: {
          product: { type: 'string', placeholder: '<id>', description: 'Clean this product only.' },
          keep: { type: 'number', placeholder: '<n>', description: 'Runs to keep per product (default: the gc.keep option, 10).' },
          'dry-run': { type: 'boolean', description: 'List what would be deleted; delete nothing.' },
        },
        examples: ['oracle fleet gc --dry-run', 'oracle fleet gc --product billing-api --keep 5'],
        load: () => import('./commands/gc.js'),
      },
      {
        name: 'fleet drift',
        summary: "Compare each product's declared environment (toolchain, lockfile, config hashes, env) with what is there",
        description:
          'Runs the drift probes of each product (the drift option) and prints what differs. Read-only: it writes nothing (the drift_check intent, run by `oracle run`, writes reports). Exit 0 no drift, 1 error, 2 drift (Terraform\'s contract).',
        options: { product: { type: 'string', placeholder: '<id>', description: 'Check this product only.' } },
        examples: ['oracle fleet drift', 'oracle fleet drift --product billing-api --json'],
        load: () => import('./commands/drift.js'),
      },
      {
        name: 'fleet science',
        summary: 'Build the Science Lane index (dash/science_index.json) from the dossiers and the run evidence',
        description: 'Per dossier: hypothesis, claim, falsification, acceptance proofs (pass / pending / fail) linked to runs, and a lane status; per product: the last runs and the auto-heal state. Deterministic: the same inputs give the same bytes.',
        examples: ['oracle fleet science', 'oracle fleet science --json'],
        load: () => import('./commands/science.js'),
      },
      {
        name: 'fleet heal status',
        summary: 'Where auto-heal stopped retrying, why, and how to re-arm it',
        examples: ['oracle fleet heal status'],
        load: () => import('./commands/heal.js').then((m) => ({ run: m.status })),
      },
      {
        name: 'fleet heal rearm',
        summary: 'Arm auto-heal again for a product (all its intents, or --intent)',
        args: [{ name: 'product', description: 'The product whose healing stopped.', required: true }],
        options: { intent: { type: 'string', placeholder: '<intent>', description: 'Re-arm this intent only (default: every intent of the product).' } },
        examples: ['oracle fleet heal rearm billing-api --intent test'],
        load: () => import('./commands/heal.js').then((m) => ({ run: m.rearm })),
      },
    ],
  })
}
