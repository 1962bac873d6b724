// pack prompt / extract / render through the real CLI: files, output, exit codes; and what the
// metadata block and the attachment lint change for pack validate and pack run.
import { existsSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { renderPrompt } from '../author/prompt.js'
import { FIXTURE_PACK, type PackWorkspace, makePack, packWorkspace, readJson, runDirOf } from '../_test/harness.js'

let ws: PackWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

describe('pack prompt', () => {
  it('prints the canonical prompt, or writes it in a generator\'s format', async () => {
    ws = await packWorkspace({ steps: 1 })
    const plain = await ws.oracle(['pack', 'prompt'])
    expect(plain.code).toBe(0)
    expect(plain.stdout).toBe(await renderPrompt('plain'))
    const written = await ws.oracle(['pack', 'prompt', '--format', 'gemini-command', '--out', '.gemini/commands/oraclepack.toml'])
    expect(written.code).toBe(0)
    expect(written.stdout).toMatch(/^wrote \.gemini\/commands\/oraclepack\.toml \(gemini-command, \d+ bytes\)\n$/)
    expect(readFileSync(ws.path('.gemini/commands/oraclepack.toml'), 'utf8')).toBe(await renderPrompt('gemini-command'))
    const bad = await ws.oracle(['pack', 'prompt', '--format', 'cursor-rule'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('ORACLE_USAGE')
  })
})

describe('pack extract → pack render', () => {
  it('moves a pack onto a manifest; render writes a strict-valid pack, --check tells CI whether it is current', async () => {
    ws = await packWorkspace({ steps: 20 })
    const extracted = await ws.oracle(['pack', 'extract', 'pack.md', '--out', 'pack.manifest.yaml'])
    expect(extracted.code, extracted.stderr).toBe(0)
    expect(extracted.stdout).toBe('wrote pack.manifest.yaml: 20 questions from pack.md\n')
    const rendered = await ws.oracle(['pack', 'render', 'pack.manifest.yaml', '--out', 'docs/pack.md'])
    expect(rendered.code, rendered.stderr).toBe(0)
    expect(rendered.stdout).toMatch(/^wrote docs\/pack\.md: 20 steps from pack\.manifest\.yaml \(sha256 [0-9a-f]{12}…\)\n$/)
    const validate = await ws.oracle(['pack', 'validate', 'docs/pack.md', '--strict'])
    expect(validate.stdout).toBe('docs/pack.md: valid (strict) — 20 steps, 1 bash block, 20 oracle invocations; 0 errors, 0 warnings\n')
    const stdout = await ws.oracle(['pack', 'render', 'pack.manifest.yaml'])
    expect(stdout.stdout).toBe(readFileSync(ws.path('docs/pack.md'), 'utf8'))

    const current = await ws.oracle(['pack', 'render', 'pack.manifest.yaml', '--out', 'docs/pack.md', '--check'])
    expect([current.code, current.stdout]).toEqual([0, 'docs/pack.md is up to date with pack.manifest.yaml\n'])
    const before = readFileSync(ws.path('docs/pack.md'), 'utf8')
    await ws.write('pack.manifest.yaml', readFileSync(ws.path('pack.manifest.yaml'), 'utf8').replace('Question #05', 'Question #5'))
    const stale = await ws.oracle(['pack', 'render', 'pack.manifest.yaml', '--out', 'docs/pack.md', '--check', '--json'])
    expect(stale.code).toBe(1)
    const line = before.split('\n').findIndex((l) => l.includes('Question #05')) + 1
    expect(JSON.parse(stale.stdout)).toMatchObject({ up_to_date: false, first_difference_line: line, out: 'docs/pack.md', steps: 20 })
    expect(readFileSync(ws.path('docs/pack.md'), 'utf8')).toBe(before)
    const missing = await ws.oracle(['pack', 'render', 'pack.manifest.yaml', '--out', 'docs/other.md', '--check'])
    expect([missing.code, missing.stdout]).toEqual([1, 'docs/other.md does not exist.\nRun: oracle pack render pack.manifest.yaml --out docs/other.md\n'])
    expect(existsSync(ws.path('docs/other.md'))).toBe(false)
  })

  it('is byte-identical run after run, and a pack run of the result records each step\'s question id', async () => {
    ws = await packWorkspace({ steps: 20 })
    await ws.oracle(['pack', 'extract', 'pack.md', '--out', 'm.json'])
    expect(JSON.parse(readFileSync(ws.path('m.json'), 'utf8'))).toMatchObject({ schema_version: 1, out_dir: 'docs/answers', oracle_flags: ['--files-report'] })
    await ws.oracle(['pack', 'render', 'm.json', '--out', 'a.md'])
    await ws.oracle(['pack', 'render', 'm.json', '--out', 'b.md'])
    expect(readFileSync(ws.path('b.md'), 'utf8')).toBe(readFileSync(ws.path('a.md'), 'utf8'))
    const run = await ws.oracle(['pack', 'run', 'a.md'])
    expect(run.code, run.stderr).toBe(0)
    const steps = readJson(`${runDirOf(ws)}/steps.json`).steps
    expect(steps.slice(0, 2).map((s: any) => [s.step_id, s.question_id, s.category, s.expected_artifacts])).toEqual([
      ['01', 'contracts-interfaces', 'contracts/interfaces', []],
      ['02', 'invariants', 'invariants', []],
    ])
    expect(steps[10].question_id).toBe('contracts-interfaces-11')
  })

  it.each([
    ['--check without --out', ['pack', 'render', 'm.yaml', '--check'], 2, 'ORACLE_USAGE'],
    ['--out naming the manifest', ['pack', 'render', 'm.yaml', '--out', 'm.yaml'], 2, 'ORACLE_USAGE'],
    ['a missing manifest', ['pack', 'render', 'nope.yaml', '--out', 'x.md'], 2, 'ORACLE_PACK_NOT_FOUND'],
    ['extract --out naming the pack', ['pack', 'extract', 'pack.md', '--out', 'pack.md'], 2, 'ORACLE_USAGE'],
  ])('refuses %s', async (_name, args, code, error) => {
    ws = await packWorkspace({ steps: 20 })
    await ws.oracle(['pack', 'extract', 'pack.md', '--out', 'm.yaml'])
    const result = await ws.oracle(args)
    expect(result.code).toBe(code)
    expect(result.stderr).toContain(error)
    expect(existsSync(ws.path('x.md'))).toBe(false)
  })

  it('a bad manifest: ORACLE_PACK_RENDER_INVALID (exit 3) with file:line per problem; nothing written, the old pack kept', async () => {
    ws = await packWorkspace({ steps: 20 })
    await ws.oracle(['pack', 'extract', 'pack.md', '--out', 'm.yaml'])
    await ws.oracle(['pack', 'render', 'm.yaml', '--out', 'out.md'])
    const good = readFileSync(ws.path('out.md'), 'utf8')
    const text = readFileSync(ws.path('m.yaml'), 'utf8')
    const lines = text.split('\n')
    const roiLine = lines.findIndex((l) => l.includes('roi: 4.8')) + 1
    await ws.write('m.yaml', text.replace('roi: 4.8', 'roi: high').replace('out_dir: docs/answers', 'out_dir: ../../etc'))
    const result = await ws.oracle(['pack', 'render', 'm.yaml', '--out', 'out.md', '--json'])
    expect(result.code).toBe(3)
    const { error } = JSON.parse(result.stdout)
    expect(error).toMatchObject({ code: 'ORACLE_PACK_RENDER_INVALID', exitCode: 3, file: 'm.yaml', line: roiLine })
    expect(error.problems.map((p: any) => [p.path, p.line, p.rule])).toEqual([['questions[2].roi', roiLine, 'type']])
    expect(readFileSync(ws.path('out.md'), 'utf8')).toBe(good)
    // once the types hold, the path check speaks
    await ws.write('m.yaml', text.replace('out_dir: docs/answers', 'out_dir: ../../etc'))
    const traversal = await ws.oracle(['pack', 'render', 'm.yaml', '--out', 'new.md'])
    expect(traversal.code).toBe(3)
    expect(traversal.stderr).toMatch(new RegExp(`m\\.yaml:${lines.findIndex((l) => l.startsWith('out_dir:')) + 1}(:\\d+)? out_dir: out_dir \`\\.\\./\\.\\./etc\` has a \`\\.\\.\` segment`))
    expect(existsSync(ws.path('new.md'))).toBe(false)
  })

  it('a manifest whose pack would fail --strict (a missing attachment): exit 3, the problem on the question\'s line', async () => {
    ws = await packWorkspace({ steps: 20 })
    await ws.oracle(['pack', 'extract', 'pack.md', '--out', 'm.yaml'])
    await ws.write('m.yaml', readFileSync(ws.path('m.yaml'), 'utf8').replace('- src/step-07.ts', '- src/step-07.tsx'))
    const result = await ws.oracle(['pack', 'render', 'm.yaml', '--out', 'out.md', '--json'])
    expect(result.code).toBe(3)
    const { error } = JSON.parse(result.stdout)
    // the question's `attachments:` key, on the line before the missing file
    const line = readFileSync(ws.path('m.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('src/step-07.tsx'))
    expect(error.message).toBe('m.yaml would render a pack with 1 problem; nothing was written')
    expect(error.problems).toEqual([expect.objectContaining({ rule: 'PACK_ATTACHMENT_MISSING', path: 'questions[6].attachments', message: expect.stringMatching(/^step 07, pack line \d+: `src\/step-07.tsx` does not exist$/) })])
    expect(error.problems[0].line).toBe(line)
    expect(existsSync(ws.path('out.md'))).toBe(false)
  })

  it('extract refuses a pack with errors (ORACLE_PACK_INVALID, exit 3) and writes nothing', async () => {
    ws = await packWorkspace({ steps: 2 })
    await ws.write('bad.md', makePack({ steps: 2 }).replace('# 02)', '# 03)'))
    const result = await ws.oracle(['pack', 'extract', 'bad.md', '--out', 'm.yaml'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('ORACLE_PACK_INVALID')
    expect(existsSync(ws.path('m.yaml'))).toBe(false)
  })
})

describe('pack validate: the attachment lint', () => {
  it('warns by default and fails --strict, naming step, line and the narrower attachment', async () => {
    ws = await packWorkspace({ steps: 20, files: { 'src/extra.ts': 'export {}\n' } })
    await ws.write('glob.md', makePack({ files: (id) => (id === '03' ? ['src/*.ts'] : [`src/step-${id}.ts`]) }))
    const lenient = await ws.oracle(['pack', 'validate', 'glob.md', '--json'])
    expect(lenient.code).toBe(0)
    const finding = JSON.parse(lenient.stdout).findings[0]
    expect(finding).toMatchObject({ code: 'PACK_ATTACHMENT_BROAD', severity: 'warning', step: '03', line: expect.any(Number), hint: 'Attach `src/step-03.ts` (the step\'s reference) instead of `src/*.ts`, and at most 2 neighbours by name.' })
    const strict = await ws.oracle(['pack', 'validate', 'glob.md', '--strict'])
    expect(strict.code).toBe(3)
    expect(strict.stdout).toContain(`error    PACK_ATTACHMENT_BROAD (line ${finding.line}, step 03): Glob \`src/*.ts\` attached: 21 files`)
  })

  it('does not look for the files of a pack from outside the workspace, and says so', async () => {
    ws = await packWorkspace({ steps: 1 })
    const result = await ws.oracle(['pack', 'validate', FIXTURE_PACK])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('note: attachments not checked on disk: the pack lies outside the workspace')
  })
})
