// pack render: the bytes it writes, their order, their quoting, and that they pass --strict.

import { describe, expect, it } from 'vitest'
import { bashArgv } from '../pack/_fixtures/build-pack.js'
import { lintAttachments } from '../pack/lint-attachments.js'
import { parsePack } from '../pack/parse.js'
import { CATEGORIES } from '../pack/rules.js'
import { validatePack } from '../pack/validate.js'
import { manifest, question } from './_fixtures/manifest.js'
import { renderPack, renderStep, shellWord, stepOrder } from './render.js'

describe('renderStep', () => {
  it('writes the header, the command and the heredoc prompt with its metadata block, byte for byte', () => {
    const q = { ...question(1), roi: 4, flags: ['-m', 'gpt 5.1'], attachments: ['src/area-01.ts', 'docs/my notes.md'], expected_artifacts: ['src/area-01.test.ts'] }
    expect(renderStep(q, 3, ['--files-report'])).toBe(
      [
        '# 03) ROI=4.0 impact=0.9 confidence=High effort=0.2 horizon=Immediate category=contracts/interfaces reference=src/area-01.ts:run',
        'oracle --files-report -m "gpt 5.1" \\',
        '  --write-output "$out_dir/03-area-01-question.md" \\',
        '  -f "src/area-01.ts" \\',
        '  -f "docs/my notes.md" \\',
        `  -p "$(cat <<'PROMPT'`,
        '[oraclepack-meta]',
        'QuestionId=area-01-question',
        'Category=contracts/interfaces',
        'Reference=src/area-01.ts:run',
        'ExpectedArtifacts=src/area-01.test.ts',
        '[/oraclepack-meta]',
        '',
        'What breaks first in src/area-01.ts when its input is empty?',
        '',
        'Answer format:',
        '1) Direct answer (1–4 bullets, evidence-cited)',
        '2) Risks/unknowns (bullets)',
        '3) Next smallest concrete experiment (1 action)',
        '4) If evidence is insufficient, name the exact missing file/path pattern(s) to attach next.',
        'PROMPT',
        ')"',
      ].join('\n'),
    )
  })

  it.each([
    ['--files-report', '--files-report'],
    ['gpt-5.1', 'gpt-5.1'],
    ['a b', '"a b"'],
    ['$HOME', '"\\$HOME"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash`tick`', '"back\\\\slash\\`tick\\`"'],
    ['~/x', '"~/x"'],
    ['', '""'],
  ])('quotes %j as %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted)
  })

  it('gives oracle exactly the argv the parser reads, as real bash does, whatever the text holds', () => {
    const tricky = {
      ...question(2),
      flags: ['--model', 'gpt "5" $x', '--slug', 'a`b`\\c'],
      attachments: ['src/a b.ts', "src/it's.ts"],
      // A line `PROMPT` would end the heredoc, and `PROMPT)` too inside $(…): the tag changes.
      question: 'Does `$HOME` or "$(rm -rf /)" or \\n survive?\nPROMPT\nPROMPT)\nEnd.',
    }
    const text = renderPack(manifest((m) => (m.questions[1] = tricky))).text
    const pack = parsePack(text)
    expect(pack.findings).toEqual([])
    expect(bashArgv(pack.steps.map((s) => s.code).join(''), pack.prelude.code)).toEqual(pack.steps.map((s) => s.invocations[0]!.argv.slice(1)))
    const step = pack.steps.find((s) => s.meta?.questionId === tricky.id)!
    expect(step.invocations[0]!.prompt).toContain('Does `$HOME` or "$(rm -rf /)" or \\n survive?\nPROMPT\nPROMPT)\n')
    expect(step.code).toContain(`-p "$(cat <<'PROMPT_2'`)
    expect(step.invocations[0]!.files).toEqual(['src/a b.ts', "src/it's.ts"])
  })
})

