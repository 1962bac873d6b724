import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { OptionDefinition } from '@oraclekit/kernel'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Flags every command accepts; documented in docs/cli.md (a test checks it). */
export const GLOBAL_OPTIONS: Record<string, OptionDefinition> = {
  config: { type: 'string', placeholder: '<file>', description: 'Use this config file instead of searching for oracle.config.* upward from the working directory.' },
  cwd: { type: 'string', placeholder: '<dir>', description: 'Run as if oracle was started in <dir>.' },
  json: { type: 'boolean', description: 'Print the result (or the error) as one JSON document on stdout.' },
  ci: { type: 'boolean', description: 'Non-interactive mode for CI: no prompts, no colours, log lines as JSON on stderr; gates never wait.' },
  'log-level': { type: 'string', placeholder: '<level>', choices: LOG_LEVELS, description: 'Console log level (default: the config\'s log.level, or warn); run event logs always keep info.' },
  version: { type: 'boolean', short: 'v', description: 'Print the version and exit.' },
  help: { type: 'boolean', short: 'h', description: 'Show help; `oracle <command> --help` shows a command\'s help.' },
}

export interface GlobalFlags {
  config?: string
  cwd?: string
  json: boolean
  ci: boolean
  logLevel?: string
  version: boolean
  help: boolean
}

/** node:util parseArgs options for a set of flag definitions (numbers are parsed as strings). */
export function toParseArgsOptions(definitions: Record<string, OptionDefinition>): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, def] of Object.entries(definitions)) {
    options[name] = {
      type: def.type === 'boolean' ? 'boolean' : 'string',
      ...(def.short ? { short: def.short } : {}),
      ...(def.multiple ? { multiple: true } : {}),
    }
  }
  return options
}

/**
 * A first, lenient pass over argv: the global flags, and the positionals from which the command is
 * resolved. Command flags are checked strictly once the command is known.
 */
export function scanGlobals(argv: readonly string[]): { flags: GlobalFlags; positionals: string[] } {
  const { values, positionals } = parseArgs({ args: [...argv], options: toParseArgsOptions(GLOBAL_OPTIONS), strict: false, allowPositionals: true })
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
  return {
    flags: {
      ...(text(values.config) ? { config: text(values.config) } : {}),
      ...(text(values.cwd) ? { cwd: text(values.cwd) } : {}),
      ...(text(values['log-level']) ? { logLevel: text(values['log-level']) } : {}),
      json: values.json === true,
      ci: values.ci === true || process.env.ORACLE_CI === '1',
      version: values.version === true,
      help: values.help === true,
    },
    positionals,
  }
}
