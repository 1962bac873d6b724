// The real strategist pack from oraclepack's docs, byte for byte (shared/fixtures/README.md).

import { describe, expect, it } from 'vitest'
import { bashArgv, readStrategistPack } from './_fixtures/build-pack.js'
import { parsePack } from './parse.js'
import { validatePack } from './validate.js'

const text = readStrategistPack()
const pack = parsePack(text)
const OUT_DIR = 'docs/oracle/strategist-questions/2026-01-02'

describe('the strategist pack of 2026-01-02', () => {
  it('has no trailing newline and a stray line before the fence, as in the field', () => {
    expect(text.endsWith('\n')).toBe(false)
    expect(text.split('\n')[0]).toBe('Output file: docs/strategist-questions-oracle-pack-2026-01-02.md')
  })

  it('parses as oraclepack does: 20 steps 01..20, ROIs from the headers, out_dir from the prelude', () => {
    expect(pack.steps.map((s) => s.id)).toEqual(Array.from({ length: 20 }, (_, k) => String(k + 1).padStart(2, '0')))
    expect(pack.steps.map((s) => s.roi)).toEqual([4.5, 4.0, 3.5, 3.5, 3.2, 3.0, 2.8, 2.5, 2.5, 2.4, 2.4, 2.1, 2.1, 2.0, 2.0, 2.0, 1.8, 1.8, 1.8, 1.6])
    expect(pack).toMatchObject({ bashBlocks: 1, fenceLine: 25, outDir: OUT_DIR, writeOutput: false })
    expect(pack.prelude).toEqual({ code: `out_dir="${OUT_DIR}"\nmkdir -p "$out_dir"\n`, vars: { out_dir: OUT_DIR } })
    expect(pack.steps[0]).toMatchObject({
      line: 29,
      endLine: 46,
      title: '# 01)  impact=0.9 confidence=0.9 effort=0.2 horizon=Strategic category=permissions reference=internal/exec/sanitize.go:Sanitize',
    })
    expect(pack.steps[2]!.fields).toEqual({ ROI: '3.5', impact: '0.7', confidence: '0.8', effort: '0.2', horizon: 'Immediate', category: 'failure modes', reference: 'internal/exec/runner.go:Run' })
    expect(pack.steps.map((s) => s.fields['category'])).toContain('UX flows')
  })

  it('has one oracle command per step, writing to out_dir/NN-….md', () => {
    for (const step of pack.steps) {
      expect(step.invocations).toHaveLength(1)
      const [inv] = step.invocations
      expect(inv!.argv.slice(0, 4)).toEqual(['oracle', '--files-report', '--write-output', inv!.writeOutput!.value])
      expect(inv!.writeOutput!.value).toMatch(new RegExp(`^${OUT_DIR}/${step.id}-[a-z-]+\\.md$`))
      expect(inv!.writeOutput!.line).toBe(step.line + 1)
      expect(inv!.files.length).toBeGreaterThan(0)
    }
    expect(pack.steps[0]!.invocations[0]!.files).toEqual(['internal/exec/sanitize.go', 'internal/exec/inject.go'])
    expect(pack.steps[0]!.invocations[0]!.prompt).toMatch(/^Strategist question #01\nReference: internal\/exec\/sanitize.go:Sanitize\n[\s\S]*attach next\.$/)
  })

  it('gives each step the argv real bash gives it', () => {
    const prelude = pack.prelude.code
    expect(bashArgv(pack.steps.map((s) => s.code).join(''), prelude)).toEqual(pack.steps.map((s) => s.invocations[0]!.argv.slice(1)))
  })

  // Step 18's prompt holds `"skip confirm"` unescaped inside "…": bash ends the prompt at
  // `…checks a skip`, and `confirm flag. … attach next.` becomes a stray word that oracle ignores.
  // The model would get the question without its answer format. A real defect of the pack.
  it('has one real defect, in step 18: an unescaped quote cuts the prompt (valid by default, not in strict)', () => {
    const step = pack.steps[17]!
    expect(step.invocations[0]!.prompt).toMatch(/checks a skip$/)
    const summary = (mode: 'default' | 'strict') => validatePack(pack, mode).findings.map((f) => [f.code, f.severity, f.line, f.step])
    expect(summary('default')).toEqual([['PACK_STRAY_ARGUMENT', 'warning', 343, '18']])
    expect(validatePack(pack, 'default')).toMatchObject({ valid: true, errors: 0, warnings: 1 })
    expect(summary('strict')).toEqual([
      ['PACK_ANSWER_FORMAT', 'error', 336, '18'],
      ['PACK_STRAY_ARGUMENT', 'error', 343, '18'],
    ])
  })

  it('is valid under strict once step 18 escapes its quotes', () => {
    const fixed = parsePack(text.replace('checks a "skip confirm" flag', 'checks a \\"skip confirm\\" flag'))
    expect(fixed.steps[17]!.invocations[0]!.prompt).toMatch(/checks a "skip confirm" flag\.\n[\s\S]*attach next\.$/)
    expect(validatePack(fixed, 'strict')).toEqual({
      valid: true,
      mode: 'strict',
      counts: { steps: 20, bash_blocks: 1, oracle_invocations: 20 },
      findings: [],
      errors: 0,
      warnings: 0,
    })
  })
})
