// @oraclekit/actionizer: `oracle pack actionize`, the pack pipeline's Stage 3.

import { definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { GithubIssuesFile } from './export/github.js'
import { TaskmasterFile } from './export/taskmaster.js'
import { ActionizerOptions } from './options.js'

export type { ActionizerOptions } from './options.js'
export type { ActionTask, Evidence, ExportContext, ParsedAnswer, Priority, TaskStatus } from './types.js'

/** The actionizer plugin. */
export default function actionizer(options: Partial<ActionizerOptions> = {}) {
  return definePlugin({
    name: 'oracle:actionizer',
    version: pkg.version,
    optionsSchema: ActionizerOptions,
    options,
    schemas: { 'actionizer.github-issues': GithubIssuesFile, 'actionizer.taskmaster': TaskmasterFile },
    commands: [
      {
        name: 'pack actionize',
        summary: 'Turn a pack run’s answers into tasks: backlog, change plan, GitHub issues, Task Master and orchestrator exports',
        description:
          'Reads run.json, steps.json and the answers of a run (`oracle pack run`), parses each answer for the pack’s answer format, and writes <run-dir>/actionizer/: normalized.jsonl (one record per finding), backlog.md, change-plan.md, github-issues.json, taskmaster.json and orchestrator.yml. ' +
          'Task ids are OP3-<packhash8>-<step>-<n>; the same inputs always give byte-identical files.',
        options: {
          'run-dir': { type: 'string', placeholder: '<dir|latest>', description: 'The run directory (.oraclepack/runs/<pack_id>), or `latest` for the run updated last under the `runsDir` option.' },
          'min-yield': { type: 'number', placeholder: '<0..1>', description: 'Exit 1 when the share of steps that gave an actionable task is below this (for --ci).' },
        },
        examples: ['oracle pack actionize --run-dir latest', 'oracle pack actionize --run-dir .oraclepack/runs/2026-01-02__1a2b3c4__bac8c026', 'oracle pack actionize --run-dir .oraclepack/runs/2026-01-02__1a2b3c4__bac8c026 --ci --json --min-yield 0.6'],
        load: () => import('./commands/actionize.js'),
      },
    ],
  })
}
