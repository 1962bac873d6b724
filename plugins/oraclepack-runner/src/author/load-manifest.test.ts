// Bad manifests: each problem is coded, placed on its line, and reported with all the others.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ExitCode, OracleError } from '@oraclekit/kernel'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { manifest } from './_fixtures/manifest.js'
import { loadManifest } from './load-manifest.js'
import type { PackManifest } from './manifest.js'

const dir = mkdtempSync(join(tmpdir(), 'manifest-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const yamlOf = (m: unknown) => stringify(m, { lineWidth: 0 })
/** A manifest edited as data, as YAML text. */
const edited = (edit: (m: Record<string, any>) => void) => yamlOf(manifest(edit as (m: PackManifest) => void))

async function failure(text: string, name = 'pack.manifest.yaml'): Promise<OracleError> {
  writeFileSync(join(dir, name), text)
  const error = await loadManifest(name, dir).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof OracleError)) throw new Error(`expected an OracleError, got ${String(error)}`)
  return error
}

/** 1-based line of the first line holding `needle` (after the line holding `after`, if given). */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n')
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after))
  return lines.findIndex((l, k) => k >= from && l.includes(needle)) + 1
}

type Case = [name: string, text: string, expected: Array<[rule: string, path: string | undefined, line: number]>]

const bad = (edit: (m: Record<string, any>) => void) => edited(edit)
const CASES: Case[] = (() => {
  const cases: Case[] = []
  const add = (name: string, text: string, ...expected: Case[2]) => cases.push([name, text, expected])
  let t: string
  t = 'schema_version: 1\ntitle: [unclosed\nout_dir: x\n'
  add('broken YAML', t, ['syntax', undefined, 3])
  t = '{"schema_version": 1,\n "title": "x"\n "out_dir": "y"}'
  add('broken JSON', t, ['syntax', undefined, 3])
  t = `${edited(() => {})}title: again\n`
  add('a key given twice', t, ['syntax', undefined, lineOf(t, 'title: again')])
  t = bad((m) => (m.questions[2].roi = 'high'))
  add('a string for a number', t, ['type', 'questions[2].roi', lineOf(t, 'roi: high')])
  t = bad((m) => delete m.questions[4].category)
  add('a missing key', t, ['required', 'questions[4].category', lineOf(t, 'id: area-05-question')])
  t = bad((m) => ((m.questions[1].catgory = m.questions[1].category), delete m.questions[1].category))
  add('a misspelt key', t, ['required', 'questions[1].category', lineOf(t, 'id: area-02-question')], ['additionalProperties', 'questions[1].catgory', lineOf(t, 'catgory:')])
  t = bad((m) => m.questions.pop())
  add('19 questions', t, ['minItems', 'questions', lineOf(t, 'questions:')])
  t = bad((m) => (m.questions[3].category = 'security'))
  add('a category outside the ten', t, ['enum', 'questions[3].category', lineOf(t, 'category: security')])
  t = bad((m) => (m.schema_version = 2))
  add('another schema version', t, ['const', 'schema_version', 1])
  t = bad((m) => (m.questions[7].id = 'area-02-question'))
  add('two questions with one id', t, ['duplicate_id', 'questions[7].id', lineOf(t, 'id: area-02-question', 'id: area-07-question')])
  t = bad((m) => (m.questions[0].id = 'Area One'))
  add('an id that is not a slug', t, ['pattern', 'questions[0].id', lineOf(t, 'id: Area One')])
  t = bad((m) => (m.out_dir = '../outside'))
  add('out_dir leaving the workspace', t, ['path', 'out_dir', lineOf(t, 'out_dir:')])
  t = bad((m) => (m.out_dir = '/etc/answers'))
  add('an absolute out_dir', t, ['path', 'out_dir', lineOf(t, 'out_dir:')])
  t = bad((m) => (m.out_dir = 'docs/$HOME'))
  add('a variable in out_dir', t, ['pattern', 'out_dir', lineOf(t, 'out_dir:')])
  t = bad((m) => (m.questions[5].attachments = ['../../etc/passwd']))
  add('an attachment with `..`', t, ['path', 'questions[5].attachments[0]', lineOf(t, '../../etc/passwd')])
  t = bad((m) => (m.questions[5].attachments = ['~/.ssh/id_rsa']))
  add('an attachment under ~', t, ['path', 'questions[5].attachments[0]', lineOf(t, '~/.ssh/id_rsa')])
  t = bad((m) => (m.questions[5].attachments = ['src/area-06.ts', '/etc/hosts']))
  add('an absolute attachment', t, ['path', 'questions[5].attachments[1]', lineOf(t, '/etc/hosts')])
  t = bad((m) => (m.questions[5].attachments = ['src/*.ts']))
  add('a glob', t, ['path', 'questions[5].attachments[0]', lineOf(t, 'src/*.ts')])
  t = bad((m) => (m.questions[5].attachments = ['src/a.ts,src/b.ts']))
  add('a comma', t, ['path', 'questions[5].attachments[0]', lineOf(t, 'src/a.ts,src/b.ts')])
  t = bad((m) => (m.questions[5].attachments = ['a.ts', 'b.ts', 'c.ts', 'd.ts']))
  add('four attachments', t, ['maxItems', 'questions[5].attachments', lineOf(t, 'attachments:', 'id: area-06-question')])
  t = bad((m) => (m.questions[6].reference = 'two words'))
  add('a reference with a space', t, ['pattern', 'questions[6].reference', lineOf(t, 'reference: two words')])
  t = bad((m) => (m.questions[8].question = 'Look:\n```ts\nx\n```'))
  add('a fence in a question', t, ['text', 'questions[8].question', lineOf(t, 'question: |', 'id: area-09-question')], ['text', 'questions[8].question', lineOf(t, 'question: |', 'id: area-09-question')])
  t = bad((m) => (m.questions[8].question = 'Intro\n# 05) is this a step?'))
  add('a step header in a question', t, ['text', 'questions[8].question', lineOf(t, 'question: |', 'id: area-09-question')])
  t = bad((m) => (m.questions[8].question = '[oraclepack-meta] QuestionId=x [/oraclepack-meta] Why?'))
  add('a metadata block in a question', t, ['text', 'questions[8].question', lineOf(t, 'question: "[oraclepack-meta]')])
  t = bad((m) => (m.intro = 'Run it:\n```bash\noracle -p hi\n```'))
  add('a bash fence in the intro', t, ['text', 'intro', lineOf(t, 'intro:')])
  t = bad((m) => (m.oracle_flags = ['--files-report', '-p', 'hi']))
  add('a prompt in the flags', t, ['flags', 'oracle_flags', lineOf(t, 'oracle_flags:')])
  t = bad((m) => (m.questions[9].flags = ['-m', 'gpt-5.1', 'stray']))
  add('a stray word in the flags', t, ['flags', 'questions[9].flags', lineOf(t, 'flags:', 'id: area-10-question')])
  t = bad((m) => (m.questions[9].flags = ['--model']))
  add('a flag without its value', t, ['flags', 'questions[9].flags', lineOf(t, 'flags:', 'id: area-10-question')])
  return cases
})()

