import { type Static, Type } from '@oraclekit/kernel'

/** One thing drift_check looks at. The declared value is what the product should have. */
export const DriftProbe = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('toolchain'),
        key: Type.String({ minLength: 1, description: 'A name for the report, e.g. `node`.' }),
        command: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'An argv that prints the version, run in the product root (e.g. ["node", "--version"]).' }),
        expected: Type.String({ description: 'The version it must print (trimmed), or `/regex/` it must match.' }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Union([Type.Literal('lockfile'), Type.Literal('config')]),
        key: Type.Optional(Type.String({ minLength: 1 })),
        path: Type.String({ minLength: 1, description: 'A file in the product root.' }),
        sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'The sha256 of its bytes.' }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('env'),
        key: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'An environment variable that must be set (its value is never read into a report).' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'toolchain (a command prints a version), lockfile / config (a file has a hash), env (a variable is set).' },
)
export type DriftProbe = Static<typeof DriftProbe>

export const DriftSpec = Type.Object(
  {
    probes: Type.Array(DriftProbe, { default: [] }),
    ignore: Type.Array(Type.String(), { default: [], description: 'Keys (or `kind:key`) to leave out of the report: known noise.' }),
  },
  { additionalProperties: false },
)
export type DriftSpec = Static<typeof DriftSpec>

export const FleetOpsOptions = Type.Object(
  {
    schedulesDir: Type.String({ default: 'dash/schedules', description: 'Schedule files, one per product: <product_id>.json.' }),
    scheduleSchemaFile: Type.String({ default: 'dash/schemas/schedule.schema.json', description: 'Where the schedule JSON Schema is written into the workspace.' }),
    runsDir: Type.String({ default: 'dash/runs', description: 'The runs folder gc_runs cleans: <runsDir>/<product_id>/<run_id>/.' }),
    gc: Type.Object(
      {
        keep: Type.Integer({ minimum: 1, default: 10, description: 'Runs kept per product (the newest), besides the protected ones.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    drift: Type.Record(Type.String(), DriftSpec, { default: {}, description: 'What each product declares about its environment, by product id.' }),
    driftDir: Type.String({ default: 'dash/drift', description: 'Where the latest drift report of each product goes: <product_id>.json and .md.' }),
    heal: Type.Object(
      {
        limit: Type.Integer({ minimum: 0, maximum: 5, default: 1, description: 'Retries of a failed job of a healed intent (0: off).' }),
        intents: Type.Array(Type.String(), { default: ['validate', 'test'], description: 'The intents auto-heal retries.' }),
        delayMs: Type.Integer({ minimum: 0, default: 1000, description: 'Fixed wait before a retry.' }),
        stateDir: Type.String({ default: 'dash/heal', description: 'Heal state per product: <product_id>.json (armed or stopped).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    scienceIndex: Type.String({ default: 'dash/science_index.json', description: 'The Science Lane index.' }),
  },
  { additionalProperties: false },
)
export type FleetOpsOptions = Static<typeof FleetOpsOptions>

/** What the factory accepts: everything with a default may be left out. */
export type FleetOpsInput = Partial<Omit<FleetOpsOptions, 'gc' | 'drift' | 'heal'>> & {
  gc?: Partial<FleetOpsOptions['gc']>
  drift?: Record<string, { probes?: DriftProbe[]; ignore?: string[] }>
  heal?: Partial<FleetOpsOptions['heal']>
}
