// @oraclekit/orchestrator: seed 4's task-DAG runner, as `oracle orchestrate …`.

import { Type, definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { OrchestratorOptions } from './options.js'
import { OrchestratorPlan } from './plan/schema.js'

export type { OrchestratorOptions } from './options.js'

const file = { type: 'string', placeholder: '<file>', description: 'The plan (default: the file option, orchestrator.yml).' } as const

/** The orchestrator plugin. */
export default function orchestrator(options: Partial<OrchestratorOptions> = {}) {
  return definePlugin<OrchestratorOptions>({
    name: 'oracle:orchestrator',
    version: pkg.version,
    optionsSchema: OrchestratorOptions,
    options,
    schemas: { 'orchestrator-plan': OrchestratorPlan },
    intents: [
      {
        name: 'orchestrator.task',
        description: 'One task of a plan: agent handoff, commands with timeouts and retries, shards, acceptance checks, constraints.',
        module: new URL('./intents/task.js', import.meta.url),
        spawns: true,
        input: Type.Object({ task: Type.Object({}, { additionalProperties: true }), run_id: Type.String(), log_dir: Type.String() }, { additionalProperties: true }),
      },
    ],
    commands: [
      {
        name: 'orchestrate plan validate',
        summary: 'Check a plan (YAML or JSON, with includes): every problem with file:line',
        options: { file },
        examples: ['oracle orchestrate plan validate', 'oracle orchestrate plan validate --file plans/release.yml --json'],
        load: () => import('./commands/validate.js'),
      },
      {
        name: 'orchestrate run',
        summary: 'Run the plan’s tasks in dependency order, in parallel, with acceptance gates and approvals',
        options: {
          file,
          task: { type: 'string', placeholder: '<id>', description: 'Run this task and its dependencies.' },
          all: { type: 'boolean', description: 'Run the whole DAG (the default).' },
          resume: { type: 'boolean', description: 'Continue the latest run from its event log.' },
          'dry-run': { type: 'boolean', description: 'Print the resolved order; execute and write nothing.' },
          'no-build': { type: 'boolean', description: 'Skip the final release build.' },
          parallel: { type: 'number', placeholder: '<n>', description: 'Tasks at once (default: the parallel option, 2).' },
        },
        examples: ['oracle orchestrate run --dry-run', 'oracle orchestrate run --parallel 4', 'oracle orchestrate run --task EXC-001'],
        load: () => import('./commands/run.js'),
      },
      {
        name: 'orchestrate resume',
        summary: 'Continue the latest run (after a failure, a kill or an approval)',
        options: { file, parallel: { type: 'number', placeholder: '<n>', description: 'Tasks at once.' } },
        examples: ['oracle orchestrate resume'],
        load: () => import('./commands/run.js').then((m) => ({ run: m.resumeRun })),
      },
      {
        name: 'orchestrate approve',
        summary: 'Approve a gate (apply_patch, deploy, tag …) of the latest run',
        args: [{ name: 'gate', description: 'The gate to approve.', required: true }],
        options: { file, by: { type: 'string', placeholder: '<name>', description: 'Who approves (default: $USER).' } },
        examples: ['oracle orchestrate approve deploy'],
        load: () => import('./commands/approve.js'),
      },
      {
        name: 'orchestrate status',
        summary: 'Progress of the latest run, from its event log',
        options: { file },
        examples: ['oracle orchestrate status'],
        load: () => import('./commands/status.js').then((m) => ({ run: m.status })),
      },
      {
        name: 'orchestrate report',
        summary: 'Write the latest run’s report (REPORT.md), optionally JUnit XML',
        options: {
          file,
          out: { type: 'string', placeholder: '<file>', description: 'Where the report goes (default REPORT.md).' },
          junit: { type: 'string', placeholder: '<file>', description: 'Also write JUnit XML there, for CI systems.' },
        },
        examples: ['oracle orchestrate report --out REPORT.md --junit junit.xml'],
        load: () => import('./commands/status.js').then((m) => ({ run: m.report })),
      },
    ],
  })
}
