import { createRequire } from 'node:module'
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import type { TSchema } from 'typebox'
import type { Problem } from '../errors/oracle-error.js'
import { type PathSegment, formatPath, pointerToSegments, segmentsToPointer } from './json-path.js'
import { suggest } from './suggest.js'
import { cacheKey, loadCachedValidator, storeValidator } from './validator-cache.js'

export interface CheckOptions {
  /** Path of the checked value inside a bigger document, prefixed to every problem's path. */
  at?: readonly PathSegment[]
  file?: string
  /**
   * Check (and fill defaults into) the value itself instead of a copy: for a value the caller
   * just parsed and owns, such as a file read from disk, the copy is pure cost.
   */
  inPlace?: boolean
}

export interface CheckResult<T> {
  ok: boolean
  /** A copy of the input with schema defaults filled in (only meaningful when `ok`). */
  value: T
  problems: Problem[]
}

let ajv: Ajv | undefined
const compiled = new WeakMap<object, ValidateFunction>()
const AJV_OPTIONS = { allErrors: true, strict: true, useDefaults: true, verbose: true, allowUnionTypes: true, validateSchema: false, code: { optimize: false, source: true } } as const
const OPTIONS_FINGERPRINT = `ajv8:${JSON.stringify(AJV_OPTIONS)}:formats`

// Ajv is loaded only when a validator is not in the on-disk cache: a warm CLI start never pays
// for it (~15 ms).
const require = createRequire(import.meta.url)

function getAjv(): Ajv {
  if (!ajv) {
    const { Ajv: AjvClass } = require('ajv') as { Ajv: new (options: typeof AJV_OPTIONS) => Ajv }
    const ajvFormats = require('ajv-formats') as { default?: unknown }
    // validateSchema off: schemas come from TypeBox builders, and compiling the meta-schema costs
    // ~30 ms; code.optimize off: validators run a few times per process, compiling them is the cost.
    // (code.source keeps the generated code, for the on-disk validator cache.)
    ajv = new AjvClass(AJV_OPTIONS)
    const addFormats = ((ajvFormats as { default?: unknown }).default ?? ajvFormats) as (a: Ajv) => void
    addFormats(ajv)
  }
  return ajv
}

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema)
  if (!validate) {
    const key = cacheKey(schema as object, OPTIONS_FINGERPRINT)
    validate = loadCachedValidator(key)
    if (!validate) {
      validate = getAjv().compile(schema as object)
      storeValidator(key, getAjv(), validate)
    }
    compiled.set(schema, validate)
  }
  return validate
}

/**
 * Validates `value` against a TypeBox schema with Ajv, reporting every problem at once with its
 * path and a hint. The input is not mutated: defaults are filled into a copy.
 */
export function checkValue<T = unknown>(schema: TSchema, value: unknown, options: CheckOptions = {}): CheckResult<T> {
  const copy = options.inPlace ? value : cloneData(value)
  const validate = validatorFor(schema)
  const ok = validate(copy) as boolean
  const problems = ok ? [] : toProblems(validate.errors ?? [], options)
  return { ok, value: copy as T, problems }
}

/** Deep copy of plain objects and arrays; functions, class instances and URLs are kept by reference. */
export function cloneData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneData)
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [key, member] of Object.entries(value)) out[key] = cloneData(member)
    return out
  }
  return value
}

function toProblems(errors: ErrorObject[], options: CheckOptions): Problem[] {
  const base = options.at ?? []
  // anyOf/oneOf report one error per branch plus a summary; keep only the summary.
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  const kept = errors.filter((e) => !unions.some((u) => u !== e && e.schemaPath.startsWith(`${u.schemaPath}/`)))
  const problems: Problem[] = []
  const seen = new Set<string>()
  for (const error of kept) {
    const problem = describe(error, base)
    if (options.file !== undefined) problem.file = options.file
    const key = `${problem.pointer}\u0000${problem.message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  return problems
}

function describe(error: ErrorObject, base: readonly PathSegment[]): Problem {
  const segments = [...base, ...pointerToSegments(error.instancePath)]
  const params = error.params as Record<string, unknown>
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>
  const got = describeValue(error.data)
  const described = (message: string, hint?: string, at = segments): Problem => ({
    message,
    path: formatPath(at),
    pointer: segmentsToPointer(at),
    rule: error.keyword,
    severity: 'error',
    ...(hint ? { hint } : {}),
  })
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys((parentSchema.properties as object | undefined) ?? {})
      const close = suggest(key, known)
      return described(
        `unknown key "${key}"`,
        close ? `Did you mean "${close}"?` : known.length > 0 ? `Allowed keys here: ${known.join(', ')}.` : 'Remove it.',
        [...segments, key],
      )
    }
    case 'required': {
      const key = String(params.missingProperty)
      return described(`missing required key "${key}"`, propertyHint(parentSchema, key), [...segments, key])
    }
    case 'type':
      return described(`must be ${article(String(params.type))} (got ${got})`, descriptionHint(parentSchema))
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map((v) => JSON.stringify(v))
      const close = typeof error.data === 'string' ? suggest(error.data, allowed.map((a) => JSON.parse(a) as string).filter((a) => typeof a === 'string')) : undefined
      return described(`must be one of ${allowed.join(', ')} (got ${got})`, close ? `Did you mean "${close}"?` : descriptionHint(parentSchema))
    }
    case 'anyOf':
    case 'oneOf': {
      const branches = (error.schema as Array<Record<string, unknown>>) ?? []
      if (branches.length > 0 && branches.every((b) => 'const' in b)) {
        return described(`must be one of ${branches.map((b) => JSON.stringify(b.const)).join(', ')} (got ${got})`, descriptionHint(parentSchema))
      }
      return described(`does not match any allowed form (got ${got})`, descriptionHint(parentSchema))
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return described(`must be ${params.comparison} ${params.limit} (got ${got})`, descriptionHint(parentSchema))
    default:
      return described(`${error.message ?? 'is invalid'} (got ${got})`, descriptionHint(parentSchema))
  }
}

function propertyHint(schema: Record<string, unknown>, key: string): string | undefined {
  const property = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.[key]
  return typeof property?.description === 'string' ? `${key}: ${property.description}` : undefined
}

function descriptionHint(schema: Record<string, unknown>): string | undefined {
  return typeof schema.description === 'string' ? schema.description : undefined
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') return 'an object'
  const json = JSON.stringify(value)
  const shown = json.length > 40 ? `${json.slice(0, 37)}...` : json
  return `${typeof value} ${shown}`
}

/** A TypeBox schema as a standalone JSON Schema document (draft-07, stable key order). */
export function toJsonSchemaDocument(schema: TSchema): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>) }
}
