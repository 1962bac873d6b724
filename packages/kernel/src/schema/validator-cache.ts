import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Ajv, ValidateFunction } from 'ajv'

// Compiling validators is most of a CLI start's validation cost (~5 ms per schema, ~10 ms the
// first). Like jiti's transform cache, compiled validators are kept on disk as Ajv standalone
// code, keyed by a hash of the schema and of everything that shapes the generated code.
const CACHE_VERSION = '1'
const require = createRequire(import.meta.url)
// The only modules generated code may require: Ajv's runtime helpers and the format checkers.
const RUNTIME = /^(ajv\/dist\/runtime\/[a-z0-9_]+|ajv-formats\/dist\/formats)$/

let dir: string | false | undefined

function cacheDir(): string | false {
  if (dir !== undefined) return dir
  dir = false
  if (process.env.ORACLE_CACHE === '0') return dir
  const uid = process.getuid?.()
  const candidate = process.env.ORACLE_CACHE_DIR ?? join(tmpdir(), `oraclekit-${uid ?? 'user'}`, 'validators')
  try {
    mkdirSync(candidate, { recursive: true, mode: 0o700 })
    const info = statSync(candidate)
    // Code from this directory is evaluated: only trust one that is ours and not writable by others.
    if (process.env.ORACLE_CACHE_DIR || ((uid === undefined || info.uid === uid) && (info.mode & 0o022) === 0)) dir = candidate
  } catch {
    dir = false
  }
  return dir
}

export function cacheKey(schema: object, optionsFingerprint: string): string {
  return createHash('sha256').update(`${CACHE_VERSION}\u0000${optionsFingerprint}\u0000${JSON.stringify(schema)}`).digest('hex').slice(0, 32)
}

/** A validator compiled earlier by this or another process, or undefined. */
export function loadCachedValidator(key: string): ValidateFunction | undefined {
  const root = cacheDir()
  if (!root) return undefined
  let code: string
  try {
    code = readFileSync(join(root, `${key}.cjs`), 'utf8')
  } catch {
    return undefined
  }
  try {
    const module = { exports: {} as { default?: ValidateFunction } }
    const runtimeRequire = (id: string): unknown => {
      if (!RUNTIME.test(id)) throw new Error(`unexpected require of ${id}`)
      return require(id)
    }
    new Function('require', 'module', 'exports', code)(runtimeRequire, module, module.exports)
    const validate = module.exports.default ?? (module.exports as unknown as ValidateFunction)
    return typeof validate === 'function' ? validate : undefined
  } catch {
    return undefined
  }
}

/** Stores a freshly compiled validator's standalone code; failures only cost the next start. */
export function storeValidator(key: string, ajv: Ajv, validate: ValidateFunction): void {
  const root = cacheDir()
  if (!root) return
  try {
    const standalone = require('ajv/dist/standalone') as { default?: unknown }
    const generate = (standalone.default ?? standalone) as (a: Ajv, v: ValidateFunction) => string
    const code = generate(ajv, validate)
    const temp = join(root, `${key}.${process.pid}.tmp`)
    writeFileSync(temp, code)
    renameSync(temp, join(root, `${key}.cjs`))
  } catch {
    // A read-only or full disk means no cache, not an error.
  }
}
