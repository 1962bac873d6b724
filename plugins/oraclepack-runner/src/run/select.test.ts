import { describe, expect, it } from 'vitest'
import type { StepRecord } from './manifest.js'
import type { StepPlan } from './plan.js'
import { parseRerun, passesRoi, selectSteps } from './select.js'

const ids = ['01', '02', '03', '04']

describe('parseRerun', () => {
  it.each([
    [undefined, { kind: 'resume' }],
    ['all', { kind: 'all' }],
    ['failed', { kind: 'failed' }],
    ['03,01', { kind: 'steps', ids: ['01', '03'] }],
    ['1, 4,1', { kind: 'steps', ids: ['01', '04'] }],
  ])('%j → %j', (value, expected) => {
    expect(parseRerun(value, ids)).toEqual(expected)
  })

  it.each(['05', 'everything', '', '1-3', '01;02'])('%j is ORACLE_PACK_RERUN_INVALID', (value) => {
    expect(() => parseRerun(value, ids)).toThrow(expect.objectContaining({ code: 'ORACLE_PACK_RERUN_INVALID', exitCode: 2 }))
  })
})

describe('passesRoi (oraclepack --roi-threshold/--roi-mode)', () => {
  it.each([
    [3, 0, 'over', true],
    [3, 3, 'over', true],
    [2.9, 3, 'over', false],
    [2.9, 3, 'under', true],
    [3, 3, 'under', false],
    [0, 0, 'under', true],
  ] as const)('roi %d, threshold %d, %s → %s', (roi, threshold, mode, expected) => {
    expect(passesRoi(roi, threshold, mode)).toBe(expected)
  })
})

describe('selectSteps', () => {
  const plans = ids.map((id, i) => ({ id, roi: 4 - i }) as StepPlan)
  const records = new Map<string, StepRecord>(
    (['ok', 'failed', 'pending', 'ok'] as const).map((status, i) => [ids[i] as string, { status } as StepRecord]),
  )
  const intact = new Set(['01']) // step 04 says ok but its answer is gone

  it.each([
    [{ kind: 'resume' } as const, ['02', '03', '04']],
    [{ kind: 'all' } as const, ['01', '02', '03', '04']],
    [{ kind: 'failed' } as const, ['02']],
    [{ kind: 'steps', ids: ['01', '03'] } as const, ['01', '03']],
  ])('%j runs %j', (rerun, expected) => {
    expect(selectSteps(plans, records, intact, rerun, 0, 'over')).toEqual({ run: expected, skip: [] })
  })

  it('the ROI filter skips steps below the threshold', () => {
    expect(selectSteps(plans, records, intact, { kind: 'all' }, 2.5, 'over')).toEqual({ run: ['01', '02'], skip: ['03', '04'] })
  })
})
