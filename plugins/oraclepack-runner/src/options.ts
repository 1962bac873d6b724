import { Type, type Static } from '@oraclekit/kernel'

const EngineOptions = Type.Object(
  {
    kind: Type.Union([Type.Literal('oracle'), Type.Literal('replay')], {
      default: 'oracle',
      description: '`oracle`: the real @steipete/oracle CLI. `replay`: answers recorded in `replayDir`, for demos and offline examples.',
    }),
    command: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "Path of the oracle CLI (its JS entry or an executable), relative to the workspace root. Default: @steipete/oracle installed in the workspace, else a global install found on PATH whose package is @steipete/oracle.",
      }),
    ),
    node: Type.Optional(Type.String({ minLength: 1, description: 'Node binary (>= 24) that runs a JS `command`. Default: the Node running oracle.' })),
    args: Type.Array(Type.String(), { default: [], description: 'Flags added to every invocation, e.g. ["--engine", "api", "--model", "gpt-5.1"]. Part of the cache key.' }),
    env: Type.Record(Type.String(), Type.String(), { default: {}, description: 'Environment variables for the engine (added to the process environment).' }),
    replayDir: Type.Optional(Type.String({ minLength: 1, description: 'For `kind: "replay"`: directory of recorded answers named like the outputs (`NN-<slug>.md`, or `NN.md`).' })),
  },
  { additionalProperties: false, default: {} },
)

export const OraclepackOptions = Type.Object(
  {
    runsDir: Type.String({ default: '.oraclepack/runs', description: 'Where run directories go, relative to the workspace root.' }),
    cacheDir: Type.String({ default: '.oraclepack/cache', description: 'The content-addressed answer cache, relative to the workspace root.' }),
    maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Steps run at once (`--max-parallel` overrides). Default: the kernel\'s `run.maxParallel`.' })),
    retries: Type.Integer({
      minimum: 0,
      maximum: 10,
      default: 2,
      description: 'Retries of one step after a transient failure (rate limit, overload, timeout, lost connection); the run-wide budget is the kernel\'s `run.retries.max`.',
    }),
    stepTimeoutMs: Type.Integer({ minimum: 1000, default: 3_600_000, description: 'Wall time one attempt of a step may take (Pro models can think for an hour); a step past it fails and is not retried.' }),
    maxRunTimeMs: Type.Integer({ minimum: 1000, default: 86_400_000, description: 'Wall time of one `pack run` session; past it the run stops (exit 4) and a rerun resumes it.' }),
    minCompletion: Type.Number({ minimum: 0, maximum: 1, default: 1, description: 'Share of steps that must end ok for `pack run` to exit 0 (`--min-completion` overrides).' }),
    engine: EngineOptions,
  },
  { additionalProperties: false },
)

export type OraclepackOptions = Static<typeof OraclepackOptions>
export type EngineOptions = Static<typeof EngineOptions>
