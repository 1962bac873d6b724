// Loop patterns in a worker's activity, after OpenHands' StuckDetector (V1 SDK). Pure.
//
// | pattern                       | rule (threshold option, default)                                          |
// |-------------------------------|---------------------------------------------------------------------------|
// | repeating_action_observation  | the last N actions (actionObservation, 4) are equal, and so are their     |
// |                               | results, none of them an error                                            |
// | repeating_action_error        | the last N actions (actionError, 3) are equal and every one failed        |
// |                               | (the errors may differ: the same call failing is the loop)                |
// | monologue                     | the last N entries (monologue, 3) are messages: the agent talks, no action |
// | alternating                   | the last N actions (alternating, 6) and their results go A, B, A, B:      |
// |                               | x[i] equals x[i+2] for every i, and A differs from B                      |
//
// Only the last `scan` (20) entries are looked at, so an old loop the worker got out of is
// forgotten. Messages between actions do not break a repeat (OpenHands filters by event type too).
// Two actions are equal when their tool and their input (as canonical JSON: sorted keys) are;
// `id`, `call_id` and `thought` never count, since they differ on every call even in a loop
// (OpenHands #15087: varying thought text slipped past its equality). Results compare output and error.

import { stableLine } from '@oraclekit/kernel'
import type { LoopThresholds } from '../options.js'
import type { ActivityEntry } from '../types.js'
import { clip, oneLine } from '../text.js'

export type LoopPattern = 'repeating_action_observation' | 'repeating_action_error' | 'monologue' | 'alternating'

/** A loop found in the activity. */
export interface LoopFinding {
  pattern: LoopPattern
  /** How many entries make it up. */
  count: number
  /** `at` of its first entry: the worker stopped making progress then. */
  since: string
  /** One line for the evidence list. */
  evidence: string
}

type Action = Extract<ActivityEntry, { kind: 'action' }>

/** What makes two actions the same call. */
export const actionKey = (action: Action): string => stableLine({ tool: action.tool, input: action.input ?? null })

/** What makes two results the same. */
export const resultKey = (action: Action): string => stableLine({ output: action.output ?? null, error: action.error ?? null })

const describeCall = (action: Action): string => `${action.tool} ${clip(stableLine(action.input ?? null), 100)}`

/**
 * Equality of calls and of results, cheapest test first: the watch loop runs this on every worker
 * every check, and most neighbours differ in their tool or their output already. A call's
 * canonical JSON is computed at most once per action and only when the tools agree.
 */
function comparer() {
  const keys = new Map<Action, string>()
  const key = (a: Action): string => {
    let k = keys.get(a)
    if (k === undefined) keys.set(a, (k = actionKey(a)))
    return k
  }
  const sameCall = (a: Action, b: Action): boolean => a === b || (a.tool === b.tool && (a.input === b.input || key(a) === key(b)))
  // Same as comparing resultKey: both fields are strings or absent.
  const sameResult = (a: Action, b: Action): boolean => (a.output ?? null) === (b.output ?? null) && (a.error ?? null) === (b.error ?? null)
  return { sameCall, sameResult }
}

/** The loops in the last `thresholds.scan` entries of `activity` (oldest first), in the table's order. */
export function detectLoops(activity: readonly ActivityEntry[], thresholds: LoopThresholds): LoopFinding[] {
  const window = activity.slice(-thresholds.scan)
  const actions = window.filter((entry): entry is Action => entry.kind === 'action')
  const findings: LoopFinding[] = []
  const last = (n: number): Action[] | undefined => (actions.length >= n ? actions.slice(-n) : undefined)
  const { sameCall, sameResult } = comparer()
  const allLike = (list: Action[], same: (a: Action, b: Action) => boolean) => list.every((a) => same(a, list[0] as Action))

  const repeat = last(thresholds.actionObservation)
  if (repeat && repeat.every((a) => a.error === undefined) && allLike(repeat, sameResult) && allLike(repeat, sameCall)) {
    findings.push({
      pattern: 'repeating_action_observation',
      count: repeat.length,
      since: repeat[0]?.at ?? '',
      evidence: `loop: the same call ${describeCall(repeat[0] as Action)} gave the same result ${repeat.length} times in a row`,
    })
  }

  const failing = last(thresholds.actionError)
  if (failing && failing.every((a) => a.error !== undefined) && allLike(failing, sameCall)) {
    findings.push({
      pattern: 'repeating_action_error',
      count: failing.length,
      since: failing[0]?.at ?? '',
      evidence: `loop: the same call ${describeCall(failing[0] as Action)} failed ${failing.length} times in a row, last with: ${clip(oneLine(failing.at(-1)?.error ?? ''), 160)}`,
    })
  }

  let talk = 0
  while (talk < window.length && window[window.length - 1 - talk]?.kind === 'message') talk++
  if (talk >= thresholds.monologue) {
    findings.push({ pattern: 'monologue', count: talk, since: window[window.length - talk]?.at ?? '', evidence: `loop: ${talk} messages in a row without an action` })
  }

  const alternating = last(thresholds.alternating)
  if (alternating) {
    const everyOther = (same: (a: Action, b: Action) => boolean) => alternating.every((a, i) => i + 2 >= alternating.length || same(a, alternating[i + 2] as Action))
    const [a, b] = alternating as [Action, Action]
    if (!sameCall(a, b) && everyOther(sameResult) && everyOther(sameCall)) {
      findings.push({
        pattern: 'alternating',
        count: alternating.length,
        since: a.at,
        evidence: `loop: alternating between ${describeCall(a)} and ${describeCall(b)} over the last ${alternating.length} actions`,
      })
    }
  }
  return findings
}
