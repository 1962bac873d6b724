import type { UserConfig } from './schema.js'
import type { Awaitable, CommandDefinition, CommandHandler, OraclePlugin } from '../plugins/types.js'

/** What a config function receives. */
export interface ConfigEnv {
  /** The command being run, e.g. `pack run` (empty for help). */
  command: string
  cwd: string
}

export type UserConfigExport = UserConfig | Promise<UserConfig> | ((env: ConfigEnv) => Awaitable<UserConfig>)

/** Typed identity for `oracle.config.ts`. */
export function defineConfig(config: UserConfig): UserConfig
export function defineConfig(config: Promise<UserConfig>): Promise<UserConfig>
export function defineConfig(config: (env: ConfigEnv) => Awaitable<UserConfig>): (env: ConfigEnv) => Awaitable<UserConfig>
export function defineConfig(config: UserConfigExport): UserConfigExport {
  return config
}

/** Typed identity for a plugin object; `TOptions` is what `setup` sees after validation. */
export function definePlugin<TOptions = unknown>(plugin: OraclePlugin<TOptions>): OraclePlugin<TOptions> {
  return plugin
}

/** Typed identity for a command; `TOptions` types the parsed flags the handler receives. */
export function defineCommand<TOptions = Record<string, unknown>>(
  command: Omit<CommandDefinition, 'run'> & { run?: CommandHandler<TOptions> },
): CommandDefinition {
  return command as CommandDefinition
}
