// Type tests, checked by `tsc -p tsconfig.json` (not run by vitest). Each `@ts-expect-error` line
// proves a wrong usage is rejected: tsc fails on a directive whose line has no error.
import { describe, expectTypeOf, it } from 'vitest'
import type { CommandContext, CommandDefinition, CommandResult, OraclePlugin, PluginContext } from '../plugins/types.js'
import { type Static, Type } from '../schema/typebox.js'
import { type ConfigEnv, defineCommand, defineConfig, definePlugin } from './define.js'
import type { UserConfig } from './schema.js'

const GreeterOptions = Type.Object({ greeting: Type.String(), times: Type.Optional(Type.Integer()) })
type GreeterOptions = Static<typeof GreeterOptions>

function greeter(options: GreeterOptions): OraclePlugin<GreeterOptions> {
  return definePlugin<GreeterOptions>({ name: 'greeter', options, optionsSchema: GreeterOptions })
}

describe('defineConfig', () => {
  it('takes and returns a config object', () => {
    const config = defineConfig({
      root: '.',
      run: { maxParallel: 2, retries: { max: 3, jitter: false }, stopOnFailureKinds: ['test_failed'] },
      log: { level: 'debug', redact: ['req.headers.cookie'] },
      plugins: [greeter({ greeting: 'hi' }), false, null, undefined, './plugins/local.mjs', ['@acme/oracle-plugin', { budget: 3 }], [greeter({ greeting: 'a' }), [greeter({ greeting: 'b' })]]],
    })
    expectTypeOf(config).toEqualTypeOf<UserConfig>()
    expectTypeOf(defineConfig({})).toEqualTypeOf<UserConfig>()
  })

  it('takes a promise of a config', () => {
    expectTypeOf(defineConfig(Promise.resolve({ root: 'x' }))).toEqualTypeOf<Promise<UserConfig>>()
  })

  it('takes a function of ConfigEnv, sync or async', () => {
    const sync = defineConfig((env) => {
      expectTypeOf(env).toEqualTypeOf<ConfigEnv>()
      expectTypeOf(env.command).toBeString()
      expectTypeOf(env.cwd).toBeString()
      return { run: { maxParallel: env.command === 'pack run' ? 4 : 1 } }
    })
    expectTypeOf(sync).parameter(0).toEqualTypeOf<ConfigEnv>()
    const asynchronous = defineConfig(async ({ cwd }) => ({ root: cwd }))
    expectTypeOf(asynchronous).returns.resolves.toEqualTypeOf<UserConfig>()
  })

  it('rejects what the schema rejects', () => {
    // @ts-expect-error an unknown top-level key
    defineConfig({ plugns: [] })
    // @ts-expect-error a string where a number goes
    defineConfig({ run: { maxParallel: '3' } })
    // @ts-expect-error a log level that does not exist
    defineConfig({ log: { level: 'verbose' } })
    // @ts-expect-error an unknown key in run.retries
    defineConfig({ run: { retries: { factr: 2 } } })
    // @ts-expect-error plugins must be an array
    defineConfig({ plugins: { greeter: greeter({ greeting: 'hi' }) } })
    // @ts-expect-error a number is not a plugin
    defineConfig({ plugins: [42] })
    // @ts-expect-error an uncalled factory is not a plugin (write greeter())
    defineConfig({ plugins: [greeter] })
    // @ts-expect-error a config function must return a config
    defineConfig(() => ({ run: { maxParallel: 'many' } }))
    // @ts-expect-error a config function gets ConfigEnv, nothing else
    defineConfig((env: { command: number }) => ({ root: String(env.command) }))
  })
})

describe('definePlugin', () => {
  it('types setup and teardown options by the generic', () => {
    const plugin = definePlugin<GreeterOptions>({
      name: 'greeter',
      optionsSchema: GreeterOptions,
      setup(ctx) {
        expectTypeOf(ctx).toEqualTypeOf<PluginContext<GreeterOptions>>()
        expectTypeOf(ctx.options.greeting).toBeString()
        expectTypeOf(ctx.options.times).toEqualTypeOf<number | undefined>()
        // @ts-expect-error not an option of this plugin
        void ctx.options.greting
      },
      async teardown(ctx) {
        expectTypeOf(ctx.options).toEqualTypeOf<GreeterOptions>()
      },
    })
    expectTypeOf(plugin).toEqualTypeOf<OraclePlugin<GreeterOptions>>()
  })

  it('defaults the options to unknown', () => {
    definePlugin({
      name: 'plain',
      setup(ctx) {
        expectTypeOf(ctx.options).toBeUnknown()
      },
    })
  })

  it('fits in a config whatever its options type', () => {
    defineConfig({ plugins: [definePlugin<{ a: number }>({ name: 'a' }), definePlugin({ name: 'b' })] })
  })

  it('rejects a plugin without a name, a wrong hook or a wrong command', () => {
    // @ts-expect-error name is required
    definePlugin({ setup() {} })
    // @ts-expect-error setup is a function
    definePlugin({ name: 'x', setup: true })
    // @ts-expect-error setup returns nothing (or a promise of nothing)
    definePlugin({ name: 'x', setup: () => 42 })
    // @ts-expect-error a command needs a summary
    definePlugin({ name: 'x', commands: [{ name: 'report', run: () => undefined }] })
  })
})

describe('defineCommand', () => {
  it('types the handler\'s flags by the generic', () => {
    const command = defineCommand<{ out: string; 'dry-run': boolean }>({
      name: 'report',
      summary: 'Write the report',
      options: { out: { type: 'string', description: 'Where' }, 'dry-run': { type: 'boolean', description: 'Plan only' } },
      run(ctx) {
        expectTypeOf(ctx).toEqualTypeOf<CommandContext<{ out: string; 'dry-run': boolean }>>()
        expectTypeOf(ctx.options.out).toBeString()
        expectTypeOf(ctx.options['dry-run']).toBeBoolean()
        expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>()
        // @ts-expect-error not a flag of this command
        void ctx.options.dry
        return { data: { out: ctx.options.out } }
      },
    })
    expectTypeOf(command).toEqualTypeOf<CommandDefinition>()
  })

  it('defaults the flags to a record, and lets a command load its handler lazily', () => {
    defineCommand({
      name: 'status',
      summary: 'Show status',
      run: (ctx) => {
        expectTypeOf(ctx.options).toEqualTypeOf<Record<string, unknown>>()
      },
    })
    const lazy = defineCommand({ name: 'pack run', summary: 'Run a pack', load: async () => ({ default: (): CommandResult => ({ exitCode: 0 }) }) })
    definePlugin({ name: 'packs', commands: [lazy] })
  })

  it('rejects a command with a wrong shape', () => {
    // @ts-expect-error summary is required
    defineCommand({ name: 'x', run: () => undefined })
    // @ts-expect-error a handler returns a CommandResult or nothing
    defineCommand({ name: 'x', summary: 's', run: () => 'done' })
    // @ts-expect-error exitCode is a number
    defineCommand({ name: 'x', summary: 's', run: () => ({ exitCode: '1' }) })
    // @ts-expect-error a flag type is string, boolean or number
    defineCommand({ name: 'x', summary: 's', options: { out: { type: 'path', description: 'd' } } })
  })
})
