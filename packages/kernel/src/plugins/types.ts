import type { Static, TSchema } from 'typebox'
import type { ResolvedConfig } from '../config/schema.js'
import type { RunRequest, RunResult } from '../intents/types.js'
import type { Clock } from '../services/clock.js'
import type { Logger } from '../services/event-log.js'
import type { ArtifactStore } from '../services/store.js'

export type Awaitable<T> = T | Promise<T>

/** A flag of a command, parsed with node's `util.parseArgs`. */
export interface OptionDefinition {
  type: 'string' | 'boolean' | 'number'
  description: string
  /** One-letter alias, e.g. `o` for `-o`. */
  short?: string
  default?: string | boolean | number
  /** Accept the flag several times; the value is an array. */
  multiple?: boolean
  /** Allowed values of a string flag, checked before the command runs. */
  choices?: readonly string[]
  /** Shown in help after the flag, e.g. `<file>`. */
  placeholder?: string
}

/** A positional argument of a command. */
export interface ArgumentDefinition {
  name: string
  description: string
  required?: boolean
  /** Takes the remaining positionals as an array; only the last argument may be variadic. */
  variadic?: boolean
}

/** Global flags, as the CLI parsed them. */
export interface GlobalOptions {
  cwd: string
  config?: string
  json: boolean
  ci: boolean
  logLevel: string
}

/** The console, as a command may use it: only the CLI writes to the terminal, through this. */
export interface CommandUI {
  /** True when a person watches: stderr is a TTY and neither --ci nor --json was given. */
  readonly interactive: boolean
  /** Replaces the live status line on stderr; does nothing unless `interactive`. */
  status(line: string): void
  /** Writes one line to stdout at once, for streamed machine output such as JSONL events. */
  line(text: string): void
  /**
   * Writes one line to stderr at once, for the person running a long command (what a watcher just
   * did). Shown in every mode, --ci and --json included: stdout stays the command's result.
   * Optional so that hand-built contexts in tests need not provide it; the CLI always does.
   */
  note?(text: string): void
}

/** What a command handler receives. */
export interface CommandContext<TOptions = Record<string, unknown>> {
  /** Positional arguments by name; variadic ones as arrays. */
  args: Record<string, string | string[] | undefined>
  /** This command's flags, parsed (numbers are numbers). */
  options: TOptions
  global: GlobalOptions
  kernel: Kernel
  /** The owning plugin's validated options. */
  pluginOptions: unknown
  logger: Logger
  /** Aborted on SIGINT/SIGTERM; pass it to `kernel.runIntents`. */
  signal: AbortSignal
  /** Live status line and streamed output. */
  ui: CommandUI
}

/** What a command returns; the CLI prints it and exits with `exitCode` (default 0). */
export interface CommandResult {
  exitCode?: number
  /** Printed as JSON with `--json`. */
  data?: unknown
  /** Printed to stdout without `--json`. */
  text?: string
}

export type CommandHandler<TOptions = Record<string, unknown>> = (
  ctx: CommandContext<TOptions>,
) => Awaitable<CommandResult | undefined | void>

export interface CommandDefinition {
  /** Words separated by one space, e.g. `pack run`. */
  name: string
  /** One line for the command list. */
  summary: string
  description?: string
  args?: readonly ArgumentDefinition[]
  options?: Readonly<Record<string, OptionDefinition>>
  examples?: readonly string[]
  /** The handler, for light commands; or… */
  run?: CommandHandler<any>
  /** …a lazy import of the module whose `default` or `run` export is the handler. */
  load?: () => Promise<{ default?: CommandHandler<any>; run?: CommandHandler<any> }>
}

/** A job type run in worker threads: `module`'s default export is called with (input, ctx). */
export interface IntentDefinition<TInput extends TSchema = TSchema> {
  /** Unique across all plugins, e.g. `gc_runs` or `hello.greet`. */
  name: string
  description?: string
  /** File URL or absolute path of a JS module (TS works too, loaded through jiti). */
  module: string | URL
  /** Call this named export instead of the default one. */
  export?: string
  /** Schema of a job's input; every job of a run is checked before any starts. */
  input?: TInput
  /** The intent runs processes (`ctx.exec`): the pool loads the process machinery before the first job. */
  spawns?: boolean
}

/** What `setup` and `teardown` receive. */
export interface PluginContext<TOptions = unknown> {
  options: TOptions
  kernel: Kernel
  logger: Logger
}

/**
 * A plugin: a plain object, usually returned by a factory that takes the plugin's options.
 * Everything but `name` is optional.
 */
export interface OraclePlugin<TOptions = unknown> {
  /** Unique name; first-party plugins use `oracle:<name>`. */
  name: string
  version?: string
  /** TypeBox schema of the options; the kernel validates `options` with it and fills defaults. */
  optionsSchema?: TSchema
  /** The options the factory received. */
  options?: unknown
  commands?: readonly CommandDefinition[]
  intents?: readonly IntentDefinition[]
  /** Contract schemas this plugin owns (written to schemas/<name>.schema.json by tools/). */
  schemas?: Readonly<Record<string, TSchema>>
  /** Values offered to other plugins at named extension points, e.g. `{ 'work-order-source': … }`. */
  extensions?: Readonly<Record<string, unknown>>
  /** Runs before any command, in config order. */
  setup?(ctx: PluginContext<TOptions>): Awaitable<void>
  /** Runs after the command, in reverse order, always (also when setup or the command failed). */
  teardown?(ctx: PluginContext<TOptions>): Awaitable<void>
}

/** What the config's `plugins` array accepts: falsy entries and nested arrays are allowed. */
export type PluginOption =
  // `call?: never` keeps a factory out: `plugins: [myPlugin]` must be `plugins: [myPlugin()]`.
  | (OraclePlugin<any> & { readonly call?: never })
  | false
  | null
  | undefined
  | string
  | readonly [string, unknown]
  | readonly PluginOption[]

/** The options type of a plugin built with an options schema. */
export type PluginOptions<S extends TSchema> = Static<S>

export interface LoadedPlugin {
  name: string
  version?: string
  plugin: OraclePlugin<unknown>
  /** Options after validation, with schema defaults filled in. */
  options: unknown
  /** Where the plugin sits in the config, e.g. `plugins[2]`. */
  path: string
}

export interface RegisteredCommand {
  plugin: string
  definition: CommandDefinition
}

export interface RegisteredIntent {
  plugin: string
  definition: IntentDefinition
  /** File URL of the worker module. */
  moduleUrl: string
}

/** The running kernel, as plugins and commands see it. */
export interface Kernel {
  readonly rootDir: string
  readonly configFile: string | undefined
  readonly config: ResolvedConfig
  readonly clock: Clock
  readonly logger: Logger
  /** Artifact store rooted at `rootDir`. */
  readonly store: ArtifactStore
  readonly plugins: readonly LoadedPlugin[]
  readonly commands: readonly RegisteredCommand[]
  readonly intents: readonly RegisteredIntent[]
  /** Values plugins offered at an extension point, in plugin order. */
  extensions<T = unknown>(point: string): Array<{ plugin: string; value: T }>
  /** Runs jobs in worker threads under the run's budget and stop conditions. */
  runIntents(request: RunRequest): Promise<RunResult>
}
