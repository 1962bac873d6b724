// In-process runs of the CLI for tests: main() with captured streams, in temporary workspaces.
import { join } from 'node:path'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { fileURLToPath } from 'node:url'
import { main } from '../main.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { NO_COLOR: '1', ...env },
    cwd,
  })
  return { code, stdout, stderr }
}

export type Workspace = TempWorkspace

export function workspace(files: Record<string, string> = {}): Promise<Workspace> {
  return createTempWorkspace({ files, prefix: 'oraclekit-cli-', nodeModules: join(REPO_ROOT, 'node_modules') })
}

/** A plugin module (ESM) exercising commands, nested names, lazy loading, setup and teardown. */
export const FIXTURE_PLUGIN = `
import { writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { OracleError, Type, definePlugin } from '@oraclekit/kernel'

export default function fixture(options = {}) {
  const log = (root, line) => appendFileSync(join(root, 'calls.log'), line + '\\n')
  return definePlugin({
    name: options.name ?? 'fixture',
    version: '2.0.0',
    optionsSchema: Type.Object({ name: Type.Optional(Type.String()), failSetup: Type.Boolean({ default: false }), failTeardown: Type.Boolean({ default: false }) }, { additionalProperties: false }),
    options,
    setup(ctx) {
      log(ctx.kernel.rootDir, 'setup ' + (options.name ?? 'fixture'))
      if (ctx.options.failSetup) throw new Error('database unreachable')
    },
    teardown(ctx) {
      log(ctx.kernel.rootDir, 'teardown ' + (options.name ?? 'fixture'))
      if (ctx.options.failTeardown) throw new Error('could not close')
    },
    commands: (options.name ? [] : [
      {
        name: 'greet',
        summary: 'Greet someone',
        description: 'Prints a greeting, as text or as data.',
        args: [{ name: 'who', description: 'Who to greet', required: true }],
        options: {
          times: { type: 'number', default: 1, description: 'How many times' },
          tone: { type: 'string', choices: ['warm', 'dry'], default: 'warm', description: 'Tone of voice' },
          'dry-run': { type: 'boolean', description: 'Do nothing' },
        },
        examples: ['oracle greet Ada --times 2'],
        run: (ctx) => ({ data: { who: ctx.args.who, times: ctx.options.times, tone: ctx.options.tone, dryRun: ctx.options.dryRun ?? false }, text: 'hello ' + ctx.args.who + ' x' + ctx.options.times }),
      },
      { name: 'pack run', summary: 'Run a pack', args: [{ name: 'pack', description: 'The pack', required: true }], run: (ctx) => ({ text: 'ran ' + ctx.args.pack }) },
      { name: 'pack validate', summary: 'Validate a pack', args: [{ name: 'files', description: 'Packs', variadic: true }], run: (ctx) => ({ data: ctx.args.files, text: String(ctx.args.files) }) },
      { name: 'boom', summary: 'Throws a plain error', run: () => { throw new TypeError('cannot read properties of undefined') } },
      { name: 'refuse', summary: 'Throws a coded error', run: () => { throw new OracleError('ORACLE_FIXTURE_REFUSED', 'refused on purpose', { exitCode: 3, hint: 'ask nicely' }) } },
      { name: 'lazy', summary: 'Loaded on demand', load: () => import('./lazy-command.mjs') },
      { name: 'empty', summary: 'Module without a handler', load: () => import('./empty-command.mjs') },
      { name: 'exit-code', summary: 'Returns exit code 4', run: () => ({ exitCode: 4, text: 'stopped' }) },
    ]),
    intents: options.name ? [] : [
      { name: 'fixture.echo', module: new URL('./echo-intent.mjs', import.meta.url), input: Type.Object({ say: Type.String() }) },
      { name: 'fixture.fail', module: new URL('./fail-intent.mjs', import.meta.url) },
    ],
  })
}
`

export const FIXTURE_FILES: Record<string, string> = {
  'plugins/fixture.mjs': FIXTURE_PLUGIN,
  'plugins/lazy-command.mjs': `import { writeFileSync } from 'node:fs'\nwriteFileSync(process.env.LAZY_MARKER ?? '/dev/null', 'imported')\nexport default (ctx) => ({ text: 'lazy ran' })\n`,
  'plugins/empty-command.mjs': 'export const nothing = 1\n',
  'plugins/echo-intent.mjs': `import { defineIntent } from '@oraclekit/kernel/intent'\nexport default defineIntent((input) => ({ heard: input.say }))\n`,
  'plugins/fail-intent.mjs': `import { JobFailure } from '@oraclekit/kernel/intent'\nexport default () => { throw new JobFailure('test_failed', '2 tests failed') }\n`,
  'oracle.config.mjs': `import fixture from './plugins/fixture.mjs'\nexport default { plugins: [fixture()] }\n`,
}
