// Finding the engine: the real @steipete/oracle CLI. Its bin is called `oracle`, like ours, so
// it is never looked up by name on PATH (under `npx oracle` that finds OracleKit itself): it is a
// configured path, the package installed in the workspace, or a PATH entry whose target is
// verified to belong to the @steipete/oracle package.

import { execFile } from 'node:child_process'
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { ExitCode, OracleError, sha256, stableStringify } from '@oraclekit/kernel'
import type { EngineOptions } from '../options.js'

export const ORACLE_PACKAGE = '@steipete/oracle'

export interface ResolvedEngine {
  kind: 'oracle' | 'replay'
  /** The program spawned, and the arguments before the step's own (the JS entry under node). */
  file: string
  prefix: string[]
  /** The CLI's version (`replay` for the replay engine). */
  version: string
  /** How it was found, for run.json and messages. */
  source: 'flag' | 'config' | 'workspace' | 'global' | 'replay'
  /** Path of the CLI (absolute), or of the replay directory. */
  path: string
  /** Flags added to every invocation, right after `oracle`. */
  args: string[]
  env: Record<string, string>
  /** Hash of the engine configuration that changes answers (config files, routing env). */
  configHash: string
}

export interface EngineOverrides {
  /** `--oracle-bin` */
  command?: string
  /** `--oracle-node` */
  node?: string
}

interface PackageJson {
  name?: string
  version?: string
  bin?: string | Record<string, string>
  engines?: { node?: string }
}

function readPackage(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson
  } catch {
    return undefined
  }
}

