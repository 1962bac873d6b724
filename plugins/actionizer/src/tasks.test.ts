import { describe, expect, it } from 'vitest'
import { contradiction } from './conflicts.js'
import type { RunStep } from './read-run.js'
import { acceptanceFor, categorize, dedupe, priorityFor, stepTasks, titleOf } from './tasks.js'
import type { ActionTask, ParsedAnswer } from './types.js'

const answer = (...claims: string[]): ParsedAnswer => ({
  sections: { direct_answer: claims.map((text, i) => ({ text, line: i + 1 })), risks: [], next_experiment: [], missing_evidence: [] },
  shape: 'headings',
  insufficient: false,
  missing: [],
  noiseLines: 0,
  empty: claims.length === 0,
})

describe('contradiction', () => {
  it.each([
    {
      name: 'a rebuttal of what the other answer asserts',
      a: 'The schedule is applied to every billing call, including the non-idempotent POST that creates an Invoice.',
      b: 'A claim that it retries non-idempotent invoice creation has no support in this file.',
      found: true,
    },
    {
      name: 'a direct denial of the same predicate',
      a: 'The cache key includes the prompt text and every attached file hash.',
      b: 'The cache key does not include attached file hashes or the prompt text at all.',
      found: true,
    },
    {
      name: 'a negation inside a rule, not a denial',
      a: 'Reject any action pack with more than one fenced bash block of step headers.',
      b: 'Reject any action pack that is not ingestible: exactly one fenced bash block of step headers.',
      found: false,
    },
    {
      name: 'a descriptive negative ("no jitter")',
      a: 'Retries use a fixed schedule with jitter and a budget for every client.',
      b: 'There is a fixed schedule: no jitter, no budget for any client.',
      found: false,
    },
    {
      name: 'a denial against a fix that proposes the denied thing (agreement, not conflict)',
      a: 'It has no readonly type, no as const and no Object.freeze guarding the delays array.',
      b: 'The fix costs nothing: export const delays = Object.freeze([100, 200, 400] as const) for the delays array.',
      found: false,
    },
    {
      name: 'two claims about different things',
      a: 'The parser reads only the first bash fence of the pack.',
      b: 'The runner does not retry a step after a timeout of the engine.',
      found: false,
    },
  ])('$name → $found', ({ a, b, found }) => {
    expect(contradiction('01', answer(a), '02', answer(b), 'src/x.ts') !== undefined).toBe(found)
  })

  it('ignores the reference’s own words and cites both claims', () => {
    const result = contradiction('01', answer('The retry schedule in retry.ts delays every billing call including invoice creation requests.'), '05', answer('A claim that it retries invoice creation requests has no support.'), 'products/billing-api/src/retry.ts:delays')
    expect(result?.a.step).toBe('01')
    expect(result?.b.step).toBe('05')
    expect(result?.shared).not.toContain('retri')
  })
})

describe('titleOf', () => {
  it.each([
    ['Add a lock around `state.json` writes. Then test it.', 'Add a lock around state.json writes'],
    ['**Short answer:** yes', 'Short answer: yes'],
    ['x'.repeat(150), `${'x'.repeat(97)}…`],
    ['Use  many\n  spaces;  then more', 'Use many spaces'],
    ['Rename `retry_delays_ms` to `RETRY_DELAYS`; keep the old name', 'Rename retry_delays_ms to RETRY_DELAYS'],
    ['Run `a; b` in CI before the deploy. Then more.', 'Run a; b in CI before the deploy'],
    ['Guard the importers (e.g. the worker) with a frozen copy. More.', 'Guard the importers (e.g. the worker) with a frozen copy'],
    ['Keep *emphasis* and __bold__ out of snake_case_names', 'Keep emphasis and bold out of snake_case_names'],
  ])('%j → %j', (text, title) => {
    expect(titleOf(text)).toBe(title)
  })
})

describe('categorize (the fixed taxonomy)', () => {
  it.each([
    ['failure modes', 'anything', 'failure modes'],
    ['FAILURE MODES', 'anything', 'failure modes'],
    [null, 'Rotate the API token and scrub secrets', 'permissions'],
    [null, 'Add a backfill for the new column', 'migrations'],
    ['astrology', 'Emit a metric per retry', 'observability'],
    [null, 'Rename the thing', 'contracts/interfaces'],
  ])('step category %j, text %j → %j', (category, text, expected) => {
    expect(categorize(category, text)).toBe(expected)
  })
})

describe('priorityFor (ROI)', () => {
  it.each([
    [4.5, 'critical'],
    [4, 'critical'],
    [3.9, 'high'],
    [2.5, 'high'],
    [2.4, 'medium'],
    [1.5, 'medium'],
    [1.4, 'low'],
    [0, 'low'],
  ] as const)('%d → %s', (roi, priority) => {
    expect(priorityFor(roi)).toBe(priority)
  })
})

const step = (over: Partial<RunStep> = {}): RunStep =>
  ({ step_id: '03', category: 'invariants', reference: 'src/retry.ts', roi: 3, output_path: 'outputs/03.md', output_hash: 'h', status: 'ok', ...over }) as RunStep
