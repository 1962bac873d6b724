// Why a worker is stuck: a regex triage of its errors and messages plus the loop findings. Pure.
// No public detector tells missing dependencies or unclear requirements apart (research §2), so
// these are plain text rules; the guidance step's LLM looks at the same evidence and may disagree.
//
// The first rule that applies wins; a named cause beats the symptom (a loop that keeps failing on
// "Cannot find module" is a missing dependency, not just a loop).
//
// | # | when                                                         | class                | confidence                  |
// |---|--------------------------------------------------------------|----------------------|-----------------------------|
// | 1 | an error matches MISSING_DEPENDENCY                          | missing_dependency   | 0.9 if seen twice*, else 0.75 |
// | 2 | an error matches ENVIRONMENT                                 | environment_issue    | 0.9 if seen twice*, else 0.75 |
// | 3 | a message matches UNCLEAR                                    | unclear_requirements | 0.8 in a monologue, else 0.6 |
// | 4 | a repeating or alternating loop (results equal, no errors)   | infinite_loop        | 0.9                         |
// | 5 | a monologue loop                                             | infinite_loop        | 0.7                         |
// | 6 | the same call failing in a row (repeating_action_error)      | technical_error      | 0.85                        |
// | 7 | any other error                                              | technical_error      | 0.6                         |
// | 8 | nothing of the above, and the heartbeat stopped              | environment_issue    | 0.5 (the process may be dead) |
// | 9 | nothing at all (silent past the implicit threshold)          | technical_error      | 0.3                         |
//
// * "seen twice": two or more error texts match, or the matching error is part of an action-error loop.
// "Errors" are the worker's `last_error` and the `error` of the actions in the scan window; outputs of
// successful actions are not read (a passing test run may print "timeout" in a test name).

import type { StuckClassification } from '../types.js'
import { clip, oneLine } from '../text.js'
import type { LoopFinding } from './loops.js'

export const MISSING_DEPENDENCY = /Cannot find (?:module|package)|ModuleNotFoundError|No module named|command not found|404 Not Found.*(?:package|registry)|\bE404\b|ERESOLVE/i
export const ENVIRONMENT = /EACCES|EPERM|ENOSPC|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EADDRINUSE|timed? ?out|port \d* ?(?:is )?already in use|address already in use|permission denied|out of memory|ENOMEM/i
export const UNCLEAR = /unclear|ambiguous|which one|not specified|requirement|clarif/i

export interface ClassifyInput {
  loops: readonly LoopFinding[]
  /** Error texts, oldest first: `last_error` and the errors of recent actions. */
  errors: readonly string[]
  /** What the agent said (message entries), oldest first. */
  messages: readonly string[]
  heartbeatStale?: boolean
}

export interface Classification {
  classification: StuckClassification
  /** 0–1 */
  confidence: number
  evidence: string[]
}

function matches(texts: readonly string[], pattern: RegExp): Array<{ text: string; match: string }> {
  return texts.flatMap((text) => {
    const match = pattern.exec(text)?.[0]
    return match === undefined ? [] : [{ text, match }]
  })
}

const quote = (hit: { text: string; match: string }) => `"${hit.match}" in: ${clip(oneLine(hit.text), 160)}`

/** Classifies by the table above. */
export function classify(input: ClassifyInput): Classification {
  const has = (pattern: LoopFinding['pattern']) => input.loops.some((l) => l.pattern === pattern)
  const errorLoop = has('repeating_action_error')

  for (const [classification, pattern] of [
    ['missing_dependency', MISSING_DEPENDENCY],
    ['environment_issue', ENVIRONMENT],
  ] as const) {
    // The same text twice (last_error repeating the last action's error) is one hit, not two.
    const hits = matches([...new Set(input.errors)], pattern)
    if (hits.length === 0) continue
    const last = hits.at(-1) as { text: string; match: string }
    return {
      classification,
      confidence: hits.length >= 2 || errorLoop ? 0.9 : 0.75,
      evidence: [`${classification}: error matched ${quote(last)}`],
    }
  }

  const unclear = matches(input.messages, UNCLEAR)
  if (unclear.length > 0) {
    const last = unclear.at(-1) as { text: string; match: string }
    return { classification: 'unclear_requirements', confidence: has('monologue') ? 0.8 : 0.6, evidence: [`unclear_requirements: message matched ${quote(last)}`] }
  }

  if (has('repeating_action_observation') || has('alternating')) {
    return { classification: 'infinite_loop', confidence: 0.9, evidence: ['infinite_loop: the worker repeats itself with nothing new coming back'] }
  }
  if (has('monologue')) return { classification: 'infinite_loop', confidence: 0.7, evidence: ['infinite_loop: the worker keeps talking without acting'] }

  const lastError = input.errors.at(-1)
  if (errorLoop) return { classification: 'technical_error', confidence: 0.85, evidence: [`technical_error: the same call keeps failing${lastError ? `, last with: ${clip(oneLine(lastError), 160)}` : ''}`] }
  if (lastError !== undefined) return { classification: 'technical_error', confidence: 0.6, evidence: [`technical_error: last error: ${clip(oneLine(lastError), 160)}`] }
  if (input.heartbeatStale) return { classification: 'environment_issue', confidence: 0.5, evidence: ['environment_issue: no heartbeat and no error: the worker process may have died'] }
  return { classification: 'technical_error', confidence: 0.3, evidence: ['technical_error: no error or loop to go by; classified by default'] }
}
