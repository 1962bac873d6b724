// Which intents `oracle run` may execute. The planner's own are safe by definition; another
// plugin (fleet-ops) adds its intents by offering them at this extension point, with a rank for
// the plan's ordering. Any other intent in a work order is refused.

import type { Kernel } from '@oraclekit/kernel'
import { BUILTIN_INTENTS, INTENT_RANK } from './schema/artifacts.js'

export const SAFE_INTENTS_POINT = 'work-order-planner.safe-intents'

/** What a plugin offers at `work-order-planner.safe-intents` (one object or an array of them). */
export interface SafeIntent {
  /** A kernel intent the plugin registers, e.g. `gc_runs`. */
  name: string
  /** Place in the tie-break order (validate 0, test 1, drift_check 2, regenerate_report 3, gc_runs 4). */
  rank?: number
}

/** Safe intent → rank: the built-ins and every offered intent that the kernel has registered. */
export function safeIntents(kernel: Kernel): Record<string, number> {
  const safe: Record<string, number> = Object.fromEntries(BUILTIN_INTENTS.map((name) => [name, INTENT_RANK[name] as number]))
  const registered = new Set(kernel.intents.map((i) => i.definition.name))
  for (const { value } of kernel.extensions<SafeIntent | SafeIntent[]>(SAFE_INTENTS_POINT)) {
    for (const intent of Array.isArray(value) ? value : [value]) {
      if (registered.has(intent.name)) safe[intent.name] = intent.rank ?? INTENT_RANK[intent.name] ?? 100
    }
  }
  return safe
}
