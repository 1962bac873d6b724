import { describe, expect, it } from 'vitest'
import { ConfigSchema } from '../config/schema.js'
import { Type } from './typebox.js'
import { checkValue, cloneData, toJsonSchemaDocument } from './validate.js'

const Greeter = Type.Object(
  {
    greeting: Type.String({ minLength: 2, description: 'What to say.' }),
    times: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, description: 'How often.' })),
    tone: Type.Optional(Type.Enum(['warm', 'cold'])),
    mode: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('slow')], { description: 'How fast.' })),
    size: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    kind: Type.Optional(Type.Literal('greeter')),
    ratio: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    slug: Type.Optional(Type.String({ pattern: '^[a-z]+$' })),
    email: Type.Optional(Type.String({ format: 'email' })),
    tags: Type.Optional(Type.Array(Type.String(), { maxItems: 2, uniqueItems: true })),
    nested: Type.Optional(Type.Object({ 'a-b': Type.Array(Type.Boolean()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
)

interface Row {
  name: string
  value: Record<string, unknown>
  path: string
  rule: string
  message: string
  /** null: no hint at all; omitted: not checked. */
  hint?: string | RegExp | null
}

const base = { greeting: 'hello' }

// One row per Ajv keyword: the message a user reads, where it points, and the hint.
const rows: Row[] = [
  { name: 'additionalProperties with a close key', value: { ...base, greting: 'x' }, path: 'greting', rule: 'additionalProperties', message: 'unknown key "greting"', hint: 'Did you mean "greeting"?' },
  { name: 'additionalProperties with no close key', value: { ...base, zzzzzz: 1 }, path: 'zzzzzz', rule: 'additionalProperties', message: 'unknown key "zzzzzz"', hint: /^Allowed keys here: greeting, times, tone, / },
  { name: 'required, with the property description as hint', value: {}, path: 'greeting', rule: 'required', message: 'missing required key "greeting"', hint: 'greeting: What to say.' },
  { name: 'type: string where an integer goes', value: { ...base, times: '3' }, path: 'times', rule: 'type', message: 'must be an integer (got string "3")', hint: 'How often.' },
  { name: 'type: a fraction where an integer goes', value: { ...base, times: 1.5 }, path: 'times', rule: 'type', message: 'must be an integer (got number 1.5)' },
  { name: 'type: an array where a string goes', value: { greeting: ['a', 'b'] }, path: 'greeting', rule: 'type', message: 'must be a string (got an array of 2)', hint: 'What to say.' },
  { name: 'type: an object where a string goes', value: { greeting: {} }, path: 'greeting', rule: 'type', message: 'must be a string (got an object)' },
  { name: 'type: null', value: { greeting: null }, path: 'greeting', rule: 'type', message: 'must be a string (got null)' },
  { name: 'type: deep inside arrays and odd keys', value: { ...base, nested: { 'a-b': [true, 'no'] } }, path: 'nested["a-b"][1]', rule: 'type', message: 'must be a boolean (got string "no")' },
  { name: 'minimum', value: { ...base, times: -1 }, path: 'times', rule: 'minimum', message: 'must be >= 0 (got number -1)', hint: 'How often.' },
  { name: 'maximum', value: { ...base, times: 11 }, path: 'times', rule: 'maximum', message: 'must be <= 10 (got number 11)' },
  { name: 'exclusiveMinimum', value: { ...base, ratio: 0 }, path: 'ratio', rule: 'exclusiveMinimum', message: 'must be > 0 (got number 0)' },
  { name: 'exclusiveMaximum', value: { ...base, ratio: 1 }, path: 'ratio', rule: 'exclusiveMaximum', message: 'must be < 1 (got number 1)' },
  { name: 'enum, with a suggestion', value: { ...base, tone: 'wurm' }, path: 'tone', rule: 'enum', message: 'must be one of "warm", "cold" (got string "wurm")', hint: 'Did you mean "warm"?' },
  { name: 'enum, nothing close', value: { ...base, tone: 'lukewarm-ish' }, path: 'tone', rule: 'enum', message: 'must be one of "warm", "cold" (got string "lukewarm-ish")', hint: null },
  { name: 'const', value: { ...base, kind: 'greter' }, path: 'kind', rule: 'const', message: 'must be one of "greeter" (got string "greter")', hint: 'Did you mean "greeter"?' },
  { name: 'anyOf of literals reads like an enum', value: { ...base, mode: 'medium' }, path: 'mode', rule: 'anyOf', message: 'must be one of "fast", "slow" (got string "medium")', hint: 'How fast.' },
  { name: 'anyOf of other forms', value: { ...base, size: true }, path: 'size', rule: 'anyOf', message: 'does not match any allowed form (got boolean true)' },
  { name: 'minLength (Ajv wording)', value: { greeting: 'h' }, path: 'greeting', rule: 'minLength', message: 'must NOT have fewer than 2 characters (got string "h")', hint: 'What to say.' },
  { name: 'pattern', value: { ...base, slug: 'A!' }, path: 'slug', rule: 'pattern', message: 'must match pattern "^[a-z]+$" (got string "A!")', hint: null },
  { name: 'format', value: { ...base, email: 'nope' }, path: 'email', rule: 'format', message: 'must match format "email" (got string "nope")' },
  { name: 'maxItems', value: { ...base, tags: ['a', 'b', 'c'] }, path: 'tags', rule: 'maxItems', message: 'must NOT have more than 2 items (got an array of 3)' },
  { name: 'uniqueItems', value: { ...base, tags: ['a', 'a'] }, path: 'tags', rule: 'uniqueItems', message: 'must NOT have duplicate items (items ## 1 and 0 are identical) (got an array of 2)' },
  { name: 'long values are shortened', value: { ...base, slug: 'X'.repeat(60) }, path: 'slug', rule: 'pattern', message: `must match pattern "^[a-z]+$" (got string "${'X'.repeat(36)}...)` },
]

describe('checkValue: one humane problem per Ajv keyword', () => {
  it.each(rows)('$name', ({ value, path, rule, message, hint }) => {
    const result = checkValue(Greeter, value)
    expect(result.ok).toBe(false)
    const problem = result.problems.find((p) => p.path === path && p.rule === rule)
    expect(problem, JSON.stringify(result.problems, null, 2)).toBeDefined()
    expect(problem?.message).toBe(message)
    expect(problem?.severity).toBe('error')
    if (hint === null) expect(problem?.hint).toBeUndefined()
    else if (hint === undefined) return
    else if (typeof hint === 'string') expect(problem?.hint).toBe(hint)
    else expect(problem?.hint).toMatch(hint)
  })

  it('reports a union once, not once per branch', () => {
    const { problems } = checkValue(Greeter, { ...base, mode: 'medium', size: true })
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['mode', 'anyOf'],
      ['size', 'anyOf'],
    ])
  })

  it('gives JSON pointers next to the human paths, escaped', () => {
    const { problems } = checkValue(Greeter, { ...base, nested: { 'a-b': [1] } })
    expect(problems).toEqual([expect.objectContaining({ path: 'nested["a-b"][0]', pointer: '/nested/a-b/0' })])
    const slash = checkValue(Type.Object({}, { additionalProperties: false }), { 'a/b~c': 1 })
    expect(slash.problems).toEqual([expect.objectContaining({ path: '["a/b~c"]', pointer: '/a~1b~0c', hint: 'Remove it.' })])
  })

  it('prefixes `at` to every path and pointer and stamps `file`', () => {
    const { problems } = checkValue(Greeter, { greting: 'x' }, { at: ['plugins', 2, 'options'], file: '/w/oracle.config.ts' })
    expect(problems.map((p) => [p.path, p.pointer, p.file])).toEqual([
      ['plugins[2].options.greeting', '/plugins/2/options/greeting', '/w/oracle.config.ts'],
      ['plugins[2].options.greting', '/plugins/2/options/greting', '/w/oracle.config.ts'],
    ])
  })

  it('hints with the description when no allowed value is close', () => {
    const { problems } = checkValue(ConfigSchema, { log: { level: 'loud' } })
    expect(problems).toEqual([expect.objectContaining({ path: 'log.level', rule: 'enum', hint: (ConfigSchema.properties.log.properties.level as { description?: string }).description })])
  })

  it('describes a wrong root value at "(root)"', () => {
    const { problems } = checkValue(ConfigSchema, 42)
    expect(problems).toEqual([expect.objectContaining({ path: '(root)', pointer: '', rule: 'type', message: 'must be an object (got number 42)' })])
  })
})

describe('checkValue: every problem at once', () => {
  it('reports all the problems of a config in one result, in document order', () => {
    const config = { plugns: [], run: { maxParallel: '3', maxJobs: 0, retries: { factr: 2, max: -1 } }, log: { level: 'verbose' } }
    const { ok, problems } = checkValue(ConfigSchema, config)
    expect(ok).toBe(false)
    expect(problems.map((p) => `${p.path} ${p.rule}`).sort()).toEqual(
      ['log.level enum', 'plugns additionalProperties', 'run.maxJobs minimum', 'run.maxParallel type', 'run.retries.factr additionalProperties', 'run.retries.max minimum'].sort(),
    )
    expect(problems.find((p) => p.path === 'plugns')?.hint).toBe('Did you mean "plugins"?')
    expect(problems.find((p) => p.path === 'run.retries.factr')?.hint).toBe('Did you mean "factor"?')
  })

  it('has no problems for a valid value', () => {
    expect(checkValue(ConfigSchema, { run: { maxParallel: 4 }, log: { level: 'debug' } })).toMatchObject({ ok: true, problems: [] })
  })
})

describe('checkValue: defaults go into a copy', () => {
  it('fills nested defaults without touching the input', () => {
    const input = { run: { maxParallel: 4, retries: { max: 1 } } }
    const before = structuredClone(input)
    const { ok, value } = checkValue<{ root: string; plugins: unknown[]; run: Record<string, unknown>; log: Record<string, unknown> }>(ConfigSchema, input)
    expect(ok).toBe(true)
    expect(input).toEqual(before)
    expect(value).not.toBe(input)
    expect(value.run).not.toBe(input.run)
    expect(value).toMatchObject({
      root: '.',
      plugins: [],
      run: { maxParallel: 4, maxJobs: 1_000, killGraceMs: 1_000, killSwitchFile: '.oracle/kill-switch', dir: '.oracle/runs', stopOnFailureKinds: [], retries: { max: 1, perJob: 2, factor: 2, jitter: true } },
      log: { redact: [] },
    })
    expect(typeof value.log.level).toBe('string')
  })

  it('fills defaults of a missing object from its own default', () => {
    const { value } = checkValue<{ run: { retries: { perJob: number } } }>(ConfigSchema, {})
    expect(value.run.retries.perJob).toBe(2)
  })

  it('never shares a default object between two results', () => {
    const first = checkValue<{ run: { stopOnFailureKinds: string[] } }>(ConfigSchema, {}).value
    first.run.stopOnFailureKinds.push('test_failed')
    const second = checkValue<{ run: { stopOnFailureKinds: string[] } }>(ConfigSchema, {}).value
    expect(second.run.stopOnFailureKinds).toEqual([])
  })

  it('with inPlace, checks and fills the value itself (no copy)', () => {
    const input: { run: Record<string, unknown> } = { run: { maxParallel: 4 } }
    const { ok, value } = checkValue<typeof input>(ConfigSchema, input, { inPlace: true })
    expect(ok).toBe(true)
    expect(value).toBe(input)
    expect(input.run.maxJobs).toBe(1_000)
  })

  it('does not mutate the input when the value is invalid either', () => {
    const input = { run: { maxParallel: 'x' } }
    checkValue(ConfigSchema, input)
    expect(input).toEqual({ run: { maxParallel: 'x' } })
  })

  it('keeps functions, class instances and URLs by reference', () => {
    const setup = () => undefined
    const url = new URL('file:///x.js')
    const date = new Date(0)
    const input = { list: [{ setup, url, date }] }
    const copy = cloneData(input) as typeof input
    expect(copy).not.toBe(input)
    expect(copy.list).not.toBe(input.list)
    expect(copy.list[0]).not.toBe(input.list[0])
    expect(copy.list[0]?.setup).toBe(setup)
    expect(copy.list[0]?.url).toBe(url)
    expect(copy.list[0]?.date).toBe(date)
  })
})

describe('toJsonSchemaDocument', () => {
  it('is a draft-07 document with the schema\'s $id, without changing the schema', () => {
    const schema = ConfigSchema as unknown as Record<string, unknown>
    const document = toJsonSchemaDocument(ConfigSchema)
    expect(document.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(document.$id).toBe(schema.$id)
    expect(document.additionalProperties).toBe(false)
    expect(schema.$schema).toBeUndefined()
  })
})