/** The @steipete/oracle package.json at or above `file`, if `file` belongs to that package. */
function owningPackage(file: string): { dir: string; pkg: PackageJson } | undefined {
  let dir = dirname(file)
  for (;;) {
    const pkg = readPackage(join(dir, 'package.json'))
    if (pkg?.name) return pkg.name === ORACLE_PACKAGE ? { dir, pkg } : undefined
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function binEntry(dir: string, pkg: PackageJson): string | undefined {
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.oracle
  return bin ? join(dir, bin) : undefined
}

/** @steipete/oracle installed in the workspace (or a parent's node_modules). */
function findInWorkspace(rootDir: string): string | undefined {
  let dir = rootDir
  for (;;) {
    const pkgDir = join(dir, 'node_modules', ORACLE_PACKAGE)
    const pkg = readPackage(join(pkgDir, 'package.json'))
    if (pkg?.name === ORACLE_PACKAGE) return binEntry(pkgDir, pkg)
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** A global install: an `oracle` on PATH whose real target is inside the @steipete/oracle package. */
function findGlobal(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, 'oracle')
    if (!existsSync(candidate)) continue
    try {
      const target = realpathSync(candidate)
      if (owningPackage(target)) return target
    } catch {
      // a dangling link: not it
    }
  }
  return undefined
}

function engineNotFound(): OracleError {
  return new OracleError('ORACLE_PACK_ENGINE_NOT_FOUND', `The oracle CLI (${ORACLE_PACKAGE}) is not installed`, {
    exitCode: ExitCode.usage,
    hint:
      `Install it (it needs Node >= 24): \`npm install -g ${ORACLE_PACKAGE}\`, or in the workspace; ` +
      'or point to it with engine.command in oracle.config.ts or --oracle-bin <path>. ' +
      '(An `oracle` on PATH that is not that package, such as OracleKit itself, is never used.)',
  })
}

function majorOf(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0)
}

/** The lowest Node major an `engines.node` range like `>=24` or `^24.1` allows. */
function requiredNodeMajor(range: string | undefined): number | undefined {
  const match = range ? /(?:>=?|\^|~)?\s*(\d+)/.exec(range) : null
  return match ? Number(match[1]) : undefined
}

const ROUTING_ENV = ['ORACLE_ENGINE', 'ORACLE_MODEL', 'OPENAI_BASE_URL', 'OPENROUTER_BASE_URL', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'ORACLE_MAX_FILE_SIZE_BYTES']

function fileHash(path: string): string {
  try {
    return sha256(readFileSync(path))
  } catch {
    return ''
  }
}

/**
 * What in the engine's environment changes an answer without showing in the argv: its config
 * files (`~/.oracle/config.json`, any `.oracle/config.json` from the workspace up, which can set
 * the model, engine and a `promptSuffix`), the `.env` it loads, and routing variables.
 */
export function engineConfigHash(rootDir: string, env: NodeJS.ProcessEnv): string {
  // oracle runs in the workspace root, so a relative ORACLE_HOME_DIR is relative to it.
  const home = env.ORACLE_HOME_DIR ? resolve(rootDir, env.ORACLE_HOME_DIR) : join(env.HOME ?? homedir(), '.oracle')
  const files: Record<string, string> = { home: fileHash(join(home, 'config.json')), dotenv: fileHash(join(rootDir, '.env')) }
  let dir = rootDir
  for (let depth = 0; ; depth++) {
    const hash = fileHash(join(dir, '.oracle', 'config.json'))
    if (hash) files[`up${depth}`] = hash
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  const routing = Object.fromEntries(ROUTING_ENV.filter((name) => env[name] !== undefined).map((name) => [name, env[name] as string]))
  return sha256(stableStringify({ files, routing }))
}

async function versionFromCli(file: string, prefix: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(file, [...prefix, '--version'], { env, timeout: 30_000 })
    return /\d+\.\d+\.\d+[\w.+-]*/.exec(stdout)?.[0] ?? stdout.trim().split('\n')[0] ?? 'unknown'
  } catch (error) {
    throw new OracleError('ORACLE_PACK_ENGINE_FAILED', `\`${[file, ...prefix].join(' ')} --version\` failed: ${(error as Error).message.split('\n')[0]}`, {
      exitCode: ExitCode.usage,
      hint: 'Check engine.command / --oracle-bin (and engine.node / --oracle-node for a JS entry).',
    })
  }
}

/** Resolves the engine a run uses; throws a coded error when there is none or it cannot run. */
export async function resolveEngine(rootDir: string, options: EngineOptions, overrides: EngineOverrides = {}, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedEngine> {
  const engineEnv = { ...env, ...options.env }
  const configHash = engineConfigHash(rootDir, engineEnv)
  if (options.kind === 'replay' && !overrides.command) {
    if (!options.replayDir) {
      throw new OracleError('ORACLE_PACK_ENGINE_NOT_FOUND', 'engine.kind is "replay" but engine.replayDir is not set', { exitCode: ExitCode.usage, hint: 'Set engine.replayDir to the directory of recorded answers.' })
    }
    const path = resolve(rootDir, options.replayDir)
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new OracleError('ORACLE_PACK_ENGINE_NOT_FOUND', `Replay directory ${options.replayDir} does not exist`, { exitCode: ExitCode.usage, hint: 'engine.replayDir is relative to the workspace root.' })
    }
    return { kind: 'replay', file: '', prefix: [], version: 'replay', source: 'replay', path, args: [...options.args], env: { ...options.env }, configHash }
  }

  const configured = overrides.command ?? options.command
  const source: ResolvedEngine['source'] = overrides.command ? 'flag' : options.command ? 'config' : 'workspace'
  let path: string | undefined
  let found: ResolvedEngine['source'] = source
  if (configured) {
    path = isAbsolute(configured) ? configured : resolve(rootDir, configured)
    if (!existsSync(path)) {
      throw new OracleError('ORACLE_PACK_ENGINE_NOT_FOUND', `The oracle CLI at ${configured} does not exist`, {
        exitCode: ExitCode.usage,
        hint: `${overrides.command ? '--oracle-bin' : 'engine.command'} is resolved against the workspace root (${rootDir}).`,
      })
    }
    path = realpathSync(path)
  } else {
    path = findInWorkspace(rootDir)
    if (!path) {
      path = findGlobal(env)
      found = 'global'
    }
    if (!path) throw engineNotFound()
  }

  const owner = owningPackage(path)
  const isScript = /\.[cm]?js$/.test(path)
  const node = overrides.node ?? options.node
  if (isScript) {
    const required = requiredNodeMajor(owner?.pkg.engines?.node)
    const nodeFile = node ? resolve(rootDir, node) : process.execPath
    if (node && !existsSync(nodeFile)) {
      throw new OracleError('ORACLE_PACK_ENGINE_NOT_FOUND', `The Node binary ${node} does not exist`, { exitCode: ExitCode.usage, hint: 'engine.node / --oracle-node is resolved against the workspace root.' })
    }
    if (!node && required !== undefined && majorOf(process.version) < required) {
      throw new OracleError('ORACLE_PACK_ENGINE_NODE', `${ORACLE_PACKAGE} ${owner?.pkg.version ?? ''} needs Node ${owner?.pkg.engines?.node}; this is Node ${process.version}`, {
        exitCode: ExitCode.usage,
        hint: 'Point engine.node (or --oracle-node) at a Node >= 24 binary, or run oracle under Node >= 24.',
      })
    }
    const version = owner?.pkg.version ?? (await versionFromCli(nodeFile, [path], engineEnv))
    return { kind: 'oracle', file: nodeFile, prefix: [path], version, source: found, path, args: [...options.args], env: { ...options.env }, configHash }
  }
  const version = owner?.pkg.version ?? (await versionFromCli(path, [], engineEnv))
  return { kind: 'oracle', file: path, prefix: [], version, source: found, path, args: [...options.args], env: { ...options.env }, configHash }
}