const ctx = { packId: 'p', packHash: 'abcdef0123456789', exists: (path: string) => path === 'src/retry.ts' }
const parsedOf = (over: Partial<ParsedAnswer['sections']>, rest: Partial<ParsedAnswer> = {}): ParsedAnswer => ({
  ...answer(),
  empty: false,
  sections: { direct_answer: [], risks: [], next_experiment: [], missing_evidence: [], ...over },
  ...rest,
})
const item = (text: string, line = 1) => ({ text, line })

describe('expected artifacts (files an action asks to create)', () => {
  it.each([
    ['Add `src/retry.test.ts` asserting the order.', ['src/retry.test.ts']],
    ['Freeze the table; then create `src/delays.ts` for it.', ['src/delays.ts']],
    ['Once the write has committed, `src/log.ts` records it.', []],
    ['Add a guard to `src/retry.ts`.', []],
    ['Write a new section in `docs/` about it.', []],
  ])('%j → %j', (text, created) => {
    const [task] = stepTasks(ctx, step(), parsedOf({ direct_answer: [item(text)] }))
    expect(task?.expected_artifacts).toEqual(created)
  })
})

describe('acceptanceFor', () => {
  it('says a finding without checks is addressed, not that it holds', () => {
    expect(acceptanceFor('`delays` is a mutable array.', { paths: [], symbols: [], commands: [] }, [])).toEqual(['Done when: addressed — delays is a mutable array'])
  })
})

describe('stepTasks', () => {
  it('puts the missing evidence of an answered step and its loose risks on its first finding', () => {
    const tasks = stepTasks(
      ctx,
      step(),
      parsedOf(
        {
          direct_answer: [item('The table is mutable.'), item('Freeze it.', 2)],
          risks: [item('Units are implicit.', 3), item('Tests may leak changes.', 4), item('A third risk.', 5)],
          missing_evidence: [item('The importers: `src/worker.ts`.', 6)],
        },
        { missing: ['src/worker.ts'] },
      ),
    )
    expect(tasks.map((t) => t.status)).toEqual(['actionable', 'actionable'])
    expect(tasks[0]?.missing_inputs).toEqual(['src/worker.ts'])
    expect(tasks[0]?.notes).toEqual(['The answer did not see: src/worker.ts (attach to step 03 to confirm it).', 'Risk: Units are implicit.', 'Risk: Tests may leak changes.'])
    expect(tasks[1]?.notes).toEqual([])
  })

  it('marks experiments with their section (exported as investigation)', () => {
    const tasks = stepTasks(ctx, step(), parsedOf({ direct_answer: [item('The table is mutable.')], next_experiment: [item('Run tsc with `as const`.', 2)] }))
    expect(tasks.map((t) => [t.title, t.source.section])).toEqual([
      ['The table is mutable', 'direct_answer'],
      ['Experiment: Run tsc with as const', 'next_experiment'],
    ])
  })
})

describe('the pack\'s metadata block (steps.json question_id, expected_artifacts)', () => {
  const parsed = () => parsedOf({ direct_answer: [item('No change is needed here.'), item('Add `src/retry.test.ts` for the order.', 2), item('Guard the table.', 3)] })

  it('keeps the question id on every task of the step, and gives the expected artifacts to its lead actionable task', () => {
    const tasks = stepTasks(ctx, step({ question_id: 'retry-order', expected_artifacts: ['docs/retry.md', 'src/retry.test.ts'] }), parsed())
    expect(tasks.map((t) => [t.status, t.source.question_id, t.expected_artifacts])).toEqual([
      ['noop', 'retry-order', []],
      ['actionable', 'retry-order', ['src/retry.test.ts', 'docs/retry.md']],
      ['actionable', 'retry-order', []],
    ])
    const blocked = stepTasks(ctx, step({ question_id: 'retry-order', expected_artifacts: ['docs/retry.md'], status: 'failed' }), undefined)
    expect(blocked.map((t) => [t.status, t.source.question_id, t.expected_artifacts])).toEqual([['blocked', 'retry-order', []]])
  })

  it.each([
    ['absent (a run from before the block)', {}],
    ['null and empty', { question_id: null, expected_artifacts: [] }],
  ])('changes nothing when %s', (_name, over) => {
    const tasks = stepTasks(ctx, step(over), parsed())
    expect(tasks).toEqual(stepTasks(ctx, step(), parsed()))
    for (const task of tasks) expect('question_id' in task.source).toBe(false)
  })
})

describe('dedupe', () => {
  const task = (id: string, status: ActionTask['status']): ActionTask =>
    ({ task_id: id, step_id: id.slice(0, 2), status, actions: ['Read src/x.ts and decide.'], evidence: { paths: ['src/x.ts'], symbols: [], commands: [] }, notes: [] }) as unknown as ActionTask
  it.each([
    ['actionable', 1],
    ['noop', 1],
    ['blocked', 2],
    ['conflict', 2],
  ] as const)('two %s tasks with the same action on the same paths → %d kept', (status, kept) => {
    expect(dedupe([task('01-01', status), task('02-01', status)])).toHaveLength(kept)
  })
})
