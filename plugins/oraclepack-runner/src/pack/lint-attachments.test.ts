// The attachment lint, rule by rule, on hand-made packs over a real directory, and on the real packs.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildPack, readStrategistPack, type StepSpec } from './_fixtures/build-pack.js'
import { checkPack, engineSizeLimit } from './check.js'
import { lintAttachments } from './lint-attachments.js'
import { parsePack } from './parse.js'
import type { ValidateMode } from './types.js'

const root = mkdtempSync(join(tmpdir(), 'lint-attachments-'))
mkdirSync(join(root, 'src'))
for (let n = 1; n <= 20; n++) writeFileSync(join(root, `src/area-${String(n).padStart(2, '0')}.ts`), `export const n = ${n}\n`)
writeFileSync(join(root, 'src/shared.ts'), 'export {}\n')
writeFileSync(join(root, 'big.log'), Buffer.alloc(1024 * 1024 + 1, 97))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const EXAMPLE = new URL('../../../../examples/workspace/', import.meta.url).pathname

/** Replaces step `n`'s `-f` line with `lines`. */
const attach = (n: number, ...lines: string[]) => (steps: StepSpec[]) => steps[n - 1]!.body.splice(2, 1, ...lines.map((l) => `  ${l} \\`))
/** Adds `-f <path>` lines to the given steps. */
const addTo = (ids: number[], path: string) => (steps: StepSpec[]) => ids.forEach((n) => steps[n - 1]!.body.splice(3, 0, `  -f "${path}" \\`))

/** [code, text on the finding's line, step]; the line is searched from the step's header. */
type Expected = [code: string, needle: string, step: string]

function lineIn(text: string, needle: string, step: string): number {
  const lines = text.split('\n')
  const from = lines.findIndex((line) => line.startsWith(`# ${step})`))
  return lines.findIndex((line, k) => k > from && line.includes(needle)) + 1
}

const lint = async (text: string, mode: ValidateMode, checkFiles = true) =>
  (await lintAttachments(parsePack(text), mode, { rootDir: root, checkFiles })).map((f) => [f.code, f.line, f.step, f.severity])

const CASES: Array<[name: string, edit: (steps: StepSpec[]) => void, expected: Expected[]]> = [
  ['a glob', attach(3, '-f "src/*.ts"'), [['PACK_ATTACHMENT_BROAD', 'src/*.ts', '03']]],
  ['a directory', attach(4, '-f "src"'), [['PACK_ATTACHMENT_BROAD', '-f "src"', '04']]],
  ['a glob that matches nothing', attach(5, '-f "lib/**/*.go"'), [['PACK_ATTACHMENT_MISSING', 'lib/**', '05']]],
  ['a file that does not exist', attach(5, '-f "src/area-05.tsx"'), [['PACK_ATTACHMENT_MISSING', 'area-05.tsx', '05']]],
  ['four paths in one -f, comma-separated', attach(6, '-f "src/area-01.ts,src/area-02.ts,src/area-06.ts,src/area-03.ts"'), [['PACK_ATTACHMENT_COUNT', 'src/area-01.ts,', '06']]],
  ['four -f lines (at the fourth)', attach(6, '-f src/area-06.ts', '-f src/area-01.ts', '-f src/area-02.ts', '-f src/shared.ts'), [['PACK_ATTACHMENT_COUNT', 'src/shared.ts', '06']]],
  ['a file over 1 MiB', attach(7, '-f src/area-07.ts', '-f big.log'), [['PACK_ATTACHMENT_TOO_LARGE', 'big.log', '07']]],
  ['a glob that takes in a file over 1 MiB', attach(7, '-f "*.log"'), [['PACK_ATTACHMENT_BROAD', '*.log', '07'], ['PACK_ATTACHMENT_TOO_LARGE', '*.log', '07']]],
  ['a neighbour shared by five steps', addTo([1, 2, 3, 4, 9], 'src/shared.ts'), ['01', '02', '03', '04', '09'].map((s): Expected => ['PACK_ATTACHMENT_SHARED', 'src/shared.ts', s])],
  ['a neighbour shared by four steps', addTo([1, 2, 3, 4], './src/shared.ts'), []],
  ['one reference file attached by six steps (it is their subject)', (steps) => steps.slice(0, 6).forEach((s) => (s.header = s.header.replace(/reference=\S+/, 'reference=src/shared.ts:x'), s.body.splice(2, 1, '  -f "src/shared.ts" \\'))), []],
  ['exclusions, which attach nothing', attach(8, '-f "src/area-08.ts,!src/area-01.ts"', '-f "!big.log"'), []],
  ['a raised size limit', (steps) => (attach(7, '-f big.log')(steps), (steps[6]!.body[0] = 'oracle --files-report --max-file-size-bytes 2000000 \\')), []],
]

