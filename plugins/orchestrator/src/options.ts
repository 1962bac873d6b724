import { type Static, Type } from '@oraclekit/kernel'

export const OrchestratorOptions = Type.Object(
  {
    file: Type.String({ default: 'orchestrator.yml', description: 'The plan (`--file` overrides).' }),
    tasksMd: Type.String({ default: 'TASKS.md', description: 'The status dashboard, rewritten as the run goes.' }),
    parallel: Type.Integer({ minimum: 1, maximum: 64, default: 2, description: 'Tasks at once (`--parallel` overrides).' }),
    agent: Type.Optional(
      Type.Object(
        {
          command: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'The coding agent for code_change tasks; the handoff file path is appended.' }),
          timeoutMs: Type.Integer({ minimum: 1000, default: 1_800_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type OrchestratorOptions = Static<typeof OrchestratorOptions>
