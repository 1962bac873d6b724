import { type LoadedConfigFile, loadConfigFile } from './config/load.js'
import { type ConfigResolution, resolveConfig } from './config/resolve-config.js'
import { createPluginHost } from './plugins/host.js'
import type { Kernel, LoadedPlugin, RegisteredIntent } from './plugins/types.js'
import { type Clock, clockFromEnv } from './services/clock.js'
import { type EventLog, createEventLog } from './services/event-log.js'
import { createArtifactStore } from './services/store.js'

export interface CreateKernelOptions {
  /** Directory the config search starts from (default: process.cwd()). */
  cwd?: string
  /** Explicit config file (`--config`), relative to `cwd`. */
  configFile?: string
  /** The command being run, passed to config functions. */
  command?: string
  clock?: Clock
  /** The event log; by default one without console output (libraries do not print). */
  eventLog?: EventLog
  /** Without a config file, use an empty config rooted at `cwd` instead of failing. */
  allowMissingConfig?: boolean
  /** A config already loaded by `loadKernelConfig` (the CLI loads it once for help and run). */
  preloaded?: KernelConfig
}

/** A config file found, validated and with its plugins resolved. */
export interface KernelConfig extends ConfigResolution {
  loaded: LoadedConfigFile | undefined
}

/**
 * Finds, loads and validates the config and resolves its plugins, without creating the kernel's
 * services: enough to list commands. Throws ORACLE_CONFIG_NOT_FOUND unless `allowMissingConfig`.
 */
export async function loadKernelConfig(options: Pick<CreateKernelOptions, 'cwd' | 'configFile' | 'command' | 'allowMissingConfig'> = {}): Promise<KernelConfig> {
  const cwd = options.cwd ?? process.cwd()
  const loaded = await loadConfigFile({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}), env: { command: options.command ?? '', cwd } })
  if (!loaded && !options.allowMissingConfig) {
    const { errorConfigNotFound } = await import('./errors/errors.js')
    throw errorConfigNotFound(cwd)
  }
  return { loaded, ...(await resolveConfig(loaded, cwd)) }
}

/** A loaded, validated kernel: plugins resolved, not yet set up. */
export interface KernelInstance extends Kernel {
  /** Runs plugin setups in order (see PluginHost). */
  start(): Promise<void>
  /** Runs plugin teardowns in reverse order, always. */
  close(): Promise<void>
  readonly eventLog: EventLog
  /** False when no config file was found (only with `allowMissingConfig`). */
  readonly hasConfig: boolean
}

/**
 * Loads the config (searching upward from `cwd`), validates it, resolves its plugins and
 * returns the kernel. Throws ORACLE_CONFIG_NOT_FOUND / _LOAD_FAILED / _INVALID as coded errors.
 */
export async function createKernel(options: CreateKernelOptions = {}): Promise<KernelInstance> {
  const { loaded, config, plugins, commands, intents } = options.preloaded ?? (await loadKernelConfig(options))
  const clock = options.clock ?? clockFromEnv()
  const eventLog = options.eventLog ?? (await createEventLog({ clock, level: 'silent', redact: config.log.redact }))
  const logger = eventLog.logger
  const intentMap = new Map<string, RegisteredIntent>(intents.map((intent) => [intent.definition.name, intent]))
  const pluginByName = new Map<string, LoadedPlugin>(plugins.map((p) => [p.name, p]))

  const kernel: KernelInstance = {
    rootDir: config.rootDir,
    configFile: config.configFile,
    config,
    clock,
    logger,
    eventLog,
    hasConfig: loaded !== undefined,
    store: createArtifactStore(config.rootDir),
    plugins,
    commands,
    intents,
    extensions<T>(point: string) {
      return plugins.flatMap((p) => (point in (p.plugin.extensions ?? {}) ? [{ plugin: p.name, value: (p.plugin.extensions as Record<string, T>)[point] as T }] : []))
    },
    // The runner (tinypool, worker plumbing) loads with the first run, not with every command.
    runIntents: async (request) => {
      const { runIntents } = await import('./intents/runner.js')
      return runIntents({ rootDir: config.rootDir, config, clock, logger, eventLog, intents: intentMap }, request)
    },
    start: () => host.setup(),
    close: () => host.teardown(),
  }
  const host = createPluginHost([...pluginByName.values()], kernel, logger)
  return kernel
}
