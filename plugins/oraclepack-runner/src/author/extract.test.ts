// pack extract, and the round trip on real packs: extract → render → parse gives the same steps.

import { readFileSync } from 'node:fs'
import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { readStrategistPack } from '../pack/_fixtures/build-pack.js'
import { stripMeta } from '../pack/meta.js'
import { parsePack } from '../pack/parse.js'
import { ANSWER_FORMAT_TEXT } from '../pack/rules.js'
import type { Pack } from '../pack/types.js'
import { validatePack } from '../pack/validate.js'
import { splitFileArgs } from '../run/attachments.js'
import { manifest } from './_fixtures/manifest.js'
import { extractManifest, formatManifest, stepFlags } from './extract.js'
import { manifestProblems } from './load-manifest.js'
import { type PackManifest, PackManifestSchema } from './manifest.js'
import { renderPack } from './render.js'

const EXAMPLE = new URL('../../../../examples/workspace/packs/fleet-review-pack.md', import.meta.url)

/** A pack → its manifest file → the manifest as `pack render` reads it (schema and checks passed). */
function throughFile(pack: Pack, name = 'pack.manifest.yaml'): PackManifest {
  const text = formatManifest(extractManifest(pack, 'pack').manifest, name)
  const checked = checkValue<PackManifest>(PackManifestSchema, parseYaml(text))
  expect(checked.problems).toEqual([])
  expect(manifestProblems(checked.value)).toEqual([])
  return checked.value
}

/** What a step sends oracle: the header's fields, the flags, the files, the output and the prompt (without its metadata block). */
const sent = (pack: Pack) =>
  pack.steps.map((step) => {
    const inv = step.invocations[0]!
    return { id: step.id, roi: step.roi, fields: step.fields, flags: stepFlags(inv.argv), files: splitFileArgs(inv.files), output: inv.writeOutput?.value, prompt: stripMeta(inv.prompt ?? '') }
  })

describe('the round trip on the real strategist pack', () => {
  const original = parsePack(readStrategistPack())

  it('extract → render → parse gives the same steps; step 18 gains the answer format its cut prompt lost', () => {
    const rendered = parsePack(renderPack(throughFile(original)).text)
    const [before, after] = [sent(original), sent(rendered)]
    expect(after.map(({ prompt: _, ...rest }) => rest)).toEqual(before.map(({ prompt: _, ...rest }) => rest))
    expect(after.map((s) => s.prompt).filter((_, k) => k !== 17)).toEqual(before.map((s) => s.prompt).filter((_, k) => k !== 17))
    expect(after[17]!.prompt).toBe(`${before[17]!.prompt}\n\n${ANSWER_FORMAT_TEXT}`)
    expect(validatePack(rendered, 'strict')).toMatchObject({ valid: true, findings: [] })
    // the steps now carry their metadata, from the header and the output names
    expect(rendered.steps[0]!.meta).toMatchObject({ questionId: 'permissions-sanitize', category: 'permissions', reference: 'internal/exec/sanitize.go:Sanitize' })
  })

  it('gives all 20 steps back unchanged once step 18 escapes its quotes', () => {
    const fixed = parsePack(readStrategistPack().replace('checks a "skip confirm" flag', 'checks a \\"skip confirm\\" flag'))
    expect(sent(parsePack(renderPack(throughFile(fixed)).text))).toEqual(sent(fixed))
  })

  it('gives the example pack\'s steps back unchanged', () => {
    const example = parsePack(readFileSync(EXAMPLE, 'utf8'))
    const rendered = parsePack(renderPack(throughFile(example)).text)
    expect(sent(rendered)).toEqual(sent(example))
    expect(validatePack(rendered, 'strict')).toMatchObject({ valid: true, findings: [] })
  })
})

