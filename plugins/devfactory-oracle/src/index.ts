// @oraclekit/devfactory-oracle: seed 3's Oracle, a supervisor for DevFactory's AI workers. It reads
// .devfactory/ (the workers' state, the product documents, the specs), finds the workers that are
// stuck and why, and intervenes: guidance from Claude, a takeover by an agent command, or the task
// handed to a person. Only type exports beside the default: the config loader wants a lone default.

import { definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { type DevfactoryInput, DevfactoryOptions } from './options.js'
import { BeastStateSchema } from './state/schema.js'
import { InterventionsFileSchema } from './tracker/schema.js'

export type { DevfactoryInput, DevfactoryOptions, LoopThresholds } from './options.js'
export type { BeastState, InterventionRecord, OracleStats, StuckClassification, StuckWorker, TaskState, WorkerState } from './types.js'

const STRATEGIES = ['guidance', 'takeover', 'escalation']

/** The devfactory-oracle plugin; every option has a default (docs/plugins/devfactory.md). */
export default function devfactoryOracle(options: DevfactoryInput = {}) {
  return definePlugin<DevfactoryOptions>({
    name: 'oracle:devfactory-oracle',
    version: pkg.version,
    optionsSchema: DevfactoryOptions,
    options,
    schemas: { devfactory_state: BeastStateSchema, devfactory_interventions: InterventionsFileSchema },
    commands: [
      {
        name: 'devfactory watch',
        summary: 'Watch the DevFactory workers and intervene when one is stuck (runs until Ctrl-C; --once for one check)',
        description:
          'Every check (checkInterval, 60 s): refresh the project context, settle pending guidance from the state, find stuck workers (status, heartbeat, no progress, loops) and classify them, then intervene on each: guidance from Claude, a takeover by the configured agent, or escalation to a person. ' +
          'A broken state file or a missing API key is reported and the watch goes on. SIGINT/SIGTERM stop it after the current check (exit 0); a second one exits at once. ' +
          '--once runs one check: exit 0, 1 when an intervention failed, 2 when guidance was due without an API key, 3 when the state file is invalid.',
        options: {
          once: { type: 'boolean', description: 'Run one check and exit (for CI and cron).' },
          interval: { type: 'number', placeholder: '<ms>', description: 'Time between checks in ms (default: the checkInterval option, 60000).' },
        },
        examples: ['oracle devfactory watch', 'oracle devfactory watch --once --json', 'oracle devfactory watch --interval 10000'],
        load: () => import('./commands/watch.js'),
      },
      {
        name: 'devfactory status',
        summary: 'Workers and their stuck verdicts, tasks waiting on a person, whether a watch runs, the context and the stats',
        description: 'Read-only: reads .devfactory/ and takes no lock. Each worker with its status, task, heartbeat age and the detector\'s verdict (classification, confidence, evidence with --json).',
        examples: ['oracle devfactory status', 'oracle devfactory status --json'],
        load: () => import('./commands/status.js'),
      },
      {
        name: 'devfactory intervene',
        summary: 'Intervene on a task now: guidance, takeover or escalation (forced)',
        description:
          'The task id is its key in beast/state.json (usually <spec>/<id>). Without --strategy the ladder decides as in watch (unclear requirements or the per-task limit: a person; a failed takeover: a person; 2 failed interventions: takeover; else guidance), but a pending guidance does not hold it back. Exit 0 done, 1 failed.',
        args: [{ name: 'task', description: 'The task id, as in beast/state.json.', required: true }],
        options: { strategy: { type: 'string', choices: STRATEGIES, placeholder: '<guidance|takeover|escalation>', description: 'Skip the decision: this rung of the ladder.' } },
        examples: ['oracle devfactory intervene 2026-01-05-user-auth/2.2', 'oracle devfactory intervene 2026-01-05-user-auth/3.1 --strategy escalation'],
        load: () => import('./commands/intervene.js'),
      },
      {
        name: 'devfactory stats',
        summary: 'Intervention stats: total, success rate, average resolution time, takeover rate, by classification',
        examples: ['oracle devfactory stats', 'oracle devfactory stats --json'],
        load: () => import('./commands/stats.js'),
      },
      {
        name: 'devfactory history',
        summary: 'The latest interventions, newest first',
        options: {
          limit: { type: 'number', placeholder: '<n>', description: 'How many (default 10).' },
          task: { type: 'string', placeholder: '<id>', description: "Only this task's interventions." },
        },
        examples: ['oracle devfactory history', 'oracle devfactory history --task 2026-01-05-user-auth/2.2 --limit 3'],
        load: () => import('./commands/history.js'),
      },
    ],
  })
}
