// The plugin's options: seed 3's OracleConfig with its defaults, plus where DevFactory keeps its
// files, the loop thresholds (OpenHands' defaults), the takeover agent and the API client settings.
// The kernel validates them with this schema and fills the defaults; unknown keys are rejected.

import { type Static, Type } from '@oraclekit/kernel'

const ms = (fallback: number, description: string) => Type.Integer({ minimum: 1, default: fallback, description: `${description} In ms; default ${fallback}.` })

/**
 * The loop patterns of the stuck detector (detect/loops.ts). The defaults are OpenHands'
 * `StuckDetectionThresholds`. A repeat of one is no loop, hence the minimum of 2; an alternation
 * needs two full A,B rounds to mean anything, hence 4.
 */
export const LoopThresholds = Type.Object(
  {
    actionObservation: Type.Integer({ minimum: 2, default: 4, description: 'The last N actions equal and their results equal: a repeating loop.' }),
    actionError: Type.Integer({ minimum: 2, default: 3, description: 'The last N actions equal and every one failed.' }),
    monologue: Type.Integer({ minimum: 2, default: 3, description: 'N messages in a row at the end of the activity, with no action between them.' }),
    alternating: Type.Integer({ minimum: 4, default: 6, description: 'The last N actions and results alternate A, B, A, B (x[i] equals x[i+2]).' }),
    scan: Type.Integer({
      minimum: 2,
      default: 20,
      description: 'Only the last N activity entries are looked at. A rule whose threshold is larger than this never fires.',
    }),
  },
  { additionalProperties: false, default: {}, description: 'Loop detection thresholds (OpenHands defaults).' },
)
export type LoopThresholds = Static<typeof LoopThresholds>

export const DevfactoryOptions = Type.Object(
  {
    dir: Type.String({ minLength: 1, default: '.devfactory', description: "DevFactory's folder, workspace-relative: beast/state.json, product/, specs/ and oracle/ live in it." }),

    checkInterval: ms(60_000, 'How often `oracle devfactory watch` checks the workers.'),
    implicitStuckThreshold: ms(300_000, 'A working or waiting worker with no new activity for this long is stuck.'),
    heartbeatThreshold: ms(600_000, 'A worker with no heartbeat for this long is stuck.'),
    takeoverTimeout: ms(1_800_000, 'A takeover still running after this long is stopped and marked failed; the task goes back to stuck.'),

    maxInterventionsPerTask: Type.Integer({ minimum: 1, default: 3, description: 'Interventions on one task before it is escalated to a person.' }),
    maxConcurrentTakeovers: Type.Integer({
      minimum: 1,
      maximum: 1,
      default: 1,
      description: 'Takeovers at once. Only 1 is supported: two agents would edit the same working tree at the same time.',
    }),
    maxInterventionHistory: Type.Integer({ minimum: 1, default: 100, description: 'Intervention records kept in oracle/interventions.json (the newest).' }),

    model: Type.String({ minLength: 1, default: 'claude-opus-4-5-20251101', description: 'The Claude model for guidance.' }),
    maxTokens: Type.Integer({ minimum: 1, default: 4096, description: "The reply's token limit (the Messages API's max_tokens)." }),
    summaryTokens: Type.Integer({ minimum: 100, default: 4000, description: 'Token budget of the project context put in a prompt (estimated as characters ÷ 4).' }),
    apiKeyEnv: Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      default: 'ANTHROPIC_API_KEY',
      description: 'The environment variable that holds the API key; the key itself never goes in the config.',
    }),
    baseURL: Type.Optional(Type.String({ format: 'uri', description: "The API's base URL (a proxy, or a loopback server in tests); the SDK's default when left out." })),
    requestTimeout: ms(120_000, 'Timeout of one API request.'),
    apiRetries: Type.Integer({ minimum: 0, maximum: 10, default: 3, description: 'Retries of a failed API request (timeouts, rate limits, 5xx), with exponential backoff.' }),

    takeoverCommand: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description:
          'The agent that takes over a stuck task, as an argv (no shell). `{prompt_file}`, `{task_id}` and `{root}` are replaced in each argument. Without it a takeover is not attempted and the task is escalated.',
      }),
    ),

    logLevel: Type.Enum(['debug', 'info', 'warn', 'error'], { default: 'info', description: "The oracle log's level." }),
    logFile: Type.String({ minLength: 1, default: '.devfactory/oracle/oracle.log', description: "The oracle log (JSON lines), workspace-relative; it does not follow `dir`." }),

    loops: LoopThresholds,
  },
  { additionalProperties: false },
)
export type DevfactoryOptions = Static<typeof DevfactoryOptions>

/** What the factory accepts: everything with a default may be left out. */
export type DevfactoryInput = Partial<Omit<DevfactoryOptions, 'loops'>> & {
  loops?: Partial<LoopThresholds>
}
