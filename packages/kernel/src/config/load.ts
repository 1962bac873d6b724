import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
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
    if (!info?.isFile()) throw errorConfigNotFound(options.cwd, file)
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
  const typescript = async (file: string): Promise<unknown> => defaultExport(file, (await createJiti(file, { interopDefault: false }).import(file)) as object)
  const javascript = async (file: string): Promise<unknown> => {
    let module: object
    try {
      module = (await import(pathToFileURL(file).href)) as object
    } catch (error) {
      // Node's message for an ES module's syntax error has no place; `node --check` tells it.
      throw (await checkSyntax(file)) ?? error
    }
    return defaultExport(file, module)
  }
  return cosmiconfig('oracle', {
    searchPlaces: [...CONFIG_FILES],
    searchStrategy: 'none',
    packageProp: 'oracle',
    loaders: { '.ts': typescript, '.mts': typescript, '.cts': typescript, '.js': javascript, '.mjs': javascript, '.cjs': javascript },
    cache: false,
    // A config file that exists counts, even empty: the search must not go on to a parent's.
    ignoreEmptySearchPlaces: false,
  })
}

function rethrow(file: string, error: unknown): never {
  const { line, column } = errorPosition(error, file)
  throw errorConfigLoad(file, error, line, column)
}

/** The config a module exports by default; a module without a default export is a mistake. */
function defaultExport(file: string, module: object): unknown {
  if (!('default' in module)) {
    const named = Object.keys(module).filter((k) => k !== '__esModule')
    throw new Error(`${basename(file)} has no default export${named.length > 0 ? ` (it exports ${named.join(', ')})` : ''}`)
  }
  return (module as { default: unknown }).default
}

/** The syntax error `node --check` finds in a JavaScript file, with its place; undefined if none. */
async function checkSyntax(file: string): Promise<SyntaxError | undefined> {
  const { execFile } = await import('node:child_process')
  const output = await new Promise<string>((done) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000 }, (error, _stdout, stderr) => done(error ? String(stderr) : ''))
  })
  // `<file>:<line>`, the source line, a caret under the column, a blank line, `SyntaxError: …`.
  const match = /:(\d+)\r?\n.*\r?\n( *)\^[^\n]*\r?\n(?:\r?\n)*SyntaxError: ([^\r\n]*)/.exec(output)
  if (!match) return undefined
  return Object.assign(new SyntaxError(match[3]), { loc: { line: Number(match[1]), column: (match[2] as string).length } })
}

/** Line and column of a syntax error, from whichever shape the loader produced. */
function errorPosition(error: unknown, file: string): { line?: number; column?: number } {
  const e = error as { loc?: { line?: number; column?: number }; codeFrame?: string; message?: string; stack?: string }
  if (e?.loc?.line) return { line: e.loc.line, ...(e.loc.column === undefined ? {} : { column: e.loc.column + 1 }) }
  // parse-json (cosmiconfig's JSON loader) shows the place in a code frame: "> 4 |   }", then a caret.
  const frame = /^>\s*(\d+)\s*\|.*\n\s*\|( *)\^/m.exec((e?.codeFrame ?? '').replace(/\u001b\[[\d;]*m/g, ''))
  if (frame) return { line: Number(frame[1]), column: (frame[2] as string).length }
  const text = `${e?.message ?? ''}\n${e?.stack ?? ''}`
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const inFile = new RegExp(`${name}:(\\d+):(\\d+)`).exec(text)
  // jiti's ParseError prints babel's 0-based column; stack frames are 1-based.
  if (inFile) return { line: Number(inFile[1]), column: Number(inFile[2]) + (/^ParseError\b/.test(e?.message ?? '') ? 1 : 0) }
  const bracket = /\((\d+):(\d+)\)/.exec(e?.message ?? '')
  if (bracket) return { line: Number(bracket[1]), column: Number(bracket[2]) + 1 }
  const words = /line (\d+)(?: column (\d+))?/i.exec(e?.message ?? '')
  if (words) return { line: Number(words[1]), ...(words[2] ? { column: Number(words[2]) } : {}) }
  return {}
}
