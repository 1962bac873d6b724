// The state schema: its static type is the contract's BeastState, and it stands alone as a JSON
// Schema document (for schemas/ and editors).

import { checkValue, toJsonSchemaDocument, type Static } from '@oraclekit/kernel'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { BeastState } from '../types.js'
import { BeastStateSchema } from './schema.js'

describe('BeastStateSchema', () => {
  it('describes the same shape as types.ts', () => {
    expectTypeOf<Static<typeof BeastStateSchema>>().toExtend<BeastState>()
    expectTypeOf<BeastState>().toExtend<Static<typeof BeastStateSchema>>()
  })

  it('is a standalone JSON Schema document with an id and a title', () => {
    const document = toJsonSchemaDocument(BeastStateSchema)
    expect(document).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://oraclekit.dev/schemas/devfactory_state.schema.json', title: 'DevFactory beast state', type: 'object' })
    expect(JSON.parse(JSON.stringify(document))).toEqual(document)
  })

  it('fills the empty maps of a file that has only its version', () => {
    expect(checkValue(BeastStateSchema, { version: 1 }).value).toEqual({ version: 1, workers: {}, tasks: {} })
  })

  it('accepts both kinds of activity entry, and refuses an entry of neither', () => {
    const worker = (activity: unknown[]) => ({ version: 1, workers: { w: { id: 'w', status: 'working', status_since: '2026-11-20T10:00:00Z', activity } } })
    expect(checkValue(BeastStateSchema, worker([{ kind: 'action', at: '2026-11-20T10:00:00Z', tool: 'bash', input: { cmd: 'ls' }, output: '' }, { kind: 'message', at: '2026-11-20T10:00:01Z', text: 'hi' }])).ok).toBe(true)
    const { problems } = checkValue(BeastStateSchema, worker([{ kind: 'thought', at: '2026-11-20T10:00:00Z' }]))
    expect(problems.map((p) => p.path)).toEqual(['workers.w.activity[0]'])
  })

  it('checks activity times by their shape: ISO 8601 with a zone', () => {
    const entry = (at: string) => ({ version: 1, workers: { w: { id: 'w', status: 'working', status_since: '2026-11-20T10:00:00Z', activity: [{ kind: 'message', at, text: 'hi' }] } } })
    for (const at of ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.250Z', '2026-11-20T11:00:00+01:00']) expect(checkValue(BeastStateSchema, entry(at)).ok, at).toBe(true)
    for (const at of ['yesterday', '2026-11-20', '2026-11-20T10:00:00', '2026-11-20 10:00:00Z']) {
      const { problems } = checkValue(BeastStateSchema, entry(at))
      // Reported on the entry (it matches neither form), with the shape in the hint.
      expect(problems.map((p) => [p.path, p.rule]), at).toEqual([['workers.w.activity[0]', 'anyOf']])
      expect(problems[0]?.hint).toContain('`at` is an ISO 8601 date-time with a zone')
    }
  })
})
