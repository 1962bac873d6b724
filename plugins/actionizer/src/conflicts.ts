// Answers that contradict each other about the same reference: two claims that share their
// subject (enough content words) and differ in polarity (one negates, the other does not).

import type { RunStep } from './read-run.js'
import { MAX_FINDINGS, categorize, priorityFor } from './tasks.js'
import type { ActionTask, ParsedAnswer } from './types.js'

const STOP = new Set(
  'that this with from have will would could should there their about which when what into also only than then them they does done been being were more most much such each other some many just very over under after before because while where these those your yours ours here'.split(
    ' ',
  ),
)
// A claim denied outright: "never retries", "does not honor", "has no support". Descriptive
// negatives ("no jitter", "changes nothing", "without a lock") are too common to count.
const NEGATION = /\b(never|no longer|(?:does|do|did|is|are|was|were|will|would|can|could|should|has|have|had) not|(?:doesn't|don't|didn't|isn't|aren't|wasn't|weren't|won't|can't|cannot|shouldn't)|(?:has|have|had) no|there (?:is|are) no)\b/i

/** A claim without its asides: parentheticals (citations), paths and code-span marks. */
function plain(claim: string): string {
  return claim
    .replace(/\s*\([^()]*\)/g, ' ')
    .replace(/\S*[/\\]\S*/g, ' ')
    .replace(/`/g, '')
    .replace(/\s+([.,;:!?])/g, '$1')
}

// A recommendation ("the fix is to freeze it", "should use X") proposes what the other answer may
// deny exists today: proposing and denying the same thing agree, they do not contradict.
const PRESCRIPTIVE = /\b(?:fix(?:es)?|should|must|better|instead|recommend\w*|suggest\w*|consider|apply|prefer)\b/i

// A negation inside a condition or a relative clause ("any pack that is not valid", "unless it
// does not…") states a rule, not a denial.
const CONDITIONAL = /\b(that|which|who|if|unless|when|whether|until)\s+(\S+\s+)?$/i

/** Where the claim denies something outright, or undefined. */
function denial(claim: string): RegExpExecArray | undefined {
  const pattern = new RegExp(NEGATION.source, 'gi')
  for (let match = pattern.exec(claim); match; match = pattern.exec(claim)) {
    if (!CONDITIONAL.test(claim.slice(Math.max(0, match.index - 40), match.index))) return match
  }
  return undefined
}

/** Content words, crudely stemmed, minus the reference's own words (every claim shares those). */
function contentWords(text: string, exclude: ReadonlySet<string>): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9\s]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length >= 4 && !STOP.has(w))
    .map(stem)
    .filter((w) => !exclude.has(w))
  return new Set(words)
}

function stem(word: string): string {
  return word.replace(/(ions?|ings?|ed|es|s)$/, '').replace(/y$/, 'i')
}

function claims(parsed: ParsedAnswer): string[] {
  // The items that become findings (the rest of a very long answer is not read for tasks either).
  return parsed.sections.direct_answer
    .slice(0, MAX_FINDINGS)
    .flatMap((item) => plain(item.text).split(/(?<=[.!?])\s+/))
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 20)
}

export interface Contradiction {
  a: { step: string; claim: string }
  b: { step: string; claim: string }
  shared: string[]
}

// "A claim that X has no support", "the suggestion that X is wrong": an answer rebutting X.
const REBUTTAL = /\b(?:claim|suggestion|statement|assumption|idea|notion|premise)\s+that\s+(.+?)\s+(?:has no support|is (?:not supported|unsupported|wrong|incorrect|false|mistaken)|does not hold)/i

function tokens(text: string, exclude: ReadonlySet<string>): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9\s']+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length >= 4 && !STOP.has(w) && !exclude.has(stem(w)) ? stem(w) : `~${w}`))
}

/** Content words right after the claim's denial ("never retries a POST" → retri, post). */
function deniedWords(claim: string, exclude: ReadonlySet<string>): Set<string> {
  const match = denial(claim)
  if (!match) return new Set()
  return new Set(
    tokens(claim.slice(match.index + match[0].length), exclude)
      .slice(0, 4)
      .filter((w) => !w.startsWith('~')),
  )
}

/**
 * The strongest contradiction between two answers about one reference, if any. Either one answer
 * rebuts a proposition the other makes ("a claim that it retries invoice creation has no
 * support"), or one denies what the other asserts: the denied words are shared, and the two
 * claims share at least `minShared` content words, half of the shorter one's.
 */
export function contradiction(stepA: string, a: ParsedAnswer, stepB: string, b: ParsedAnswer, reference: string, minShared = 3): Contradiction | undefined {
  const exclude = contentWords(reference.replace(/[/:._-]+/g, ' '), new Set())
  let best: Contradiction | undefined
  const consider = (found: Contradiction) => {
    if (found.shared.length > (best?.shared.length ?? 0)) best = found
  }
  const claimsA = claims(a)
  const claimsB = claims(b)
  for (const [rebutting, other, rebutStep, otherStep] of [
    [claimsA, claimsB, stepA, stepB],
    [claimsB, claimsA, stepB, stepA],
  ] as const) {
    for (const claim of rebutting) {
      const proposition = REBUTTAL.exec(claim)?.[1]
      if (!proposition) continue
      const words = contentWords(proposition, exclude)
      for (const asserted of other) {
        if (denial(asserted)) continue
        const shared = [...contentWords(asserted, exclude)].filter((w) => words.has(w)).sort()
        if (shared.length >= minShared) {
          const pair = { step: otherStep, claim: asserted }
          const rebut = { step: rebutStep, claim }
          consider(rebutStep === stepA ? { a: rebut, b: pair, shared } : { a: pair, b: rebut, shared })
        }
      }
    }
  }
  for (const claimA of claimsA) {
    const wordsA = contentWords(claimA, exclude)
    const negA = denial(claimA) !== undefined
    for (const claimB of claimsB) {
      if ((denial(claimB) !== undefined) === negA) continue
      if (PRESCRIPTIVE.test(negA ? claimB : claimA)) continue
      const wordsB = contentWords(claimB, exclude)
      const shared = [...wordsB].filter((w) => wordsA.has(w)).sort()
      const denied = deniedWords(negA ? claimA : claimB, exclude)
      const scoped = shared.some((w) => denied.has(w))
      if (scoped && shared.length >= minShared && shared.length * 2 >= Math.min(wordsA.size, wordsB.size)) {
        consider({ a: { step: stepA, claim: claimA }, b: { step: stepB, claim: claimB }, shared })
      }
    }
  }
  return best
}

/**
 * Conflict tasks: for every pair of answered steps with the same reference that contradict each
 * other, one task on the later step, citing both. Its index follows the later step's findings.
 */
export function conflictTasks(packHash: string, packId: string, steps: readonly RunStep[], parsed: ReadonlyMap<string, ParsedAnswer>, nextIndex: (stepId: string) => number): ActionTask[] {
  const tasks: ActionTask[] = []
  const answered = steps.filter((s) => s.reference && parsed.get(s.step_id) && !parsed.get(s.step_id)?.empty)
  for (let j = 0; j < answered.length; j++) {
    const later = answered[j] as RunStep
    for (let i = 0; i < j; i++) {
      const earlier = answered[i] as RunStep
      if (earlier.reference !== later.reference) continue
      const found = contradiction(earlier.step_id, parsed.get(earlier.step_id) as ParsedAnswer, later.step_id, parsed.get(later.step_id) as ParsedAnswer, later.reference as string)
      if (!found) continue
      const index = nextIndex(later.step_id)
      tasks.push({
        task_id: `OP3-${packHash.slice(0, 8)}-${later.step_id}-${String(index).padStart(2, '0')}`,
        pack_id: packId,
        pack_hash: packHash,
        step_id: later.step_id,
        title: `Resolve: steps ${earlier.step_id} and ${later.step_id} disagree about ${later.reference}`,
        status: 'conflict',
        category: categorize(later.category, found.b.claim),
        reference: later.reference,
        roi: Math.max(earlier.roi, later.roi),
        priority: priorityFor(Math.max(earlier.roi, later.roi)),
        expected_artifacts: [],
        actions: [`Read ${later.reference} and decide which answer holds; then drop or fix the tasks of the other.`],
        acceptance: [`Done when: the decision about ${later.reference} is written down with the evidence for it`],
        evidence: { paths: later.reference ? [later.reference.split(':')[0] as string] : [], symbols: later.reference?.includes(':') ? [later.reference.split(':')[1] as string] : [], commands: [] },
        notes: [`Step ${found.a.step}: ${found.a.claim}`, `Step ${found.b.step}: ${found.b.claim}`, `Shared terms: ${found.shared.join(', ')}`],
        missing_inputs: [],
        depends_on: [],
        source: { output_path: later.output_path, output_hash: later.output_hash },
      })
    }
  }
  return tasks
}
