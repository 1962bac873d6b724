// The dash's options. Where the other plugins' artifacts are is read from their own options when
// they are in the config (the dash never imports them); `paths` overrides any of it.

import { type Static, Type } from '@oraclekit/kernel'

const path = (description: string) => Type.Optional(Type.String({ minLength: 1, description: `${description} Workspace-relative.` }))

export const DashPaths = Type.Object(
  {
    dashDir: path("The Dash folder: runs/, health/, kill_switch/ (default: the planner's dashDir, else dash)."),
    runsDir: path("Run evidence, <runsDir>/<product>/<run>/evidence.json (default: fleet-ops' runsDir, else <dashDir>/runs)."),
    schedulesDir: path("Schedules (default: fleet-ops' schedulesDir, else dash/schedules)."),
    driftDir: path("Drift reports (default: fleet-ops' driftDir, else dash/drift)."),
    healDir: path("Auto-heal state (default: fleet-ops' heal.stateDir, else dash/heal)."),
    scienceIndex: path("The Science Lane index (default: fleet-ops' scienceIndex, else dash/science_index.json)."),
    workOrdersDir: path("Work orders (default: the planner's workOrdersDir, else nexus/work_orders)."),
    packRunsDir: path("Pack runs (default: oraclepack-runner's runsDir, else .oraclepack/runs)."),
    orchestratorPlan: path("The orchestrator plan (default: the orchestrator's file, else orchestrator.yml)."),
    orchestratorRunsDir: path('Orchestrator event logs (default .codex/runs).'),
    devfactoryDir: path("DevFactory's folder (default: devfactory-oracle's dir, else .devfactory)."),
  },
  { additionalProperties: false, default: {}, description: 'Where the artifacts are, when not where their plugins put them.' },
)
export type DashPaths = Static<typeof DashPaths>

export const DashOptions = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4740, description: 'Port of `oracle dash` (--port overrides; 0 picks a free one).' }),
    host: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      description: 'Address `oracle dash` listens on (--host overrides). Anything but a loopback address exposes the workspace to the network.',
    }),
    paths: DashPaths,
  },
  { additionalProperties: false },
)
export type DashOptions = Static<typeof DashOptions>

/** What the factory accepts: everything may be left out. */
export type DashInput = Partial<DashOptions>
