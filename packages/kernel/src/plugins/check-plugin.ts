import type { Problem } from '../errors/oracle-error.js'
import { type PathSegment, formatPath, segmentsToPointer } from '../schema/json-path.js'
import type { OraclePlugin } from './types.js'

/** Command names the CLI owns; plugins cannot take them. */
export const RESERVED_COMMANDS: readonly string[] = ['help', 'init', 'intent', 'intent run', 'plugins']

/** Flags every command has; plugin commands cannot redefine them. */
export const GLOBAL_FLAGS: readonly string[] = ['config', 'cwd', 'json', 'ci', 'log-level', 'version', 'help']

const PLUGIN_NAME = /^[a-z0-9@][a-z0-9@:/._-]*$/i
const COMMAND_NAME = /^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$/
const FLAG_NAME = /^[a-z][a-z0-9-]*$/
const INTENT_NAME = /^[a-z][a-z0-9_.:-]*$/
const ARG_NAME = /^[a-z][a-zA-Z0-9_-]*$/

/** Checks the shape of a plugin object; returns every problem found, with its path. */
export function checkPluginShape(value: unknown, at: readonly PathSegment[]): Problem[] {
  const problems: Problem[] = []
  const add = (where: readonly PathSegment[], message: string, hint: string, rule = 'plugin-shape'): void => {
    problems.push({ message, path: formatPath(where), pointer: segmentsToPointer(where), hint, rule, severity: 'error' })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    add(at, `is not a plugin (got ${typeof value})`, 'Put plugin objects here, as returned by a plugin factory: myPlugin({...}).', 'plugin-not-object')
    return problems
  }
  const plugin = value as Partial<OraclePlugin> & Record<string, unknown>
  if (typeof plugin.name !== 'string' || !PLUGIN_NAME.test(plugin.name)) {
    add([...at, 'name'], `plugin name must be a non-empty string of letters, digits and @:/._- (got ${JSON.stringify(plugin.name)})`, 'Give the plugin a unique name, e.g. "my-team:reports".')
  }
  for (const hook of ['setup', 'teardown'] as const) {
    if (plugin[hook] !== undefined && typeof plugin[hook] !== 'function') add([...at, hook], `${hook} must be a function`, `Write ${hook}(ctx) { … } or remove it.`)
  }
  if (plugin.optionsSchema !== undefined && (typeof plugin.optionsSchema !== 'object' || plugin.optionsSchema === null)) {
    add([...at, 'optionsSchema'], 'optionsSchema must be a TypeBox schema', 'Build it with Type.Object({...}) from @oraclekit/kernel.')
  }
  checkList(plugin.commands, [...at, 'commands'], add, checkCommand)
  checkList(plugin.intents, [...at, 'intents'], add, checkIntent)
  return problems
}

type Add = (where: readonly PathSegment[], message: string, hint: string, rule?: string) => void

function checkList(list: unknown, at: readonly PathSegment[], add: Add, check: (item: Record<string, unknown>, at: PathSegment[], add: Add) => void): void {
  if (list === undefined) return
  if (!Array.isArray(list)) return add(at, 'must be an array', 'List the definitions in an array.')
  list.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) return add([...at, index], 'must be an object', 'Each entry is a plain object.')
    check(item as Record<string, unknown>, [...at, index], add)
  })
}

function checkCommand(command: Record<string, unknown>, at: PathSegment[], add: Add): void {
  const name = command.name
  if (typeof name !== 'string' || !COMMAND_NAME.test(name)) {
    add([...at, 'name'], `command name must be lower-case words separated by single spaces (got ${JSON.stringify(name)})`, 'For example "report" or "pack run".')
  } else if (RESERVED_COMMANDS.includes(name)) {
    add([...at, 'name'], `command name "${name}" is reserved by the CLI`, 'Choose another name.', 'command-reserved')
  }
  if (typeof command.summary !== 'string' || command.summary.trim() === '') add([...at, 'summary'], 'summary must be a non-empty string', 'One line shown in `oracle --help`.')
  const hasRun = typeof command.run === 'function'
  const hasLoad = typeof command.load === 'function'
  if (hasRun === hasLoad) add(at, 'a command needs exactly one of run (a handler) or load (a lazy import)', 'Prefer load: () => import("./commands/x.js") to keep startup fast.')
  const options = command.options
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null) return add([...at, 'options'], 'options must be an object of flag definitions', 'E.g. { out: { type: "string", description: "…" } }.')
    for (const [flag, def] of Object.entries(options)) {
      const where = [...at, 'options', flag]
      if (!FLAG_NAME.test(flag)) add(where, `flag name "${flag}" must be kebab-case`, 'Use lower-case words joined by "-".')
      if (GLOBAL_FLAGS.includes(flag)) add(where, `flag --${flag} is a global flag`, 'Choose another name; global flags apply to every command.', 'flag-reserved')
      const d = def as Record<string, unknown> | null
      if (!d || !['string', 'boolean', 'number'].includes(String(d.type))) add([...where, 'type'], 'flag type must be "string", "boolean" or "number"', 'Set type.')
      if (!d || typeof d.description !== 'string') add([...where, 'description'], 'flag needs a description', 'Every flag is documented in --help.')
      if (d?.short !== undefined && (typeof d.short !== 'string' || !/^[a-zA-Z]$/.test(d.short))) add([...where, 'short'], 'short must be one letter', 'E.g. short: "o".')
    }
  }
  const args = command.args
  if (args !== undefined) {
    if (!Array.isArray(args)) return add([...at, 'args'], 'args must be an array', 'E.g. [{ name: "pack", description: "…", required: true }].')
    args.forEach((arg: Record<string, unknown> | null, index) => {
      const where = [...at, 'args', index]
      if (!arg || typeof arg.name !== 'string' || !ARG_NAME.test(arg.name)) add([...where, 'name'], 'argument name must be an identifier', 'E.g. "pack".')
      if (arg?.variadic && index !== args.length - 1) add(where, 'only the last argument may be variadic', 'Move it to the end.')
    })
  }
}

function checkIntent(intent: Record<string, unknown>, at: PathSegment[], add: Add): void {
  if (typeof intent.name !== 'string' || !INTENT_NAME.test(intent.name)) {
    add([...at, 'name'], `intent name must be lower-case letters, digits and _.:- (got ${JSON.stringify(intent.name)})`, 'For example "gc_runs" or "hello.greet".')
  }
  const module = intent.module
  const isUrl = module instanceof URL || (typeof module === 'string' && (module.startsWith('file:') || module.startsWith('/')))
  if (!isUrl) add([...at, 'module'], 'module must be a file URL or an absolute path', "Use new URL('./intents/x.js', import.meta.url).")
  if (intent.input !== undefined && (typeof intent.input !== 'object' || intent.input === null)) add([...at, 'input'], 'input must be a TypeBox schema', 'Build it with Type.Object({...}).')
  if (intent.spawns !== undefined && typeof intent.spawns !== 'boolean') add([...at, 'spawns'], 'spawns must be true or false', 'Set spawns: true when the intent runs processes with ctx.exec.')
}
