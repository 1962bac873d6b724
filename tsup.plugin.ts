// The build every first-party plugin shares: ESM for Node 20, types for the public entry, and
// each intent module as an entry of its own (worker threads load it by URL, without the commands).

import { defineConfig } from 'tsup'

/** `intents`: output name → source, e.g. `{ 'intents/job': 'src/intents/job.ts' }`. */
export function pluginBuild(intents: Record<string, string> = {}) {
  return defineConfig({
    entry: { index: 'src/index.ts', ...intents },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
    sourcemap: true,
    splitting: true,
    esbuildOptions(options) {
      options.minifyWhitespace = true
      options.minifySyntax = true
    },
  })
}
