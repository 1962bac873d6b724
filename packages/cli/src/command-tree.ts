import { type CommandDefinition, type RegisteredCommand, suggest } from '@oraclekit/kernel'

export interface ResolvedCommand {
  command: RegisteredCommand
  /** How many positionals named the command (`pack run` → 2). */
  words: number
}

export type Resolution =
  | { kind: 'command'; resolved: ResolvedCommand }
  | { kind: 'group'; prefix: string; commands: RegisteredCommand[] }
  | { kind: 'root' }
  | { kind: 'unknown'; words: string[]; suggestion?: string }

/** Finds the command named by the leading positionals: the longest name that matches wins. */
export function resolveCommand(commands: readonly RegisteredCommand[], positionals: readonly string[]): Resolution {
  if (positionals.length === 0) return { kind: 'root' }
  const byName = new Map(commands.map((c) => [c.definition.name, c]))
  for (let words = Math.min(positionals.length, maxWords(commands)); words > 0; words--) {
    const command = byName.get(positionals.slice(0, words).join(' '))
    if (command) return { kind: 'command', resolved: { command, words } }
  }
  // `oracle pack` names a group of commands rather than one command.
  for (let words = positionals.length; words > 0; words--) {
    const prefix = positionals.slice(0, words).join(' ')
    const members = commands.filter((c) => c.definition.name.startsWith(`${prefix} `))
    if (members.length > 0) {
      if (words === positionals.length) return { kind: 'group', prefix, commands: members }
      const suggestion = suggest(positionals.slice(0, words + 1).join(' '), members.map((c) => c.definition.name))
      return { kind: 'unknown', words: positionals.slice(0, words + 1), ...(suggestion ? { suggestion } : {}) }
    }
  }
  const attempted = positionals.slice(0, Math.max(1, Math.min(positionals.length, maxWords(commands))))
  const names = commands.map((c) => c.definition.name)
  const suggestion = suggest(attempted.join(' '), names) ?? suggest(positionals[0] as string, names)
  return { kind: 'unknown', words: [positionals[0] as string], ...(suggestion ? { suggestion } : {}) }
}

function maxWords(commands: readonly RegisteredCommand[]): number {
  return Math.max(1, ...commands.map((c) => c.definition.name.split(' ').length))
}

/** Usage line of a command: `oracle pack run <pack> [options]`. */
export function usageOf(definition: CommandDefinition): string {
  const args = (definition.args ?? []).map((arg) => {
    const name = arg.variadic ? `${arg.name}...` : arg.name
    return arg.required ? `<${name}>` : `[${name}]`
  })
  return ['oracle', definition.name, ...args, '[options]'].join(' ')
}
