// The retention rules as a table, in the manner of Jenkins' LogRotatorTest: a history of runs,
// a keep count, and which runs stay (and why) and which go.

import { describe, expect, it } from 'vitest'
import { type Decision, type RunInfo, decideRetention } from './rules.js'

/**
 * A history, oldest first, one word per run: `ok`, `fail`, `run` (in progress: no evidence yet)
 * or `none` (no evidence and no time at all); `+keep` / `+release` mark it. Run i (from 1) is
 * r01, r02…, finished i hours after midnight.
 */
function history(words: string): RunInfo[] {
  return words
    .split(/\s+/)
    .filter(Boolean)
    .map((word, i) => {
      const [status, ...marks] = word.split('+')
      const at = new Date(Date.UTC(2026, 2, 10, i + 1)).toISOString()
      const finished = status === 'ok' || status === 'fail'
      return {
        run_id: `r${String(i + 1).padStart(2, '0')}`,
        finished_at: finished ? at : null,
        started_at: status === 'none' ? null : at,
        exit_status: status === 'ok' ? 'ok' : status === 'fail' ? 'failed' : null,
        keep: marks.includes('keep'),
        release: marks.includes('release'),
      }
    })
}

const repeat = (word: string, n: number) => Array.from({ length: n }, () => word).join(' ')
const ids = (from: number, to: number) => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => `r${String(from > to ? from - i : from + i).padStart(2, '0')}`)

/** The kept runs as `run_id reason`, newest first, and the deleted run ids, newest first. */
function outcome(decisions: Decision[]) {
  return {
    kept: decisions.filter((d) => d.action === 'keep').map((d) => `${d.run_id} ${d.reason}`),
    deleted: decisions.filter((d) => d.action === 'delete').map((d) => d.run_id),
  }
}

describe('decideRetention', () => {
  it.each([
    {
      name: 'keep 3 of 5 failed runs: the 3 newest stay',
      runs: 'fail fail fail fail fail',
      keep: 3,
      kept: ['r05 newest', 'r04 newest', 'r03 newest'],
      deleted: ['r02', 'r01'],
    },
    {
      name: 'keep 3 of 5 good runs: the newest is the last successful, protected, so 3 more stay besides it',
      runs: 'ok ok ok ok ok',
      keep: 3,
      kept: ['r05 last_successful', 'r04 newest', 'r03 newest', 'r02 newest'],
      deleted: ['r01'],
    },
    {
      name: 'keep 10 of 50 failed runs',
      runs: repeat('fail', 50),
      keep: 10,
      kept: ids(50, 41).map((id) => `${id} newest`),
      deleted: ids(40, 1),
    },
    {
      name: 'a run marked keep beyond the limit stays',
      runs: 'fail fail+keep fail fail fail',
      keep: 2,
      kept: ['r05 newest', 'r04 newest', 'r02 marked_keep'],
      deleted: ['r03', 'r01'],
    },
    {
      name: 'a release beyond the limit stays, even a failed one',
      runs: 'fail+release fail fail fail',
      keep: 2,
      kept: ['r04 newest', 'r03 newest', 'r01 release'],
      deleted: ['r02'],
    },
    {
      name: 'marked keep wins over release as the reason',
      runs: 'fail+keep+release fail fail',
      keep: 1,
      kept: ['r03 newest', 'r01 marked_keep'],
      deleted: ['r02'],
    },
    {
      name: 'the last successful run, older than the limit, stays; older good runs go',
      runs: 'ok fail ok fail fail fail',
      keep: 3,
      kept: ['r06 newest', 'r05 newest', 'r04 newest', 'r03 last_successful'],
      deleted: ['r02', 'r01'],
    },
    {
      name: 'a run in progress stays, however old its start',
      runs: 'run fail fail fail',
      keep: 2,
      kept: ['r04 newest', 'r03 newest', 'r01 in_progress'],
      deleted: ['r02'],
    },
    {
      name: 'a run with no evidence and no time sorts oldest and stays',
      runs: 'fail fail fail none',
      keep: 1,
      kept: ['r03 newest', 'r04 in_progress'],
      deleted: ['r02', 'r01'],
    },
    {
      name: 'protected runs are not counted: keep 2 still keeps the 2 newest plain runs',
      runs: 'fail fail fail fail+release fail+keep ok run',
      keep: 2,
      kept: ['r07 in_progress', 'r06 last_successful', 'r05 marked_keep', 'r04 release', 'r03 newest', 'r02 newest'],
      deleted: ['r01'],
    },
    {
      name: 'all failed: there is no last successful run to protect',
      runs: 'fail fail fail',
      keep: 1,
      kept: ['r03 newest'],
      deleted: ['r02', 'r01'],
    },
    {
      name: 'keep 1 of good and failed runs',
      runs: 'ok fail ok fail',
      keep: 1,
      kept: ['r04 newest', 'r03 last_successful'],
      deleted: ['r02', 'r01'],
    },
    {
      name: 'keep more than there are runs: nothing goes',
      runs: 'fail ok',
      keep: 10,
      kept: ['r02 last_successful', 'r01 newest'],
      deleted: [],
    },
    { name: 'no runs', runs: '', keep: 10, kept: [], deleted: [] },
  ])('$name', ({ runs, keep, kept, deleted }) => {
    expect(outcome(decideRetention(history(runs), keep))).toEqual({ kept, deleted })
  })

  it.each([
    {
      name: 'ties in time are ordered by run id, descending code units',
      runs: [
        { id: 'b', at: '2026-03-10T01:00:00.000Z' },
        { id: 'B', at: '2026-03-10T01:00:00.000Z' },
        { id: 'a', at: '2026-03-10T01:00:00.000Z' },
        { id: 'c', at: '2026-03-10T00:00:00.000Z' },
      ],
      order: ['b', 'a', 'B', 'c'],
    },
    {
      name: 'instants are compared as times, not as text (offsets, fractions)',
      runs: [
        { id: 'utc', at: '2026-03-10T10:00:00Z' },
        { id: 'plus-two', at: '2026-03-10T11:30:00+02:00' },
        { id: 'fraction', at: '2026-03-10T10:00:00.500Z' },
      ],
      order: ['fraction', 'utc', 'plus-two'],
    },
  ])('$name', ({ runs, order }) => {
    const infos: RunInfo[] = runs.map(({ id, at }) => ({ run_id: id, finished_at: at, started_at: at, exit_status: 'failed', keep: false, release: false }))
    expect(decideRetention(infos, 10).map((d) => d.run_id)).toEqual(order)
    expect(decideRetention([...infos].reverse(), 10).map((d) => d.run_id)).toEqual(order)
  })

  it('with equal times, the lower run id is the one deleted', () => {
    const at = '2026-03-10T01:00:00.000Z'
    const infos: RunInfo[] = ['run-1', 'run-2', 'run-3'].map((id) => ({ run_id: id, finished_at: at, started_at: at, exit_status: 'failed', keep: false, release: false }))
    expect(outcome(decideRetention(infos, 2)).deleted).toEqual(['run-1'])
  })

  it('the same runs give the same decisions whatever their input order', () => {
    const runs = history('ok fail ok+keep run fail fail+release ok fail fail')
    const expected = decideRetention(runs, 3)
    for (const shuffled of [[...runs].reverse(), [...runs.slice(4), ...runs.slice(0, 4)]]) expect(decideRetention(shuffled, 3)).toEqual(expected)
  })

  it.each([-1, 1.5, Number.NaN])('refuses keep %s', (keep) => {
    expect(() => decideRetention([], keep)).toThrow(RangeError)
  })
})
