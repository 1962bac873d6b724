import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { CLI, CLI_GATE, CLI_HEAL, CLI_RUNS, DASH, DOSSIERS, FLEET_OPS, FLEET_OPS_RUNS, PRODUCTS, SEED5, lastRun } from './_fixtures/fleet.js'
import { type ScienceInputs, buildScienceIndex, intentNamed, isFailedExit, laneStatus, resolveProof, runOfLink, scienceIndexText } from './build.js'
import { type AcceptanceProofLike, type DossierLike, type ProofStatus, ScienceIndex } from './schema.js'

const lastRuns: ScienceInputs['lastRuns'] = new Map([
  [FLEET_OPS, { ...lastRun(FLEET_OPS, FLEET_OPS_RUNS), source: `dash/runs/${FLEET_OPS}/last_run.json` }],
  [CLI, { ...lastRun(CLI, CLI_RUNS), source: `dash/runs/${CLI}/last_run.json` }],
])
const heal: ScienceInputs['heal'] = new Map([[CLI, { ...CLI_HEAL, source: `dash/heal/${CLI}.json` }]])
const INPUTS: ScienceInputs = { dossiers: DOSSIERS, lastRuns, heal, productIds: PRODUCTS }

/** Builds, and checks the index against its schema as every test does. */
function build(inputs: ScienceInputs): ScienceIndex {
  const index = buildScienceIndex(inputs)
  const checked = checkValue(ScienceIndex, index)
  expect(checked.problems).toEqual([])
  expect(checked.ok).toBe(true)
  return index
}

const GC = FLEET_OPS_RUNS.gc_runs!
const DRIFT = FLEET_OPS_RUNS.drift_check!
const VALIDATE = FLEET_OPS_RUNS.validate!
const CLI_TEST = CLI_RUNS.test!
const CLI_VALIDATE = CLI_RUNS.validate!
const runLink = (product: string, run_id: string, file = '/evidence.json') => `dash/runs/${product}/${run_id}${file}`
const proof = (text: string, status: ProofStatus = 'pending', evidence: string[] = []): AcceptanceProofLike => ({ text, status, evidence })

describe('run linking: the evidence link first, else the intent the text names', () => {
  it.each([
    ['evidence.json of a known run', proof('gc works', 'pending', [runLink(FLEET_OPS, GC.run_id)]), GC],
    ['a file deeper in the run folder', proof('gc works', 'pending', [runLink(FLEET_OPS, GC.run_id, '/logs/stdout.log')]), GC],
    ['the run folder itself', proof('gc works', 'pending', [runLink(FLEET_OPS, GC.run_id, '')]), GC],
    ['a ./ prefix', proof('gc works', 'pending', [`./${runLink(FLEET_OPS, DRIFT.run_id)}`]), DRIFT],
    ['the second link when the first is no run', proof('gc works', 'pending', ['docs/gc.md', runLink(FLEET_OPS, GC.run_id)]), GC],
    ['a run of another product, named by the path', proof('cli checked', 'pending', [runLink(CLI, CLI_TEST.run_id)]), CLI_TEST],
    ['a link wins over an intent word', proof('drift_check reports', 'pending', [runLink(FLEET_OPS, GC.run_id)]), GC],
    ['an unknown run id falls back to the intent word', proof('validate is green', 'pending', [runLink(FLEET_OPS, `${FLEET_OPS}.validate.00000000`)]), VALIDATE],
    ['an unknown run id and no intent word', proof('it works', 'pending', [runLink(FLEET_OPS, `${FLEET_OPS}.validate.00000000`)]), null],
    ['a link outside the runs folder', proof('it works', 'pending', [`tests/${GC.run_id}/evidence.json`]), null],
    ['an intent as a whole word', proof('drift_check produces report artifact'), DRIFT],
    ['an intent in any case', proof('Validate passes'), VALIDATE],
    ['the intent named first', proof('after drift_check, validate again'), DRIFT],
    ['an intent inside a word is no name: validates', proof('schedule schema validates example schedules'), null],
    ['an intent inside a word is no name: gc_runs_x', proof('gc_runs_x is a file'), null],
    ['an intent the product never ran', proof('the test suite is green'), null],
    ['no intent, no link', proof('Dash shows Science Lane with status'), null],
  ])('%s', (_name, given, expected) => {
    expect(resolveProof(given, FLEET_OPS, { lastRuns }).run).toEqual(expected && { run_id: expected.run_id, exit_status: expected.exit_status, finished_at: expected.finished_at })
  })

  it('finds the intent words of the product that ran them, and none for a product that never ran', () => {
    expect(resolveProof(proof('the test suite is green'), CLI, { lastRuns }).run).toEqual(CLI_TEST)
    expect(resolveProof(proof('the test suite is green'), DASH, { lastRuns }).run).toBeNull()
    expect(intentNamed('tests and test_x and retest', ['test'])).toBeUndefined()
    expect(intentNamed('run (test).', ['test'])).toBe('test')
  })

  it('reads links under the configured runs folder', () => {
    const moved = `runs/${FLEET_OPS}/${GC.run_id}/evidence.json`
    expect(runOfLink(moved, lastRuns, 'runs/')).toEqual(GC)
    expect(runOfLink(moved, lastRuns)).toBeUndefined()
    expect(runOfLink(runLink(FLEET_OPS, GC.run_id), lastRuns, 'runs')).toBeUndefined()
  })
})

