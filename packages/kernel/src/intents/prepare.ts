import { errorIntentInputInvalid, errorIntentUnknown, errorJobsInvalid } from '../errors/errors.js'
import type { Problem } from '../errors/oracle-error.js'
import type { RegisteredIntent } from '../plugins/types.js'
import { checkValue } from '../schema/validate.js'
import { hashJson } from '../services/hash.js'
import type { JobRequest } from './types.js'

export interface PreparedJob {
  request: JobRequest
  intent: RegisteredIntent
  /** The input after schema validation, with defaults filled in. */
  input: unknown
  inputHash: string
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/

/**
 * Checks a whole run request before anything starts: unique ids, known intents, and every input
 * against its intent's schema. Throws one coded error listing every problem.
 */
export function prepareJobs(jobs: readonly JobRequest[], intents: ReadonlyMap<string, RegisteredIntent>): PreparedJob[] {
  const problems: Problem[] = []
  const seen = new Set<string>()
  const unknown = new Set<string>()
  jobs.forEach((job, index) => {
    const path = `jobs[${index}]`
    if (typeof job.id !== 'string' || !JOB_ID.test(job.id)) {
      problems.push({ message: `job id must be letters, digits and ._:/@- (got ${JSON.stringify(job.id)})`, path: `${path}.id`, rule: 'job-id' })
    } else if (seen.has(job.id)) {
      problems.push({ message: `job id "${job.id}" is used twice`, path: `${path}.id`, rule: 'job-duplicate' })
    }
    seen.add(job.id)
    if (!intents.has(job.intent)) unknown.add(job.intent)
  })
  if (unknown.size > 0) throw errorIntentUnknown([...unknown].join(', '), [...intents.keys()].sort())
  if (problems.length > 0) throw errorJobsInvalid(problems)

  const inputProblems = new Map<string, Problem[]>()
  const prepared = jobs.map((request, index): PreparedJob => {
    const intent = intents.get(request.intent) as RegisteredIntent
    let input = request.input
    if (intent.definition.input) {
      const checked = checkValue(intent.definition.input, request.input, { at: ['jobs', index, 'input'] })
      if (!checked.ok) inputProblems.set(request.intent, [...(inputProblems.get(request.intent) ?? []), ...checked.problems.map((p) => ({ ...p, hint: p.hint ?? `job "${request.id}"` }))])
      input = checked.value
    }
    return { request, intent, input, inputHash: hashJson(input ?? null) }
  })
  const [first] = inputProblems
  if (first) throw errorIntentInputInvalid(first[0], [...inputProblems.values()].flat())
  return prepared
}