describe('renderPack', () => {
  it('writes a pack that passes --strict, whose steps carry their questions\' metadata', async () => {
    const m = manifest()
    const { text } = renderPack(m)
    const pack = parsePack(text)
    expect(validatePack(pack, 'strict')).toMatchObject({ valid: true, findings: [], counts: { steps: 20, bash_blocks: 1, oracle_invocations: 20 } })
    expect(await lintAttachments(pack, 'strict', { rootDir: '/', checkFiles: false })).toEqual([])
    expect(pack.outDir).toBe('docs/oracle/areas')
    pack.steps.forEach((step, k) => {
      const q = m.questions[k]!
      expect(step.meta).toMatchObject({ questionId: q.id, category: q.category, reference: q.reference, expectedArtifacts: [] })
      expect(step.invocations[0]!.writeOutput?.value).toBe(`docs/oracle/areas/${step.id}-${q.id}.md`)
      expect(step.fields).toEqual({ ROI: q.roi.toFixed(1), impact: '0.9', confidence: 'High', effort: '0.2', horizon: 'Immediate', category: q.category, reference: q.reference })
    })
  })

  it('lays out the file: title, intro, a note, one bash block, the coverage check; a final newline', () => {
    const { text } = renderPack(manifest((m) => m.questions.forEach((q) => q.category === 'feature flags' && (q.category = 'invariants'))))
    expect(text.split('\n').slice(0, 9)).toEqual([
      '# Area questions',
      '',
      'Twenty questions about the areas.',
      '',
      '<!-- Rendered by `oracle pack render` from a pack manifest: edit the manifest and render again. -->',
      '',
      '```bash',
      'out_dir="docs/oracle/areas"',
      'mkdir -p "$out_dir"',
    ])
    expect(text.endsWith('* feature flags: Missing(no question in this category)\n')).toBe(true)
    expect(text.slice(text.indexOf('## Coverage check')).split('\n').filter((l) => l.startsWith('* '))).toEqual(CATEGORIES.map((c) => `* ${c}: ${c === 'feature flags' ? 'Missing(no question in this category)' : 'OK'}`))
    expect(renderPack(manifest((m) => (m.intro = '  \n'))).text.startsWith('# Area questions\n\n<!-- Rendered')).toBe(true)
  })

  it('is deterministic: the same manifest, in any question order or read from JSON, gives the same bytes', () => {
    const a = renderPack(manifest()).text
    expect(renderPack(manifest()).text).toBe(a)
    expect(renderPack(manifest((m) => m.questions.reverse())).text).toBe(a)
    expect(renderPack(JSON.parse(JSON.stringify(manifest()))).text).toBe(a)
  })

  it('sorts by ROI, highest first; ties by lower effort (numbers, then Low/Medium/High, then other words); then as listed', () => {
    const qs = [
      { ...question(1), id: 'w-high', roi: 3, effort: 'High' },
      { ...question(2), id: 'n-05', roi: 3, effort: 0.5 },
      { ...question(3), id: 'top', roi: 4.5, effort: 'High' },
      { ...question(4), id: 'w-low', roi: 3, effort: 'low' },
      { ...question(5), id: 'odd-1', roi: 3, effort: 'XL' },
      { ...question(6), id: 'n-01', roi: 3, effort: 0.1 },
      { ...question(7), id: 'odd-2', roi: 3, effort: 'S' },
      { ...question(8), id: 'last', roi: 0.5, effort: 0.1 },
    ]
    expect(stepOrder(qs).map((k) => qs[k]!.id)).toEqual(['top', 'n-01', 'n-05', 'w-low', 'w-high', 'odd-1', 'odd-2', 'last'])
    const text = renderPack(manifest((m) => m.questions.splice(0, 8, ...qs))).text
    expect(validatePack(parsePack(text), 'strict').findings.filter((f) => f.code === 'PACK_ROI_ORDER')).toEqual([])
  })

  it('appends the answer format only to a question that lacks it', () => {
    const own = 'Why?\n\nAnswer format:\n1) Direct answer\n2) Risks/unknowns\n3) Next smallest concrete experiment\n4) If evidence is insufficient, say so.'
    const { text } = renderPack(manifest((m) => (m.questions[0] = { ...question(1), question: `\n\n${own}\n\n` })))
    const prompt = parsePack(text).steps[0]!.invocations[0]!.prompt!
    expect(prompt.endsWith(`[/oraclepack-meta]\n\n${own}`)).toBe(true)
    expect(prompt.match(/Answer format:/g)).toHaveLength(1)
  })
})
