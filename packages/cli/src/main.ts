import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  type CommandDefinition,
  type CommandHandler,
  type CommandUI,
  type CommandResult,
  type GlobalOptions,
  type KernelConfig,
  type KernelInstance,
  type LogLevel,
  type RegisteredCommand,
  errorCommandUnknown,
  errorConfigNotFound,
  errorUsage,
  isOracleError,
  wrapPluginError,
} from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { BUILTINS } from './builtins/index.js'
import type { Builtin } from './builtins/types.js'
import { resolveCommand } from './command-tree.js'
import { LOG_LEVELS, type GlobalFlags, scanGlobals } from './globals.js'
import { CORE_PLUGIN, renderCommandHelp, renderGroupHelp, renderRootHelp } from './help.js'
import { parseCommandArgv } from './parse-command.js'
import { errorDocument, renderInternalError, renderUserError } from './render.js'
import { colorEnabled, createStyler } from './style.js'

export const VERSION: string = pkg.version

/** Where the CLI reads and writes; `main` never touches `process` beyond what it is given. */
export interface CliIO {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown; isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
  /** Aborted on SIGINT/SIGTERM (bin.ts wires it). */
  signal?: AbortSignal
}

const builtinCommands: RegisteredCommand[] = BUILTINS.map((b) => ({ plugin: CORE_PLUGIN, definition: { ...b.definition, run: () => undefined } as CommandDefinition }))

/** Runs the `oracle` CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let flags: GlobalFlags = { json: false, ci: false, version: false, help: false }
  const s = createStyler(colorEnabled(io.stderr, argv.includes('--ci'), io.env))
  try {
    const scanned = scanGlobals(argv)
    flags = scanned.flags
    if (flags.version) return printVersion(io, flags)
    if (flags.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(flags.logLevel)) {
      throw errorUsage(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${flags.logLevel}")`)
    }
    const cwd = resolve(io.cwd, flags.cwd ?? '.')
    if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) throw errorUsage(`--cwd ${flags.cwd}: no such directory`)
    let words = scanned.positionals
    let wantHelp = flags.help
    if (words[0] === 'help') {
      words = words.slice(1)
      wantHelp = true
    }
    const global: GlobalOptions = { cwd, json: flags.json, ci: flags.ci, logLevel: flags.logLevel ?? 'warn', ...(flags.config ? { config: flags.config } : {}) }

    // `init` must work where there is no config, or a broken one.
    const early = resolveCommand(builtinCommands, words)
    if (early.kind === 'command' && early.resolved.command.definition.name === 'init') {
      if (wantHelp) return write(io.stdout, renderCommandHelp(early.resolved.command, s))
      const parsed = parseCommandArgv(argv, early.resolved.command.definition, early.resolved.words)
      const builtin = builtinFor('init')
      const result = await (await builtin.load()).run({ ...parsed, global, config: emptyConfig(cwd), signal: io.signal ?? new AbortController().signal })
      return printResult(io, flags, result)
    }

    let config: KernelConfig
    try {
      const { loadKernelConfig } = await import('@oraclekit/kernel')
      config = await loadKernelConfig({ cwd, ...(flags.config ? { configFile: flags.config } : {}), command: words.join(' '), allowMissingConfig: true })
    } catch (error) {
      // Help still helps when the config is broken: show the built-in commands, then the error.
      if (wantHelp || words.length === 0) write(io.stdout, renderRootHelp({ version: VERSION, commands: builtinCommands, configFile: undefined }, s))
      throw error
    }
    const commands = [...builtinCommands, ...config.commands]
    const resolution = resolveCommand(commands, words)
    switch (resolution.kind) {
      case 'root':
        return write(io.stdout, renderRootHelp({ version: VERSION, commands, configFile: config.loaded?.file }, s))
      case 'group':
        return write(io.stdout, renderGroupHelp(resolution.prefix, resolution.commands, s))
      case 'unknown':
        throw errorCommandUnknown(resolution.words, resolution.suggestion)
    }
    const { command, words: commandWords } = resolution.resolved
    if (wantHelp) return write(io.stdout, renderCommandHelp(command, s))
    const parsed = parseCommandArgv(argv, command.definition, commandWords)
    const signal = io.signal ?? new AbortController().signal
    const ui = createCommandUI(io, flags)
    const builtin = command.plugin === CORE_PLUGIN ? builtinFor(command.definition.name) : undefined
    if (builtin && !builtin.needsKernel) {
      return printResult(io, flags, await (await builtin.load()).run({ ...parsed, global, config, signal }))
    }
    if (!config.loaded) throw errorConfigNotFound(cwd)
    const kernel = await startKernel(config, flags, colorEnabled(io.stderr, flags.ci, io.env))
    let result: CommandResult | undefined
    try {
      await kernel.start()
      if (builtin) {
        result = await (await builtin.load()).run({ ...parsed, global, config, kernel, signal })
      } else {
        const handler = await loadHandler(command)
        const loaded = kernel.plugins.find((p) => p.name === command.plugin)
        try {
          result = (await handler({ ...parsed, global, kernel, pluginOptions: loaded?.options, logger: kernel.logger.child({ plugin: command.plugin }), signal, ui })) ?? undefined
        } catch (error) {
          throw wrapPluginError(command.plugin, `command "${command.definition.name}"`, error)
        } finally {
          ui.clear()
        }
      }
    } finally {
      await kernel.close().catch((teardownError: unknown) => {
        // A failed teardown must not hide the command's own outcome; it is reported on its own.
        if (result && (result.exitCode ?? 0) === 0) result = { ...result, exitCode: 1 }
        printError(io, flags, teardownError, s)
      })
    }
    return printResult(io, flags, result ?? {})
  } catch (error) {
    return printError(io, flags, error, s)
  }
}

/** The live status line (stderr, TTY only), streamed stdout lines and stderr notes a command may use. */
function createCommandUI(io: CliIO, flags: GlobalFlags): Required<CommandUI> & { clear(): void } {
  const interactive = io.stderr.isTTY === true && !flags.ci && !flags.json && io.env.ORACLE_CI !== '1'
  let shown = false
  return {
    interactive,
    status(line) {
      if (!interactive) return
      io.stderr.write(`\r\x1b[2K${line}`)
      shown = true
    },
    line(text) {
      if (shown) io.stderr.write('\r\x1b[2K')
      shown = false
      io.stdout.write(`${text}\n`)
    },
    note(text) {
      if (shown) io.stderr.write('\r\x1b[2K')
      shown = false
      io.stderr.write(`${text}\n`)
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K')
      shown = false
    },
  }
}

