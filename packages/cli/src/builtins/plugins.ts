import type { CommandResult } from '@oraclekit/kernel'
import type { BuiltinContext } from './types.js'

export async function run(ctx: BuiltinContext): Promise<CommandResult> {
  const plugins = ctx.config.plugins.map((loaded) => ({
    name: loaded.name,
    version: loaded.version ?? null,
    path: loaded.path,
    commands: (loaded.plugin.commands ?? []).map((c) => c.name),
    intents: (loaded.plugin.intents ?? []).map((i) => i.name),
  }))
  const lines = plugins.length === 0
    ? [ctx.config.loaded ? `No plugins in ${ctx.config.loaded.file}.` : 'No config found; run `oracle init`.']
    : plugins.flatMap((p) => [
        `${p.name}${p.version ? ` ${p.version}` : ''}  (${p.path})`,
        `  commands: ${p.commands.length > 0 ? p.commands.join(', ') : '-'}`,
        `  intents:  ${p.intents.length > 0 ? p.intents.join(', ') : '-'}`,
      ])
  return { data: { configFile: ctx.config.loaded?.file ?? null, plugins }, text: `${lines.join('\n')}\n` }
}
