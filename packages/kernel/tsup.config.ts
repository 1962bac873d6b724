import { mkdir, writeFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', intent: 'src/intent.ts', testing: 'src/testing.ts', 'worker/intent-worker': 'src/worker/intent-worker.ts', 'contracts/orchestrator-plan': 'src/contracts/orchestrator-plan.ts', 'contracts/schedule': 'src/contracts/schedule.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  // Bundled because importing typebox unbundled costs ~120 ms of startup (700 modules); every
  // other dependency stays external and is loaded lazily where it is used.
  noExternal: ['typebox'],
  // Ships the config's JSON schema in the package, generated from the same TypeBox source.
  async onSuccess() {
    const { ConfigSchema, stableStringify, toJsonSchemaDocument } = await import(`${process.cwd()}/dist/index.js`)
    await mkdir('schemas', { recursive: true })
    await writeFile('schemas/oracle.config.schema.json', stableStringify(toJsonSchemaDocument(ConfigSchema)))
  },
  // Whitespace and syntax only: identifiers stay readable in stack traces.
  esbuildOptions(options) {
    options.minifyWhitespace = true
    options.minifySyntax = true
  },
  banner: { js: "import { createRequire as __oraclekitCreateRequire } from 'node:module'; const require = __oraclekitCreateRequire(import.meta.url);" },
})
