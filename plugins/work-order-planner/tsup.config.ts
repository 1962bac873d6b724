import { defineConfig } from 'tsup'

export default defineConfig({
  // The job intent is its own entry: worker threads load it by URL, without the commands.
  entry: { index: 'src/index.ts', 'intents/job': 'src/intents/job.ts' },
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