describe('extract after render', () => {
  it.each([
    ['a hand-made manifest', () => manifest((m) => (m.questions[3] = { ...m.questions[3]!, flags: ['-m', 'gpt-5.1'], expected_artifacts: ['a.test.ts', 'docs/b.md'] }))],
    ['the strategist pack\'s manifest', () => throughFile(parsePack(readStrategistPack()))],
  ])('renders %s again byte for byte, and extracts the same file', (_name, make) => {
    const first = renderPack(make()).text
    const again = throughFile(parsePack(first))
    expect(renderPack(again).text).toBe(first)
    expect(formatManifest(extractManifest(parsePack(first), 'x').manifest)).toBe(formatManifest(extractManifest(parsePack(renderPack(again).text), 'x').manifest))
  })

  it('writes JSON with sorted keys for a .json name, the same data as the YAML', () => {
    const { manifest: m } = extractManifest(parsePack(renderPack(manifest()).text), 'x')
    const json = formatManifest(m, 'pack.manifest.json')
    expect(json.endsWith('}\n')).toBe(true)
    expect(JSON.parse(json)).toEqual(parseYaml(formatManifest(m, 'pack.manifest.yaml')))
    expect(Object.keys(JSON.parse(json))).toEqual(['intro', 'oracle_flags', 'out_dir', 'questions', 'schema_version', 'title'])
  })
})

describe('extractManifest', () => {
  const pack = [
    'Some notes, no title.',
    '```bash',
    'model=gpt-5.1',
    '# 01) ROI=2 impact=High category=UX flows reference=src/a.ts owner=me',
    'oracle --files-report -m "$model" --write-output "out/01-ux-one.md" -f a.ts b.ts --file=c.ts -p "Why [oraclepack-meta] QuestionId=first-question ExpectedArtifacts=x.md [/oraclepack-meta] is it so?"',
    '# 02) ROI=1.5 impact=Low confidence=1 effort=Low horizon=NearTerm category=invariants reference=src/b.ts',
    'oracle --files-report -m other "Positional prompt, and oracle_flags stop before -m." -f "d.ts,e.ts"',
    '# 03) ROI=1 category=astrology',
    'oracle --files-report --write-output "out/03-ux-one.md" -p "Third"',
    '```',
  ].join('\n')

  it('takes what oracle would receive, and notes what it had to make up or leave out', () => {
    const { manifest: m, notes } = extractManifest(parsePack(pack), 'my-pack')
    expect(m).toEqual({
      schema_version: 1,
      title: 'my-pack',
      intro: 'Some notes, no title.',
      out_dir: '.',
      oracle_flags: ['--files-report'],
      questions: [
        { id: 'first-question', category: 'UX flows', reference: 'src/a.ts', roi: 2, impact: 'High', confidence: 'Unknown', effort: 'Unknown', horizon: 'Unknown', attachments: ['a.ts', 'b.ts', 'c.ts'], expected_artifacts: ['x.md'], flags: ['-m', 'gpt-5.1'], question: 'Why is it so?' },
        { id: 'invariants-02', category: 'invariants', reference: 'src/b.ts', roi: 1.5, impact: 'Low', confidence: 1, effort: 'Low', horizon: 'NearTerm', attachments: ['d.ts', 'e.ts'], flags: ['-m', 'other'], question: 'Positional prompt, and oracle_flags stop before -m.' },
        { id: 'ux-one', category: 'astrology', reference: 'Unknown', roi: 1, impact: 'Unknown', confidence: 'Unknown', effort: 'Unknown', horizon: 'Unknown', question: 'Third' },
      ],
    })
    expect(notes.map((n) => [n.step ?? null, n.message.slice(0, 40)])).toEqual([
      [null, 'The pack has no `# <title>` line before '],
      [null, 'The prelude sets no out_dir; the manifes'],
      ['01', 'Header field `owner=` has no place in th'],
      ['01', 'The header has no confidence=; the manif'],
      ['01', 'The header has no effort=; the manifest '],
      ['01', 'The header has no horizon=; the manifest'],
      ['03', 'The header has no reference=; the manife'],
      ['03', 'The header has no impact=; the manifest '],
      ['03', 'The header has no confidence=; the manif'],
      ['03', 'The header has no effort=; the manifest '],
      ['03', 'The header has no horizon=; the manifest'],
    ])
  })

  it('gives the next question the step number when an id is taken', () => {
    const twice = pack.replace('out/03-ux-one.md', 'out/03-first-question.md')
    expect(extractManifest(parsePack(twice), 'x').manifest.questions.map((q) => q['id'])).toEqual(['first-question', 'invariants-02', 'first-question-03'])
  })
})
