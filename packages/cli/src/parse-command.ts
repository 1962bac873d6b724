import { parseArgs } from 'node:util'
import { type CommandDefinition, type OptionDefinition, errorUsage, suggest } from '@oraclekit/kernel'
import { GLOBAL_OPTIONS, toParseArgsOptions } from './globals.js'

export interface ParsedCommand {
  args: Record<string, string | string[] | undefined>
  options: Record<string, unknown>
}

/**
 * Parses argv strictly against a command's flags and arguments: unknown flags, missing or extra
 * arguments, non-numbers given to number flags and values outside `choices` are usage errors.
 */
export function parseCommandArgv(argv: readonly string[], definition: CommandDefinition, commandWords: number): ParsedCommand {
  const flags: Record<string, OptionDefinition> = { ...GLOBAL_OPTIONS, ...definition.options }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...argv], options: toParseArgsOptions(flags), strict: true, allowPositionals: true })
  } catch (error) {
    throw usageFromParseError(error as Error, definition, flags)
  }
  const positionals = parsed.positionals.slice(commandWords)
  const args: ParsedCommand['args'] = {}
  const defs = definition.args ?? []
  defs.forEach((def, index) => {
    if (def.variadic) {
      const rest = positionals.slice(index)
      if (def.required && rest.length === 0) throw missing(def.name, definition)
      args[def.name] = rest
      return
    }
    const value = positionals[index]
    if (value === undefined && def.required) throw missing(def.name, definition)
    args[def.name] = value
  })
  const takesRest = defs.at(-1)?.variadic === true
  if (!takesRest && positionals.length > defs.length) {
    throw errorUsage(`Unexpected argument "${positionals[defs.length]}" for \`oracle ${definition.name}\``, `It takes ${defs.length === 0 ? 'no arguments' : defs.map((d) => d.name).join(', ')}. Run \`oracle ${definition.name} --help\`.`)
  }
  const options: Record<string, unknown> = {}
  for (const [name, def] of Object.entries(definition.options ?? {})) {
    const raw = (parsed.values as Record<string, unknown>)[name]
    options[camel(name)] = raw === undefined ? def.default : convert(name, def, raw)
  }
  return { args, options }
}

function convert(name: string, def: OptionDefinition, raw: unknown): unknown {
  const one = (value: unknown): unknown => {
    if (def.type === 'number') {
      const number = Number(value)
      if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(number)) throw errorUsage(`--${name} must be a number (got "${String(value)}")`)
      return number
    }
    if (def.choices && typeof value === 'string' && !def.choices.includes(value)) {
      const close = suggest(value, def.choices)
      throw errorUsage(`--${name} must be one of ${def.choices.join(', ')} (got "${value}")`, close ? `Did you mean "${close}"?` : undefined)
    }
    return value
  }
  return Array.isArray(raw) ? raw.map(one) : one(raw)
}

function missing(name: string, definition: CommandDefinition) {
  return errorUsage(`Missing argument <${name}> for \`oracle ${definition.name}\``, `Run \`oracle ${definition.name} --help\`.`)
}

function usageFromParseError(error: Error, definition: CommandDefinition, flags: Record<string, OptionDefinition>) {
  const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(error.message)
  if (unknown) {
    const close = suggest(unknown[2] as string, Object.keys(flags))
    return errorUsage(
      `Unknown option ${unknown[1]}${unknown[2]} for \`oracle ${definition.name}\``,
      close ? `Did you mean --${close}? Run \`oracle ${definition.name} --help\` for its flags.` : `Run \`oracle ${definition.name} --help\` for its flags.`,
    )
  }
  return errorUsage(error.message.replace(/\. To specify a positional.*$/s, ''), `Run \`oracle ${definition.name} --help\`.`)
}

/** `run-id` → `runId`: handlers read flags in camelCase. */
export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}