describe('proof status: what the dossier says, except a pending proof whose linked run failed', () => {
  const link = (exit_status: string) => {
    const runs = new Map([[FLEET_OPS, { ...lastRun(FLEET_OPS, { test: { run_id: 'r1', exit_status, finished_at: '2026-03-10T08:00:00.000Z' } }), source: 'x' }]])
    return { runs, evidence: [runLink(FLEET_OPS, 'r1')] }
  }
  it.each<[string, ProofStatus, string, 'link' | 'word', ProofStatus]>([
    ['pending, linked run failed', 'pending', 'failed', 'link', 'fail'],
    ['pending, linked run failed_test', 'pending', 'failed_test', 'link', 'fail'],
    ['pending, linked run timed out', 'pending', 'timeout', 'link', 'fail'],
    ['pending, linked run ran out of retries', 'pending', 'retry_exhausted', 'link', 'fail'],
    ['pending, linked run ok', 'pending', 'ok', 'link', 'pending'],
    ['pending, linked run stopped by the kill switch (proves nothing)', 'pending', 'stopped_kill_switch', 'link', 'pending'],
    ['pending, linked run could not start (proves nothing)', 'pending', 'error', 'link', 'pending'],
    ['pending, the named intent failed: evidence beats intent', 'pending', 'failed_test', 'word', 'pending'],
    ['pass, linked run failed: the dossier decides', 'pass', 'failed_test', 'link', 'pass'],
    ['fail, linked run ok: the dossier decides', 'fail', 'ok', 'link', 'fail'],
    ['pass, nothing linked', 'pass', 'ok', 'word', 'pass'],
  ])('%s', (_name, status, exit_status, by, expected) => {
    const { runs, evidence } = link(exit_status)
    const given = by === 'link' ? proof('it holds', status, evidence) : proof('the test suite holds', status)
    const resolved = resolveProof(given, FLEET_OPS, { lastRuns: runs })
    expect(resolved.run?.exit_status).toBe(exit_status)
    expect(resolved.status).toBe(expected)
  })

  it('failed exit statuses are the ones where the command ran and did not pass', () => {
    const failed = ['failed', 'failed_validate', 'failed_test', 'failed_report', 'timeout', 'retry_exhausted']
    const notFailed = ['ok', 'stopped', 'stopped_kill_switch', 'stopped_health', 'error']
    expect([...failed, ...notFailed].filter(isFailedExit)).toEqual(failed)
  })
})

describe('lane status', () => {
  it.each<[ProofStatus[], string, string]>([
    [['pass', 'fail', 'pending'], 'approved', 'failing'],
    [['fail'], 'draft', 'failing'],
    [['pass', 'pass'], 'approved', 'proven'],
    [['pass'], 'draft', 'proven'],
    [['pending', 'pending'], 'draft', 'not_started'],
    [[], 'draft', 'not_started'],
    [['pending'], 'approved', 'in_progress'],
    [[], 'approved', 'in_progress'],
    [['pass', 'pending'], 'draft', 'in_progress'],
    [['pass', 'pending'], 'done', 'in_progress'],
  ])('%j in a %s dossier → %s', (statuses, dossierStatus, expected) => {
    expect(laneStatus(statuses, dossierStatus)).toBe(expected)
  })

  it('a pending proof linked to a failed run makes the whole lane failing', () => {
    const index = build(INPUTS)
    const seed = index.dossiers.find((d) => d.dossier_id === SEED5.dossier_id)!
    expect(seed.proofs.map((p) => p.status)).toEqual(['pass', 'pending', 'fail', 'pending', 'pending'])
    expect(seed.proofs.map((p) => p.run?.run_id ?? null)).toEqual([null, null, GC.run_id, DRIFT.run_id, null])
    expect(seed.lane_status).toBe('failing')
    const gate = index.dossiers.find((d) => d.dossier_id === CLI_GATE.dossier_id)!
    expect(gate.proofs.map((p) => [p.status, p.run?.run_id ?? null])).toEqual([
      ['pass', CLI_VALIDATE.run_id],
      ['pending', CLI_TEST.run_id],
    ])
    expect(gate.lane_status).toBe('in_progress')
  })
})

