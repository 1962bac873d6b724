import { defineConfig } from '@oraclekit/kernel'
import fleetOps from '@oraclekit/fleet-ops'
import workOrderPlanner from '@oraclekit/work-order-planner'

// A fleet of four small products for `oracle plan` and `oracle run`. Every command is plain
// `node` with no dependencies and runs in the product's root. The planner reads the Dash
// artifacts in dash/ and the PM artifacts in docs/pm/ (the default paths).
export default defineConfig({
  plugins: [
    workOrderPlanner({
      products: [
        {
          id: 'billing-api',
          root: 'products/billing-api',
          commands: {
            validate: ['node', 'scripts/validate.mjs'],
            test: ['node', '--test', 'test/retry.test.mjs'],
            regenerate_report: ['node', 'scripts/report.mjs'],
          },
          health: { command: ['node', 'scripts/health.mjs'], timeoutMs: 5_000 },
          priority: 10,
        },
        {
          id: 'web-app',
          root: 'products/web-app',
          commands: {
            validate: ['node', 'scripts/validate.mjs'],
            test: ['node', '--test', 'test/cart.test.mjs'],
            regenerate_report: ['node', 'scripts/report.mjs'],
          },
        },
        {
          // Unhealthy: its health check fails (shard 2 is unreachable), so a run stops before its tests.
          id: 'search-indexer',
          root: 'products/search-indexer',
          commands: {
            validate: ['node', 'scripts/validate.mjs'],
            test: ['node', '--test', 'test/tokenize.test.mjs'],
          },
          health: { command: ['node', 'scripts/health.mjs'] },
        },
        {
          // Kill-switched in dash/kill_switch/legacy-reports.json: it gets no work orders while that is on.
          id: 'legacy-reports',
          root: 'products/legacy-reports',
          commands: {
            validate: ['node', 'scripts/validate.mjs'],
            test: ['node', '--test', 'test/monthly.test.mjs'],
            regenerate_report: ['node', 'scripts/report.mjs'],
          },
          caps: { maxWorkOrders: 1 },
        },
      ],
    }),
    // Schedules (dash/schedules/), gc_runs and drift_check, auto-heal and the Science Lane.
    fleetOps({
      gc: { keep: 10 },
      drift: {
        'billing-api': {
          probes: [
            { kind: 'toolchain', key: 'node', command: ['node', '--version'], expected: '/^v(2[0-9]|[3-9][0-9])\\./' },
            { kind: 'config', path: 'config/retry-policy.json', sha256: '0765f9e16ac019d90b15e068672aa392ee347138e4169c517d63effb1ec8cc35' },
            { kind: 'env', key: 'PATH' },
          ],
        },
      },
    }),
  ],
})
