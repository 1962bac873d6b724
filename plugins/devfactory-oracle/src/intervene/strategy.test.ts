import { describe, expect, it } from 'vitest'
import { stuckWorker } from '../_test/fixtures.js'
import type { TrackedIntervention } from '../tracker/schema.js'
import type { InterventionOutcome, InterventionType, StuckClassification } from '../types.js'
import { countedInterventions, decideStrategy } from './strategy.js'

type Short = `${'g' | 't' | 'e'}:${'pending' | 'resolved' | 'failed' | 'escalated' | 'undelivered'}`
const TYPES: Record<string, InterventionType> = { g: 'guidance', t: 'takeover', e: 'escalation' }

/** 'g:failed' → a failed guidance record; 'g:undelivered' → a guidance the API never delivered. */
function history(...items: Short[]): TrackedIntervention[] {
  return items.map((item, i) => {
    const [type, outcome] = item.split(':') as [string, string]
    return {
      id: `int-${i + 1}`,
      timestamp: '2026-11-21T10:00:00.000Z',
      taskId: '1.2',
      worker: 'w',
      classification: 'technical_error',
      type: TYPES[type] as InterventionType,
      contextSummary: '',
      action: '',
      outcome: (outcome === 'undelivered' ? 'failed' : outcome) as InterventionOutcome,
      ...(outcome === 'undelivered' ? { notDelivered: 'timeout' } : {}),
    }
  })
}

describe('decideStrategy', () => {
  it.each<[string, StuckClassification, Short[], number, string]>([
    ['first time', 'technical_error', [], 3, 'guidance'],
    ['one failed guidance', 'technical_error', ['g:failed'], 3, 'guidance'],
    ['two failed guidances', 'infinite_loop', ['g:failed', 'g:failed'], 3, 'takeover'],
    ['unclear requirements, first time', 'unclear_requirements', [], 3, 'escalation'],
    ['unclear requirements beats the ladder', 'unclear_requirements', ['g:failed', 'g:failed'], 3, 'escalation'],
    ['limit reached', 'technical_error', ['g:failed', 'g:failed', 't:resolved'], 3, 'escalation'],
    ['the limit wins over takeover', 'technical_error', ['g:failed', 'g:failed'], 2, 'escalation'],
    ['a failed takeover goes to a person', 'technical_error', ['t:failed'], 5, 'escalation'],
    ['three failed guidances with a high limit: takeover', 'technical_error', ['g:failed', 'g:failed', 'g:failed'], 10, 'takeover'],
    ['resolved guidance does not count as failed', 'environment_issue', ['g:resolved', 'g:failed'], 3, 'guidance'],
    ['API failures do not climb the ladder', 'technical_error', ['g:undelivered', 'g:undelivered', 'g:undelivered', 'g:failed'], 3, 'guidance'],
    ['an escalation resets the ladder', 'technical_error', ['g:failed', 'g:failed', 't:failed', 'e:escalated'], 3, 'guidance'],
    ['…and it climbs again after it', 'missing_dependency', ['g:failed', 'g:failed', 'e:escalated', 'g:failed', 'g:failed'], 3, 'takeover'],
  ])('%s → %s', (_name, classification, items, max, expected) => {
    expect(decideStrategy(stuckWorker({ classification }), history(...items), { maxInterventionsPerTask: max }).strategy).toBe(expected)
  })

  it('explains itself', () => {
    expect(decideStrategy(stuckWorker(), history('g:failed', 'g:failed', 'g:failed'))).toEqual({ strategy: 'escalation', reason: '3 interventions on this task already (maxInterventionsPerTask is 3)' })
    expect(decideStrategy(stuckWorker(), history('g:failed', 'g:failed'))).toEqual({ strategy: 'takeover', reason: '2 interventions on this task failed' })
  })
})

describe('countedInterventions', () => {
  it('keeps delivered records after the last escalation', () => {
    expect(countedInterventions(history('g:failed', 'e:escalated', 'g:undelivered', 'g:pending')).map((r) => r.id)).toEqual(['int-4'])
  })
})
