import { defineConfig } from '@oraclekit/kernel'
import devfactoryOracle from '@oraclekit/devfactory-oracle'

// A DevFactory workspace frozen at 2026-11-20 around 10:00 UTC (see README.md). Pin the clock to
// see the verdicts the README lists: ORACLE_NOW=2026-11-20T10:20:00Z oracle devfactory status.
// Guidance needs ANTHROPIC_API_KEY; escalations, status, stats and history work without it.
export default defineConfig({
  plugins: [
    devfactoryOracle({
      checkInterval: 60_000,
      maxInterventionsPerTask: 3,
    }),
  ],
})
