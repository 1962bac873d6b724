import { defineConfig } from '@oraclekit/kernel'
import dash from '@oraclekit/dash'
import fleetOps from '@oraclekit/fleet-ops'
import workOrderPlanner from '@oraclekit/work-order-planner'

// A snapshot of what the other plugins leave in a workspace, for `oracle dash` (see README.md).
// The planner declares the fleet (the dash lists its products); fleet-ops says where schedules,
// drift reports, heal state and the Science Lane index are. Both with their default paths.
export default defineConfig({
  plugins: [
    workOrderPlanner({
      products: [
        { id: 'billing-api', root: 'products/billing-api' },
        { id: 'legacy-reports', root: 'products/legacy-reports' },
        { id: 'search-indexer', root: 'products/search-indexer' },
        { id: 'web-app', root: 'products/web-app' },
      ],
    }),
    fleetOps(),
    dash(),
  ],
})