describe('the index', () => {
  it('lists every declared product, its runs and its heal state; a stopped heal says how to re-arm', () => {
    const index = build(INPUTS)
    expect(index.products.map((p) => p.product_id)).toEqual([CLI, DASH, FLEET_OPS])
    const [cli, dash, fleet] = index.products
    expect(dash).toEqual({ product_id: DASH, last_run: null, intents: {}, heal: [] })
    expect(fleet?.last_run).toEqual({ intent: 'drift_check', exit_status: 'ok', finished_at: DRIFT.finished_at, evidence: `dash/runs/${FLEET_OPS}/${DRIFT.run_id}/evidence.json` })
    expect(Object.keys(fleet?.intents ?? {})).toEqual(['drift_check', 'gc_runs', 'validate'])
    expect(cli?.heal).toEqual([
      { intent: 'test', state: 'stopped', attempts: 1, stopped_at: '2026-03-09T09:31:00.000Z', rearm: `oracle fleet heal rearm ${CLI} --intent test` },
      { intent: 'validate', state: 'armed', attempts: 0, stopped_at: null, rearm: null },
    ])
    expect(index.summary).toEqual({ dossiers: 2, proofs: { pass: 2, pending: 4, fail: 1 }, products: 3 })
    expect(index.generated_from).toEqual({
      dossiers: ['docs/pm/dossiers/DOS-20251201-cli-release-gate.md', 'docs/pm/dossiers/DOS-20251222-fleet-ops-schedules-and-science-lane.md'],
      runs: [`dash/runs/${CLI}/last_run.json`, `dash/runs/${FLEET_OPS}/last_run.json`],
      heal: [`dash/heal/${CLI}.json`],
    })
  })

  it('adds a product a dossier names even when it is not declared, and an empty fleet is a valid index', () => {
    const stray: DossierLike = { ...CLI_GATE, dossier_id: 'DOS-x', product_id: 'stray', acceptance_proofs: [] }
    expect(build({ ...INPUTS, dossiers: [stray] }).products.map((p) => p.product_id)).toEqual([CLI, DASH, FLEET_OPS, 'stray'])
    const empty = build({ dossiers: [], lastRuns: new Map(), heal: new Map(), productIds: [] })
    expect(empty).toEqual({ schema_version: 1, generated_from: { dossiers: [], runs: [], heal: [] }, summary: { dossiers: 0, proofs: { pass: 0, pending: 0, fail: 0 }, products: 0 }, dossiers: [], products: [] })
  })

  it('does not share arrays with its inputs', () => {
    const index = build(INPUTS)
    index.dossiers[0]!.proofs[0]!.evidence.push('x')
    index.dossiers[0]!.evidence_links.push('x')
    expect(CLI_GATE.acceptance_proofs[0]!.evidence).toHaveLength(1)
    expect(CLI_GATE.evidence_links).toHaveLength(1)
  })
})

describe('determinism', () => {
  // a small seeded generator: the permutations are the same on every run
  function shuffler(seed: number) {
    let state = seed
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31
      return state / 2 ** 31
    }
    return <T>(items: readonly T[]): T[] => {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    }
  }
  const reorder = <T extends object>(record: T, shuffle: <U>(items: readonly U[]) => U[]): T => Object.fromEntries(shuffle(Object.entries(record))) as T

  it('shuffled inputs give the same bytes', () => {
    const expected = scienceIndexText(build(INPUTS))
    for (let seed = 1; seed <= 25; seed++) {
      const shuffle = shuffler(seed)
      const shuffled: ScienceInputs = {
        dossiers: shuffle(INPUTS.dossiers).map((d) => reorder({ ...d, hypothesis: reorder(d.hypothesis, shuffle) }, shuffle)),
        lastRuns: new Map(shuffle([...lastRuns]).map(([id, run]) => [id, reorder({ ...run, intents: reorder(run.intents, shuffle) }, shuffle)])),
        heal: new Map(shuffle([...heal]).map(([id, state]) => [id, { ...state, intents: reorder(state.intents, shuffle) }])),
        productIds: shuffle(PRODUCTS),
      }
      expect(scienceIndexText(build(shuffled))).toBe(expected)
    }
  })

  it('has no clock in it: no generated_at, and text ends with one newline', () => {
    const text = scienceIndexText(build(INPUTS))
    expect(text).not.toMatch(/generated_at/)
    expect(text.endsWith('}\n')).toBe(true)
    expect(JSON.parse(text)).toEqual(build(INPUTS))
  })
})
