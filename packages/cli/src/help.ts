import type { CommandDefinition, OptionDefinition, RegisteredCommand } from '@oraclekit/kernel'
import { usageOf } from './command-tree.js'
import { GLOBAL_OPTIONS } from './globals.js'
import type { Style } from './style.js'

type Styler = (style: Style, text: string) => string

export const CORE_PLUGIN = 'oracle'

function table(rows: Array<[string, string]>, indent = '  '): string {
  const width = Math.min(32, Math.max(0, ...rows.map(([left]) => left.length)))
  return rows.map(([left, right]) => (left.length > width ? `${indent}${left}\n${indent}${' '.repeat(width)}  ${right}` : `${indent}${left.padEnd(width)}  ${right}`)).join('\n')
}

function flagLabel(name: string, def: OptionDefinition): string {
  const short = def.short ? `-${def.short}, ` : '    '
  const value = def.type === 'boolean' ? '' : ` ${def.placeholder ?? (def.type === 'number' ? '<n>' : '<value>')}`
  return `${short}--${name}${value}`
}

function flagText(def: OptionDefinition): string {
  const extras = [
    def.choices ? `one of: ${def.choices.join(', ')}` : '',
    def.default !== undefined ? `default: ${String(def.default)}` : '',
    def.multiple ? 'repeatable' : '',
  ].filter(Boolean)
  return extras.length > 0 ? `${def.description} (${extras.join('; ')})` : def.description
}

function commandRows(commands: readonly RegisteredCommand[], showPlugin: boolean): Array<[string, string]> {
  return [...commands]
    .sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1))
    .map((c) => {
      const args = (c.definition.args ?? []).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ')
      return [`${c.definition.name}${args ? ` ${args}` : ''}`, showPlugin ? `${c.definition.summary}  [${c.plugin}]` : c.definition.summary]
    })
}

function globalSection(s: Styler): string {
  return `${s('bold', 'Global options:')}\n${table(Object.entries(GLOBAL_OPTIONS).map(([name, def]) => [flagLabel(name, def), flagText(def)]))}`
}

export interface RootHelpInput {
  version: string
  commands: readonly RegisteredCommand[]
  configFile: string | undefined
}

/** `oracle --help`: every command, the core ones first, then each plugin's. */
export function renderRootHelp(input: RootHelpInput, s: Styler): string {
  const core = input.commands.filter((c) => c.plugin === CORE_PLUGIN)
  const fromPlugins = input.commands.filter((c) => c.plugin !== CORE_PLUGIN)
  const sections = [
    `${s('bold', 'oracle')} ${input.version} — OracleKit: AI-assisted engineering across a fleet of repositories`,
    `${s('bold', 'Usage:')} oracle <command> [arguments] [options]`,
    `${s('bold', 'Commands:')}\n${table(commandRows(core, false))}`,
    fromPlugins.length > 0
      ? `${s('bold', 'Commands from plugins:')}\n${table(commandRows(fromPlugins, true))}`
      : `${s('bold', 'Commands from plugins:')}\n  (none: add plugins to the plugins array of oracle.config.ts)`,
    globalSection(s),
    input.configFile ? `${s('dim', 'Config:')} ${input.configFile}` : `${s('dim', 'Config:')} none found; run \`oracle init\` to create oracle.config.ts`,
    `${s('dim', 'Run `oracle <command> --help` for a command\'s arguments and flags.')}`,
  ]
  return `${sections.join('\n\n')}\n`
}

/** `oracle pack` (a group): the commands under it. */
export function renderGroupHelp(prefix: string, commands: readonly RegisteredCommand[], s: Styler): string {
  return `${s('bold', 'Usage:')} oracle ${prefix} <command> [options]\n\n${s('bold', 'Commands:')}\n${table(commandRows(commands, true))}\n\n${s('dim', `Run \`oracle ${prefix} <command> --help\` for details.`)}\n`
}

/** `oracle <command> --help`. */
export function renderCommandHelp(command: RegisteredCommand, s: Styler): string {
  const d: CommandDefinition = command.definition
  const sections = [`${s('bold', 'Usage:')} ${usageOf(d)}`, d.description ?? d.summary]
  if (d.args && d.args.length > 0) {
    sections.push(`${s('bold', 'Arguments:')}\n${table(d.args.map((a) => [a.variadic ? `${a.name}...` : a.name, `${a.description}${a.required ? ' (required)' : ''}`]))}`)
  }
  const options = Object.entries(d.options ?? {})
  if (options.length > 0) sections.push(`${s('bold', 'Options:')}\n${table(options.map(([name, def]) => [flagLabel(name, def), flagText(def)]))}`)
  sections.push(globalSection(s))
  if (d.examples && d.examples.length > 0) sections.push(`${s('bold', 'Examples:')}\n${d.examples.map((e) => `  ${e}`).join('\n')}`)
  sections.push(s('dim', command.plugin === CORE_PLUGIN ? 'Built into the oracle CLI.' : `From plugin ${command.plugin}.`))
  return `${sections.join('\n\n')}\n`
}
