import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { errorConfigInvalid } from '../errors/errors.js'
import type { Problem } from '../errors/oracle-error.js'
import { type PathSegment, formatPath, segmentsToPointer } from '../schema/json-path.js'
import { locateProblems } from '../schema/locate.js'
import { checkValue } from '../schema/validate.js'
import { checkPluginShape } from '../plugins/check-plugin.js'
import { createJiti } from './cjs.js'
import type { LoadedPlugin, OraclePlugin, RegisteredCommand, RegisteredIntent } from '../plugins/types.js'
import type { LoadedConfigFile } from './load.js'
import { ConfigSchema, type ResolvedConfig } from './schema.js'

export interface ConfigResolution {
  config: ResolvedConfig
  plugins: LoadedPlugin[]
  commands: RegisteredCommand[]
  intents: RegisteredIntent[]
}

/**
 * Validates a loaded config and resolves its plugins. Every problem (schema, plugin entries,
 * plugin shapes, plugin options, duplicates) is collected and thrown at once as
 * ORACLE_CONFIG_INVALID, with file and line where they can be found.
 */
export async function resolveConfig(loaded: LoadedConfigFile | undefined, cwd: string): Promise<ConfigResolution> {
  const file = loaded?.file
  const checked = checkValue<Record<string, unknown>>(ConfigSchema, loaded?.config ?? {}, file === undefined ? {} : { file })
  const problems: Problem[] = [...checked.problems]
  const raw = checked.value
  // Plugins come from the config as written, not from the validated copy: a plugin object keeps
  // its identity (its optionsSchema is compiled once, and Ajv refuses a second schema with its $id).
  const written = (loaded?.config as { plugins?: unknown } | null | undefined)?.plugins
  const entries = Array.isArray(written) ? flattenPlugins(written, ['plugins']) : []
  const plugins: LoadedPlugin[] = []
  for (const entry of entries) {
    const plugin = await materialize(entry, file ?? join(cwd, 'oracle.config.ts'), problems)
    if (!plugin) continue
    const shape = checkPluginShape(plugin, entry.at)
    problems.push(...shape)
    if (shape.length > 0) continue
    let options = plugin.options
    if (plugin.optionsSchema) {
      const at = entry.optionsAt ?? [...entry.at, 'options']
      let result
      try {
        result = checkValue(plugin.optionsSchema, plugin.options ?? {}, { at, ...(file === undefined ? {} : { file }) })
      } catch (error) {
        // Ajv compiles the schema first; a schema it refuses is the plugin's bug, not a crash.
        const where = [...entry.at, 'optionsSchema']
        problems.push({ message: `optionsSchema of plugin "${plugin.name}" cannot be compiled: ${(error as Error).message}`, path: formatPath(where), pointer: segmentsToPointer(where), hint: 'Build it with Type.* from @oraclekit/kernel, without unknown keywords; report it to the plugin\'s authors.', rule: 'plugin-shape', severity: 'error' })
        continue
      }
      problems.push(...result.problems.map((p) => ({ ...p, rule: `plugin-options/${p.rule ?? 'invalid'}`, hint: p.hint ?? `See the options of plugin "${plugin.name}" in its documentation.` })))
      options = result.value
    }
    plugins.push({ name: plugin.name, ...(plugin.version ? { version: plugin.version } : {}), plugin: plugin as OraclePlugin<unknown>, options, path: formatPath(entry.at) })
  }
  const commands = plugins.flatMap((p) => (p.plugin.commands ?? []).map((definition) => ({ plugin: p.name, definition })))
  const intents = plugins.flatMap((p) =>
    (p.plugin.intents ?? []).map((definition) => ({ plugin: p.name, definition, moduleUrl: toFileUrl(definition.module) })),
  )
  problems.push(...duplicates(plugins.map((p) => [p.name, p.path]), 'plugin', 'plugin-duplicate'))
  problems.push(...duplicates(commands.map((c) => [c.definition.name, c.plugin]), 'command', 'command-duplicate'))
  problems.push(...duplicates(intents.map((i) => [i.definition.name, i.plugin]), 'intent', 'intent-duplicate'))
  if (problems.length > 0) {
    const located = loaded ? await locateProblems(problems, loaded.source, loaded.source.kind === 'code' ? optionsPointerInCode : undefined) : problems
    throw errorConfigInvalid(located, file)
  }
  const base = file ? dirname(file) : cwd
  const config: ResolvedConfig = {
    rootDir: resolve(base, String(raw.root ?? '.')),
    configFile: file,
    run: raw.run as ResolvedConfig['run'],
    log: raw.log as ResolvedConfig['log'],
    plugins: plugins.map((p) => p.plugin),
  }
  return { config, plugins, commands, intents }
}

