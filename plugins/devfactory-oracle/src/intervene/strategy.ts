// Which intervention comes next for a stuck task (seed 3's decideStrategy, with the limits the
// seed leaves open made explicit). The ladder: guidance, guidance, takeover, then a person.

import type { TrackedIntervention } from '../tracker/schema.js'
import type { InterventionType, StuckWorker } from '../types.js'

export interface StrategyDecision {
  strategy: InterventionType
  /** One sentence, shown in logs and in the escalation note. */
  reason: string
}

/**
 * The records that count for the ladder: those delivered to the worker (an API failure is not
 * the worker's fault), and only since the task's last escalation (a person has looked at it
 * since, so the ladder starts again).
 */
export function countedInterventions(previous: readonly TrackedIntervention[]): TrackedIntervention[] {
  const lastEscalation = previous.findLastIndex((r) => r.type === 'escalation' && r.outcome === 'escalated')
  return previous.slice(lastEscalation + 1).filter((r) => r.notDelivered === undefined)
}

/**
 * In order: unclear requirements → a person; maxInterventionsPerTask reached → a person (the
 * limit wins over the ladder); a failed takeover → a person (the oracle itself could not do
 * it); 2 or more failed interventions → takeover; otherwise guidance.
 */
export function decideStrategy(stuck: StuckWorker, previous: readonly TrackedIntervention[], options: { maxInterventionsPerTask?: number } = {}): StrategyDecision {
  const max = options.maxInterventionsPerTask ?? 3
  const counted = countedInterventions(previous)
  const failed = counted.filter((r) => r.outcome === 'failed')
  if (stuck.classification === 'unclear_requirements') {
    return { strategy: 'escalation', reason: 'the requirements are unclear, and only a person can settle them' }
  }
  if (counted.length >= max) {
    return { strategy: 'escalation', reason: `${counted.length} interventions on this task already (maxInterventionsPerTask is ${max})` }
  }
  if (failed.some((r) => r.type === 'takeover')) {
    return { strategy: 'escalation', reason: 'a takeover of this task failed' }
  }
  if (failed.length >= 2) {
    return { strategy: 'takeover', reason: `${failed.length} interventions on this task failed` }
  }
  return { strategy: 'guidance', reason: failed.length === 1 ? 'the first guidance did not help; trying again with what changed' : 'first intervention on this task' }
}
