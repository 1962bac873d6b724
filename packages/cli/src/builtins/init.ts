import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CONFIG_FILES, type CommandResult, errorConfigExists, writeFileAtomic } from '@oraclekit/kernel'
import type { BuiltinContext } from './types.js'

const TEMPLATES: Record<string, { file: string; text: string }> = {
  ts: {
    file: 'oracle.config.ts',
    text: `import { defineConfig } from '@oraclekit/kernel'

export default defineConfig({
  // Plugins load in this order; each contributes commands and intents.
  plugins: [],
  // Default budgets of every run (see docs/configuration.md).
  run: {
    maxParallel: 2,
  },
})
`,
  },
  mjs: {
    file: 'oracle.config.mjs',
    text: `// @ts-check
import { defineConfig } from '@oraclekit/kernel'

export default defineConfig({
  plugins: [],
  run: {
    maxParallel: 2,
  },
})
`,
  },
  json: {
    file: 'oracle.config.json',
    text: `{
  "$schema": "./node_modules/@oraclekit/kernel/schemas/oracle.config.schema.json",
  "plugins": [],
  "run": {
    "maxParallel": 2
  }
}
`,
  },
}

export async function run(ctx: BuiltinContext): Promise<CommandResult> {
  const template = TEMPLATES[String(ctx.options.format ?? 'ts')] ?? (TEMPLATES.ts as { file: string; text: string })
  const existing = CONFIG_FILES.filter((name) => name !== 'package.json').map((name) => join(ctx.global.cwd, name)).find((file) => existsSync(file))
  if (existing && !ctx.options.force) throw errorConfigExists(existing)
  const file = join(ctx.global.cwd, template.file)
  await writeFileAtomic(file, template.text)
  return {
    data: { file },
    text: `Created ${template.file}.\nNext: add plugins to its plugins array, then run \`oracle --help\` to see their commands.\n`,
  }
}