interface PluginEntry {
  value: unknown
  at: PathSegment[]
  /** Where the options sit when they are written in the config itself (a [specifier, options] pair). */
  optionsAt?: PathSegment[]
}

function flattenPlugins(list: readonly unknown[], at: PathSegment[]): PluginEntry[] {
  return list.flatMap((value, index) => {
    const here = [...at, index]
    if (!value) return []
    const isPair = Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Array.isArray(value[1])
    if (Array.isArray(value) && !isPair) return flattenPlugins(value, here)
    return [{ value, at: here }]
  })
}

/** Turns an entry into a plugin object: import specifiers and call factories. */
async function materialize(entry: PluginEntry, configFile: string, problems: Problem[]): Promise<OraclePlugin | undefined> {
  const report = (message: string, hint: string, rule: string): undefined => {
    problems.push({ message, path: formatPath(entry.at), pointer: segmentsToPointer(entry.at), hint, rule, severity: 'error' })
    return undefined
  }
  const { value } = entry
  if (typeof value === 'function') {
    const name = value.name || 'plugin'
    return report(`is a function, not a plugin (${name})`, `Call the factory: ${name}(), not ${name}.`, 'plugin-not-called')
  }
  if (typeof value !== 'string' && !Array.isArray(value)) return value as OraclePlugin
  const [specifier, options] = typeof value === 'string' ? [value, undefined] : (value as [string, unknown])
  if (Array.isArray(value)) entry.optionsAt = [...entry.at, 1]
  let module: Record<string, unknown>
  try {
    module = (await createJiti(configFile, { interopDefault: false }).import(specifier)) as Record<string, unknown>
  } catch (error) {
    return report(`cannot load plugin module "${specifier}": ${(error as Error).message.split('\n')[0]}`, 'Install the package, or fix the path (relative paths start at the config file).', 'plugin-not-found')
  }
  const factory = module.default
  if (typeof factory !== 'function') {
    const got = factory === undefined ? 'no default export' : `a default export of type ${typeof factory}`
    return report(`plugin module "${specifier}" has ${got}, not a plugin factory function`, 'The module must `export default function myPlugin(options) { return { name, … } }`.', 'plugin-factory-not-function')
  }
  try {
    return (await (factory as (o: unknown) => unknown)(options)) as OraclePlugin
  } catch (error) {
    return report(`plugin factory of "${specifier}" threw: ${(error as Error)?.message ?? String(error)}`, 'Check the options given to the plugin.', 'plugin-factory-failed')
  }
}

function duplicates(pairs: Array<[string, string]>, what: string, rule: string): Problem[] {
  const seen = new Map<string, string>()
  const problems: Problem[] = []
  for (const [name, where] of pairs) {
    const first = seen.get(name)
    if (first === undefined) seen.set(name, where)
    else problems.push({ message: `${what} "${name}" is defined twice (${first} and ${where})`, path: 'plugins', pointer: '/plugins', hint: `Each ${what} name must be unique; remove one or rename it.`, rule, severity: 'error' })
  }
  return problems
}

/** `/plugins/0/options/x` → `/plugins/0/x`: in code the options are the factory call's argument. */
function optionsPointerInCode(pointer: string): string {
  return pointer.replace(/^\/plugins((?:\/\d+)+)\/options(?=\/|$)/, '/plugins$1')
}

function toFileUrl(module: string | URL): string {
  if (module instanceof URL) return module.href
  return module.startsWith('file:') ? module : pathToFileURL(module).href
}
