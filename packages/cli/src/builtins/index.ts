import type { Builtin } from './types.js'

/** The commands of the CLI itself; their implementations load only when they run. */
export const BUILTINS: readonly Builtin[] = [
  {
    definition: {
      name: 'init',
      summary: 'Create an oracle.config.ts in the working directory',
      description: 'Writes a starter config (TypeScript by default) in the working directory. Refuses to overwrite an existing config unless --force is given.',
      options: {
        format: { type: 'string', choices: ['ts', 'mjs', 'json'], default: 'ts', placeholder: '<format>', description: 'Config file format.' },
        force: { type: 'boolean', description: 'Overwrite an existing config file.' },
      },
      examples: ['oracle init', 'oracle init --format json'],
    },
    needsKernel: false,
    load: () => import('./init.js'),
  },
  {
    definition: {
      name: 'plugins',
      summary: 'List the loaded plugins with their commands and intents',
      description: 'Lists the plugins of oracle.config.ts in the order they load, with the commands and intents each one contributes.',
      examples: ['oracle plugins', 'oracle plugins --json'],
    },
    needsKernel: false,
    load: () => import('./plugins.js'),
  },
  {
    definition: {
      name: 'intent run',
      summary: 'Run one job of an intent in a worker thread (for plugin authors)',
      description:
        'Runs a single job of a registered intent under the config\'s run budget, with its journal and events in the run directory. Exit code: 0 ok, 1 failed, 4 stopped.',
      args: [{ name: 'intent', description: 'Name of a registered intent (see `oracle plugins`).', required: true }],
      options: {
        input: { type: 'string', placeholder: '<json|@file>', description: 'The job input: inline JSON, or @path to a JSON file (default: {}).' },
        'job-id': { type: 'string', placeholder: '<id>', description: 'Job id (default: the intent name).' },
        'run-id': { type: 'string', placeholder: '<id>', description: 'Run id, also the run directory name (default: derived from the time and the input).' },
        resume: { type: 'boolean', description: 'Continue the run --run-id, keeping results of jobs that already ended.' },
        timeout: { type: 'number', placeholder: '<ms>', description: 'Wall-time budget of the job, in ms (default: run.maxJobTimeMs).' },
      },
      examples: ['oracle intent run hello.greet --input \'{"name":"Ada"}\''],
    },
    needsKernel: true,
    load: () => import('./intent-run.js'),
  },
  {
    definition: {
      name: 'help',
      summary: 'Show help for oracle or for a command',
      args: [{ name: 'command', description: 'The command, e.g. `pack run`.', variadic: true }],
    },
    needsKernel: false,
    // Answered by the CLI before dispatch; never loaded.
    load: () => Promise.reject(new Error('help is answered by the CLI')),
  },
]