function builtinFor(name: string): Builtin {
  return BUILTINS.find((b) => b.definition.name === name) as Builtin
}

function emptyConfig(cwd: string): KernelConfig {
  return { loaded: undefined, plugins: [], commands: [], intents: [], config: { rootDir: cwd, configFile: undefined, run: {} as KernelConfig['config']['run'], log: { level: 'warn', redact: [] }, plugins: [] } }
}

async function loadHandler(command: RegisteredCommand): Promise<CommandHandler> {
  const { definition } = command
  if (definition.run) return definition.run
  try {
    const module = await (definition.load as NonNullable<CommandDefinition['load']>)()
    const handler = module.default ?? module.run
    if (typeof handler !== 'function') throw new Error(`the module of command "${definition.name}" exports no handler (default or run)`)
    return handler
  } catch (error) {
    throw wrapPluginError(command.plugin, `loading command "${definition.name}"`, error)
  }
}

async function startKernel(config: KernelConfig, flags: GlobalFlags, color: boolean): Promise<KernelInstance> {
  const { clockFromEnv, createEventLog, createKernel } = await import('@oraclekit/kernel')
  const { createConsoleStream } = await import('./console-stream.js')
  const clock = clockFromEnv()
  const level = (flags.logLevel ?? config.config.log.level) as LogLevel
  const eventLog = await createEventLog({
    clock,
    level,
    redact: config.config.log.redact,
    ...(level === 'silent' ? {} : { console: await createConsoleStream({ ci: flags.ci, color }) }),
  })
  return createKernel({ preloaded: config, eventLog, clock })
}

function write(stream: CliIO['stdout'], text: string): number {
  stream.write(text)
  return 0
}

function printVersion(io: CliIO, flags: GlobalFlags): number {
  if (flags.json) return write(io.stdout, `${JSON.stringify({ oracle: VERSION, node: process.version }, null, 2)}\n`)
  return write(io.stdout, `oracle ${VERSION}\n`)
}

function printResult(io: CliIO, flags: GlobalFlags, result: CommandResult): number {
  if (flags.json) write(io.stdout, `${JSON.stringify(result.data ?? null, null, 2)}\n`)
  else if (result.text !== undefined) write(io.stdout, result.text.endsWith('\n') || result.text === '' ? result.text : `${result.text}\n`)
  else if (result.data !== undefined) write(io.stdout, `${JSON.stringify(result.data, null, 2)}\n`)
  return result.exitCode ?? 0
}

function printError(io: CliIO, flags: GlobalFlags, error: unknown, s: ReturnType<typeof createStyler>): number {
  if (flags.json) write(io.stdout, `${JSON.stringify(errorDocument(error), null, 2)}\n`)
  if (isOracleError(error)) {
    if (!flags.json) io.stderr.write(renderUserError(error, flags.cwd ? resolve(io.cwd, flags.cwd) : io.cwd, s, flags.logLevel === 'debug' || flags.logLevel === 'trace'))
    return error.exitCode
  }
  io.stderr.write(renderInternalError(error, VERSION, s))
  return 70
}
