import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, extname, resolve } from 'node:path'
import { errorConfigLoad, errorConfigNotFound } from '../errors/errors.js'
import type { SourceText } from '../schema/locate.js'
import { createJiti, loadCosmiconfig } from './cjs.js'
import type { ConfigEnv } from './define.js'

/** Where the config is looked for, in each directory from the cwd upwards. */
export const CONFIG_FILES = [
  'oracle.config.ts',
  'oracle.config.mts',
  'oracle.config.mjs',
  'oracle.config.js',
  'oracle.config.json',
  'package.json',
] as const

export interface LoadedConfigFile {
  file: string
  /** The default export (after calling it, if it is a function). */
  config: unknown
  source: SourceText
}

export interface LoadConfigOptions {
  cwd: string
  /** An explicit config file (`--config`), relative to `cwd`. */
  configFile?: string
  env?: ConfigEnv
}

/**
 * Finds and loads the config with cosmiconfig: the given file, or the first of CONFIG_FILES found
 * in the cwd or a parent directory (a package.json counts only if it has an `oracle` key).
 * Returns undefined when there is none.
 */
export async function loadConfigFile(options: LoadConfigOptions): Promise<LoadedConfigFile | undefined> {
  const explorer = await createExplorer()
  let found: { filepath: string; config: unknown } | null
  if (options.configFile !== undefined) {
    const file = resolve(options.cwd, options.configFile)
    const info = await stat(file).catch(() => undefined)
    if (!info?.isFile()) throw errorConfigNotFound(file)
    found = await explorer.load(file).catch((error: unknown) => rethrow(file, error))
    found ??= { filepath: file, config: {} }
  } else {
    found = null
    for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
      found = await explorer.search(dir).catch((error: unknown) => rethrow((error as { filepath?: string }).filepath ?? dir, error))
      if (found || dirname(dir) === dir) break
    }
    if (!found) return undefined
  }
  const file = found.filepath
  let config: unknown = found.config ?? {}
  if (typeof config === 'function') {
    try {
      config = await (config as (env: ConfigEnv) => unknown)(options.env ?? { command: '', cwd: options.cwd })
    } catch (error) {
      throw errorConfigLoad(file, error)
    }
  }
  const text = await readFile(file, 'utf8')
  const isPackage = basename(file) === 'package.json'
  const kind = isPackage || extname(file) === '.json' ? 'json' : 'code'
  return { file, config, source: { file, text, kind, ...(isPackage ? { at: ['oracle'] } : {}) } }
}

async function createExplorer() {
  const { cosmiconfig } = loadCosmiconfig()
  // TypeScript configs go through jiti (Node 20 cannot strip types); its file cache makes a
  // warm load take a few milliseconds.
  const typescript = async (file: string): Promise<unknown> => {
    const module = (await createJiti(file, { interopDefault: false }).import(file)) as { default?: unknown }
    return module.default ?? module
  }
  return cosmiconfig('oracle', {
    searchPlaces: [...CONFIG_FILES],
    searchStrategy: 'none',
    packageProp: 'oracle',
    loaders: { '.ts': typescript, '.mts': typescript, '.cts': typescript },
    cache: false,
  })
}

function rethrow(file: string, error: unknown): never {
  const { line, column } = errorPosition(error, file)
  throw errorConfigLoad(file, error, line, column)
}

/** Line and column of a syntax error, from whichever shape the loader produced. */
function errorPosition(error: unknown, file: string): { line?: number; column?: number } {
  const e = error as { loc?: { line?: number; column?: number }; lineNumber?: number; message?: string; stack?: string }
  if (e?.loc?.line) return { line: e.loc.line, ...(e.loc.column === undefined ? {} : { column: e.loc.column + 1 }) }
  const text = `${e?.message ?? ''}\n${e?.stack ?? ''}`
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const inFile = new RegExp(`${name}:(\\d+):(\\d+)`).exec(text)
  if (inFile) return { line: Number(inFile[1]), column: Number(inFile[2]) }
  const bracket = /\((\d+):(\d+)\)/.exec(e?.message ?? '')
  if (bracket) return { line: Number(bracket[1]), column: Number(bracket[2]) + 1 }
  const words = /line (\d+)(?: column (\d+))?/i.exec(e?.message ?? '')
  if (words) return { line: Number(words[1]), ...(words[2] ? { column: Number(words[2]) } : {}) }
  return {}
}
