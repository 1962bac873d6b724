// @oraclekit/dash: seed 5's Dash. A local, read-only web dashboard of what the other plugins
// leave in the workspace (products, runs, work orders, schedules and drift, pack runs and the
// actionizer's backlog, the orchestrator's DAG, DevFactory's workers and interventions, and the
// Science Lane), served live or written as a static site. It reads their files, never their code.

import { definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { type DashInput, DashOptions } from './options.js'

export type { DashInput, DashOptions, DashPaths } from './options.js'
export type { DashModel, Problem, ViewEnvelope, ViewName } from './model/types.js'

/** The dash plugin: `oracle dash` (live) and `oracle dash build` (static). */
export default function dash(options: DashInput = {}) {
  return definePlugin<DashOptions>({
    name: 'oracle:dash',
    version: pkg.version,
    optionsSchema: DashOptions,
    options,
    commands: [
      {
        name: 'dash',
        summary: 'Serve the fleet dashboard: a read-only web UI and JSON API of the workspace, live',
        description:
          'Views: fleet overview, runs, work orders, schedules and drift, packs and actions, the orchestrator DAG, DevFactory, the Science Lane. Listens on 127.0.0.1 (the host option or --host) and follows changes to the artifacts; a broken or missing artifact shows as a message in its panel. Runs until Ctrl-C. Never writes to the workspace.',
        options: {
          port: { type: 'number', placeholder: '<n>', description: 'Port to listen on (default: the port option, 4740; 0 picks a free one).' },
          host: { type: 'string', placeholder: '<addr>', description: 'Address to listen on (default: the host option, 127.0.0.1). Any other address exposes the artifacts to the network.' },
        },
        examples: ['oracle dash', 'oracle dash --port 8080', 'oracle dash --port 0'],
        load: () => import('./commands/serve.js'),
      },
      {
        name: 'dash build',
        summary: 'Write the dashboard as a static site (for CI artifacts)',
        description:
          'Writes index.html and one page per view, each with its data embedded (it opens from file://), api/<view>.json with the same data, and assets/. The same artifacts and clock give the same bytes. --out may not be the workspace root or an artifact folder.',
        options: { out: { type: 'string', short: 'o', placeholder: '<dir>', description: 'Folder to write the site to (required), relative to the current directory.' } },
        examples: ['oracle dash build --out site', 'ORACLE_NOW=2026-11-22T06:00:00Z oracle dash build --out /tmp/dash'],
        load: () => import('./commands/build.js'),
      },
    ],
  })
}
