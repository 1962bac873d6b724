import { type Static, Type } from '@oraclekit/kernel'

export const ActionizerOptions = Type.Object(
  {
    runsDir: Type.String({
      default: '.oraclepack/runs',
      description: 'Where `--run-dir latest` looks for runs, relative to the workspace root. Set it to the runner’s `runsDir` when you changed that.',
    }),
    project: Type.Optional(
      Type.String({ minLength: 1, description: 'The project name in orchestrator.yml and the exports. Default: the name of the workspace root folder.' }),
    ),
  },
  { additionalProperties: false },
)
export type ActionizerOptions = Static<typeof ActionizerOptions>
