// The heal policy fleet-ops offers the planner's `oracle run` (at `work-order-planner.heal`), and
// the heal state files it reads and re-arms: dash/heal/<product_id>.json. The planner writes the
// state when healing stops; `oracle fleet heal rearm` arms it again.

import { type Static, Type } from '@oraclekit/kernel'
import type { FleetOpsInput } from './options.js'

export interface HealPolicyValue {
  limit: number
  intents: string[]
  delayMs: number
  stateDir: string
}

/** The policy from the plugin's (raw) options, with their defaults. */
export function healPolicyOf(options: FleetOpsInput): HealPolicyValue {
  return {
    limit: options.heal?.limit ?? 1,
    intents: options.heal?.intents ?? ['validate', 'test'],
    delayMs: options.heal?.delayMs ?? 1000,
    stateDir: options.heal?.stateDir ?? 'dash/heal',
  }
}

const HealIntentState = Type.Object(
  {
    state: Type.Enum(['armed', 'stopped'], { description: 'armed: a failed job is retried; stopped: retries ran out, nothing is retried until re-armed.' }),
    attempts: Type.Integer({ minimum: 0, description: 'Attempts of the last job of this intent.' }),
    stopped_at: Type.Union([Type.String(), Type.Null()], { description: 'When healing stopped.' }),
    job_id: Type.Union([Type.String(), Type.Null()], { description: 'The job whose retries ran out (or the last one that passed).' }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why its last attempt failed.' }),
  },
  { additionalProperties: false },
)
export type HealIntentState = Static<typeof HealIntentState>

/** dash/heal/<product_id>.json: written by `oracle run` (the planner), re-armed by `oracle fleet heal rearm`. */
export const HealStateFile = Type.Object(
  {
    schema_version: Type.Literal(1),
    product_id: Type.String(),
    intents: Type.Record(Type.String(), HealIntentState, { description: 'By intent.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/heal_state.schema.json', title: 'Auto-heal state of a product' },
)
export type HealStateFile = Static<typeof HealStateFile>

export const rearmCommand = (productId: string, intent: string) => `oracle fleet heal rearm ${productId} --intent ${intent}`