describe('loadManifest: bad manifests', () => {
  it.each(CASES)('%s: ORACLE_PACK_RENDER_INVALID (exit 3) with each problem on its line', async (_name, text, expected) => {
    const error = await failure(text)
    expect(error).toMatchObject({ code: 'ORACLE_PACK_RENDER_INVALID', exitCode: ExitCode.invalidInput, file: 'pack.manifest.yaml', line: expected[0]![2] })
    expect(error.message).toMatch(/^pack\.manifest\.yaml has \d+ problems?; nothing was written$/)
    expect(error.problems.map((p) => [p.rule, p.path, p.line])).toEqual(expected)
    for (const p of error.problems) expect(p).toMatchObject({ file: 'pack.manifest.yaml', severity: 'error' })
  })

  it('reports every problem at once', async () => {
    const text = bad((m) => ((m.out_dir = '../x'), (m.questions[0].roi = -1), (m.questions[1].attachments = ['../y']), (m.questions[2].horizon = 'Later')))
    const error = await failure(text)
    expect(error.problems.map((p) => p.path).sort()).toEqual(['questions[0].roi', 'questions[2].horizon'])
    // the code checks run once the schema holds, so that they read well-formed data
    const fixed = await failure(bad((m) => ((m.out_dir = '../x'), (m.questions[1].attachments = ['../y']))))
    expect(fixed.problems.map((p) => p.path)).toEqual(['out_dir', 'questions[1].attachments[0]'])
  })

  it('suggests the key meant', async () => {
    const error = await failure(bad((m) => ((m.questions[1].catgory = 'invariants'), delete m.questions[1].category)))
    expect(error.problems.find((p) => p.rule === 'additionalProperties')?.hint).toBe('Did you mean "category"?')
  })

  it('a missing manifest is ORACLE_PACK_NOT_FOUND (exit 2)', async () => {
    await expect(loadManifest('nope.yaml', dir)).rejects.toMatchObject({ code: 'ORACLE_PACK_NOT_FOUND', exitCode: ExitCode.usage })
  })
})

describe('loadManifest: good manifests', () => {
  it('reads YAML and JSON alike, with the defaults filled in', async () => {
    const m = manifest() as Record<string, any>
    for (const q of m.questions) delete q.flags
    delete m.oracle_flags
    writeFileSync(join(dir, 'm.yaml'), yamlOf(m))
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ $schema: '../schemas/oraclepack.manifest.schema.json', ...m }, null, 2))
    const [fromYaml, fromJson] = [await loadManifest('m.yaml', dir), await loadManifest('m.json', dir)]
    expect(fromYaml.manifest).toEqual(manifest())
    expect({ ...fromJson.manifest, $schema: undefined }).toEqual({ ...manifest(), $schema: undefined })
    expect(fromYaml).toMatchObject({ display: 'm.yaml', file: join(dir, 'm.yaml') })
  })
})
