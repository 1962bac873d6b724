import type { CommandDefinition, CommandResult, GlobalOptions, KernelConfig, KernelInstance } from '@oraclekit/kernel'

export interface BuiltinContext {
  args: Record<string, string | string[] | undefined>
  options: Record<string, unknown>
  global: GlobalOptions
  /** The config as loaded (undefined file when none was found). */
  config: KernelConfig
  /** The started kernel, for builtins that run intents. */
  kernel?: KernelInstance
  signal: AbortSignal
}

/** A command built into the CLI. `needsKernel` ones get a started kernel (and need a config). */
export interface Builtin {
  definition: Omit<CommandDefinition, 'run' | 'load'>
  needsKernel: boolean
  load: () => Promise<{ run: (ctx: BuiltinContext) => Promise<CommandResult> }>
}
