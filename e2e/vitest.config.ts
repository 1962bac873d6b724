import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // End-to-end tests start real processes and worker pools; two at a time on a 2-core machine.
    maxWorkers: 2,
  },
})
