import { defineConfig } from 'tsup'

export default defineConfig({
  // Intents are their own entries: worker threads load them by URL, without the commands.
  entry: { index: 'src/index.ts', 'intents/task': 'src/intents/task.ts' },
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