describe('lintAttachments', () => {
  it('finds nothing in a pack that attaches each step\'s reference file', async () => {
    expect(await lint(buildPack(), 'strict')).toEqual([])
  })

  it.each(CASES)('%s', async (_name, edit, expected) => {
    const text = buildPack(edit)
    const resolved = expected.map(([code, needle, step]) => [code, lineIn(text, needle, step), step])
    expect(await lint(text, 'default')).toEqual(resolved.map((e) => [...e, 'warning']))
    expect(await lint(text, 'strict')).toEqual(resolved.map((e) => [...e, 'error']))
  })

  it('names the narrower attachment in each hint', async () => {
    const hints = async (edit: (steps: StepSpec[]) => void) => (await lintAttachments(parsePack(buildPack(edit)), 'default', { rootDir: root, checkFiles: true })).map((f) => f.hint)
    expect(await hints(attach(3, '-f "src/*.ts"'))).toEqual(['Attach `src/area-03.ts` (the step\'s reference) instead of `src/*.ts`, and at most 2 neighbours by name.'])
    expect(await hints(attach(3, '-f "src/shared.*"'))).toEqual(['Attach `src/shared.ts` by name instead of `src/shared.*`.'])
    expect(await hints((steps) => (steps[2]!.header = steps[2]!.header.replace(/reference=\S+/, 'reference=Unknown'), attach(3, '-f src')(steps)))).toEqual([
      'Attach at most 3 of the 21 files by name instead of `src`, e.g. `src/area-01.ts`, `src/area-02.ts`, `src/area-03.ts`.',
    ])
    expect((await hints(attach(6, '-f src/area-01.ts', '-f src/area-02.ts', '-f src/shared.ts', '-f src/area-06.ts')))[0]).toMatch(/^Attach only `src\/area-06.ts`, `src\/area-01.ts`, `src\/area-02.ts`\./)
  })

  it('without the disk, checks only the shape: globs, directories by their `/`, counts, sharing', async () => {
    const text = buildPack((steps) => (attach(3, '-f "src/*.ts"')(steps), attach(4, '-f "src/"')(steps), attach(5, '-f missing.ts')(steps), attach(7, '-f big.log')(steps)))
    expect(await lint(text, 'default', false)).toEqual([
      ['PACK_ATTACHMENT_BROAD', lineIn(text, 'src/*.ts', '03'), '03', 'warning'],
      ['PACK_ATTACHMENT_BROAD', lineIn(text, '"src/"', '04'), '04', 'warning'],
    ])
  })

  it('finds nothing in the example pack, on its workspace', async () => {
    const text = (await import('node:fs')).readFileSync(join(EXAMPLE, 'packs/fleet-review-pack.md'), 'utf8')
    expect(await lintAttachments(parsePack(text), 'strict', { rootDir: EXAMPLE, checkFiles: true })).toEqual([])
  })
})

describe('checkPack', () => {
  it('checks files for a pack inside the workspace, not for one from another repository', async () => {
    const pack = parsePack(readStrategistPack())
    const outside = await checkPack(pack, 'default', { rootDir: root, file: '/elsewhere/docs/pack.md' })
    expect(outside).toMatchObject({ valid: true, attachments_checked: false, warnings: 1 })
    const inside = await checkPack(pack, 'default', { rootDir: root, file: join(root, 'docs/pack.md') })
    expect(inside).toMatchObject({ valid: true, attachments_checked: true })
    expect(new Set(inside.findings.map((f) => f.code))).toEqual(new Set(['PACK_STRAY_ARGUMENT', 'PACK_ATTACHMENT_MISSING']))
    expect((await checkPack(pack, 'strict', { rootDir: root, file: join(root, 'docs/pack.md') })).errors).toBeGreaterThan(30)
  })

  it.each([
    ['oracle\'s 1 MiB by default', undefined, {}, 1024 * 1024],
    ['--max-file-size-bytes in engine.args', { args: ['--engine', 'api', '--max-file-size-bytes', '5000'], env: {} }, {}, 5000],
    ['--max-file-size-bytes=<n> in engine.args', { args: ['--max-file-size-bytes=7000'], env: { ORACLE_MAX_FILE_SIZE_BYTES: '1' } }, {}, 7000],
    ['ORACLE_MAX_FILE_SIZE_BYTES in engine.env', { args: [], env: { ORACLE_MAX_FILE_SIZE_BYTES: '9000' } }, { ORACLE_MAX_FILE_SIZE_BYTES: '3' }, 9000],
    ['ORACLE_MAX_FILE_SIZE_BYTES in the environment', { args: [], env: {} }, { ORACLE_MAX_FILE_SIZE_BYTES: '3000' }, 3000],
    ['a value that is not a size', { args: ['--max-file-size-bytes', 'lots'], env: {} }, {}, 1024 * 1024],
  ])('the size limit: %s', (_name, engine, env, expected) => {
    expect(engineSizeLimit(engine ? { engine: { kind: 'oracle', ...engine } } : undefined, env)).toBe(expected)
  })
})
