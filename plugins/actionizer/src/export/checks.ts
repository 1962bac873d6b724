// Acceptance criteria in the orchestrator plan's check forms (seed 4): `File exists: <path>`,
// `Contains: <text>`, `Tests pass: <command>`. Only unambiguous wordings are converted; anything
// else stays free text, which the orchestrator shows to a human or an agent as it is.

import type { ActionTask } from '../types.js'
import { isGlob, oneLine } from './text.js'

export interface Check {
  /** The criterion as the plan writes it. */
  text: string
  kind: 'file_exists' | 'contains' | 'tests_pass' | 'text'
  /** The path, text or command the check is about (none for free text). */
  subject?: string
}

const SEED_FORM = /^(file exists|contains|tests pass)\s*:\s*(\S.*)$/i
const TEST_COMMAND = /\b(?:go test|cargo (?:test|nextest)|(?:npm|pnpm|yarn|bun)(?: run)? test|npx (?:vitest|jest)|vitest|jest|mocha|pytest|tox|ctest|make (?:test|check)|mvn test|gradlew? test|dotnet test|rspec)\b/
const PASSES = /\b(?:pass|passes|passing|passed|succeeds?|green|exits? (?:with )?(?:code )?0)\b/i
const EXISTS = /^(?:(?:a|an|the|new)\s+)*(?:file\s+)?`?([^\s`]+)`?\s+(?:now\s+)?(?:exists|is\s+(?:created|added|present))\.?$/i
const CONTAINS = /^(?:(?:the\s+)?file\s+)?`?([^\s`]+)`?\s+(?:contains|defines|declares|includes)\s+`([^`]+)`\.?$/i

/** One criterion as a plan check; `evidence` supplies the test command and the files a `Contains` may name. */
export function toCheck(criterion: string, evidence: ActionTask['evidence']): Check {
  const text = oneLine(criterion)
  const seed = SEED_FORM.exec(text)
  if (seed) {
    const kind = seed[1]?.toLowerCase() === 'file exists' ? 'file_exists' : seed[1]?.toLowerCase() === 'contains' ? 'contains' : 'tests_pass'
    return checkOf(kind, seed[2] as string)
  }
  const quoted = [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)
  if (PASSES.test(text)) {
    const command = quoted.find((q) => TEST_COMMAND.test(q))
    if (command) return checkOf('tests_pass', command)
    const tests = evidence.commands.filter((c) => TEST_COMMAND.test(c))
    // "All tests pass" names no command: use the answer's only test command, never a guess among several.
    if (quoted.length === 0 && /\btests?\b/i.test(text) && tests.length === 1) return checkOf('tests_pass', tests[0] as string)
  }
  const exists = EXISTS.exec(text)
  if (exists && isPathLike(exists[1] as string)) return checkOf('file_exists', exists[1] as string)
  // The seed's `Contains:` names no file: convert only when the file is one of the task's paths.
  const contains = CONTAINS.exec(text)
  if (contains && evidence.paths.includes(contains[1] as string)) return checkOf('contains', contains[2] as string)
  return { text, kind: 'text' }
}

function checkOf(kind: Exclude<Check['kind'], 'text'>, subject: string): Check {
  const label = kind === 'file_exists' ? 'File exists' : kind === 'contains' ? 'Contains' : 'Tests pass'
  const clean = oneLine(subject)
  return { text: `${label}: ${clean}`, kind, subject: clean }
}

function isPathLike(text: string): boolean {
  return !isGlob(text) && (text.includes('/') || /\.[A-Za-z0-9]+$/.test(text))
}
