import { type Static, Type } from 'typebox'
import type { OraclePlugin, PluginOption } from '../plugins/types.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const RetrySchema = Type.Object(
  {
    max: Type.Optional(Type.Integer({ minimum: 0, default: 10, description: 'Retries allowed in a whole run, shared by all jobs.' })),
    perJob: Type.Optional(Type.Integer({ minimum: 0, default: 2, description: 'Retries allowed for one job after its first attempt.' })),
    baseDelayMs: Type.Optional(Type.Integer({ minimum: 0, default: 500, description: 'Delay before the first retry, in ms.' })),
    maxDelayMs: Type.Optional(Type.Integer({ minimum: 0, default: 30_000, description: 'Longest delay between retries, in ms.' })),
    factor: Type.Optional(Type.Number({ minimum: 1, default: 2, description: 'Growth of the delay from one retry to the next.' })),
    jitter: Type.Optional(Type.Boolean({ default: true, description: 'Randomise each delay within [0, delay] (full jitter).' })),
  },
  { additionalProperties: false, default: {}, description: 'Retries of jobs that fail with a transient error, with exponential backoff.' },
)

export const RunConfigSchema = Type.Object(
  {
    maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 2, description: 'Jobs running at once, one worker thread each.' })),
    maxJobs: Type.Optional(Type.Integer({ minimum: 1, default: 1_000, description: 'Most jobs one run may start; the rest are skipped and the run stops (exit 4).' })),
    maxJobTimeMs: Type.Optional(Type.Integer({ minimum: 1, default: 600_000, description: 'Wall time of one job attempt, in ms; a job past it is stopped with its processes.' })),
    maxRunTimeMs: Type.Optional(Type.Integer({ minimum: 1, default: 3_600_000, description: 'Wall time of a whole run, in ms.' })),
    maxMemoryMb: Type.Optional(Type.Integer({ minimum: 16, description: 'Heap limit of each worker thread, in MB.' })),
    killGraceMs: Type.Optional(Type.Integer({ minimum: 0, default: 1_000, description: 'Time a stopped job\'s processes get between SIGTERM and SIGKILL, in ms.' })),
    retries: Type.Optional(RetrySchema),
    killSwitchFile: Type.Optional(
      Type.String({ minLength: 1, default: '.oracle/kill-switch', description: 'While this file exists, no job starts and running jobs are stopped.' }),
    ),
    stopOnFailureKinds: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        uniqueItems: true,
        default: [],
        description: 'Failure kinds (e.g. "test_failed") that stop a run; other failures let unrelated jobs go on.',
      }),
    ),
    dir: Type.Optional(Type.String({ minLength: 1, default: '.oracle/runs', description: 'Where runs keep their journal, events and run.json.' })),
  },
  { additionalProperties: false, default: {}, description: 'Default budgets and stop conditions of every run.' },
)

export const LogConfigSchema = Type.Object(
  {
    level: Type.Optional(Type.Enum(LOG_LEVELS, { default: 'warn', description: 'Console log level; --log-level overrides it. Run event logs (events.jsonl) always keep info and above.' })),
    redact: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Extra field paths (pino redact syntax) never written to logs.' }),
    ),
  },
  { additionalProperties: false, default: {} },
)

/** The schema of `oracle.config.*`; `schemas/oracle.config.schema.json` is generated from it. */
export const ConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path or URL of this JSON schema, for editors.' })),
    root: Type.Optional(Type.String({ minLength: 1, default: '.', description: 'Workspace root, relative to the config file.' })),
    plugins: Type.Optional(
      Type.Array(Type.Unknown(), {
        default: [],
        description:
          'Plugins, in order: plugin objects (from factories), module specifiers, [specifier, options] pairs; falsy entries and nested arrays are allowed.',
      }),
    ),
    run: Type.Optional(RunConfigSchema),
    log: Type.Optional(LogConfigSchema),
  },
  {
    $id: 'https://oraclekit.dev/schemas/oracle.config.schema.json',
    title: 'OracleKit config',
    additionalProperties: false,
    description: 'oracle.config.ts|mts|mjs|js|json, or the "oracle" key of package.json.',
  },
)

type RawConfig = Static<typeof ConfigSchema>

/** The config as a user writes it. */
export interface UserConfig extends Omit<RawConfig, 'plugins'> {
  plugins?: readonly PluginOption[]
}

export type RunConfig = Required<Omit<Static<typeof RunConfigSchema>, 'retries' | 'maxMemoryMb'>> & {
  retries: Required<Static<typeof RetrySchema>>
  maxMemoryMb?: number
}

/** The config after validation, defaults and plugin resolution. */
export interface ResolvedConfig {
  rootDir: string
  configFile: string | undefined
  run: RunConfig
  log: { level: (typeof LOG_LEVELS)[number]; redact: string[] }
  plugins: readonly OraclePlugin<unknown>[]
}
