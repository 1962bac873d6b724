// PM facts from real files in temp workspaces: dossiers, pending spec rows, roadmap lanes, and
// the errors that name the file and line a planner cannot read.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type OracleError, isOracleError } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { SHARED, useTempRoot } from '../_test/temp-root.js'
import { readPmFacts } from './pm.js'

const SEEDS = join(SHARED, 'spec/seeds')
const PM = { dossiersDir: 'docs/pm/dossiers', specsDir: 'docs/pm/specs', roadmap: 'docs/pm/ROADMAP.md' }
const DOSSIERS = 'docs/pm/dossiers'
const SPECS = 'docs/pm/specs'
const ROADMAP = 'docs/pm/ROADMAP.md'
const PRODUCTS = ['alpha', 'beta', 'web.app']

const temp = useTempRoot('pm-')

const write = (files: Record<string, string>) => temp.write(files)

/** A dossier with the three required keys; `extra` is more front matter, `body` what follows. */
function dossier(id: string, product: string, extra = '', body = '# A dossier\n'): string {
  return `---\ndossier_id: ${id}\nproduct_id: ${product}\nstatus: draft\n${extra}---\n\n${body}`
}

/** A traceability table with one row per status. */
function table(...statuses: string[]): string {
  const rows = statuses.map((status, i) => `| FR-00${i + 1} | src/f${i + 1}.ts | tests/t${i + 1}.ts | ${status} |`)
  return ['| Requirement | File/Component | Test Case | Status |', '|---|---|---|---|', ...rows].join('\n')
}

async function facts(productIds: readonly string[] = PRODUCTS) {
  return readPmFacts(temp.dir, PM, productIds)
}

async function failure(productIds: readonly string[] = PRODUCTS): Promise<OracleError> {
  const error: unknown = await facts(productIds).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!isOracleError(error)) throw new Error(`expected an OracleError, got ${String(error)}`)
  return error
}

describe('readPmFacts: missing artifacts', () => {
  it('gives empty facts when no folder or roadmap exists', async () => {
    expect(await facts()).toEqual({ dossiers: [], pending: [], roadmap: [] })
  })
})

describe('readPmFacts: dossiers', () => {
  it('reads the real fleet-ops dossier (seed 5)', async () => {
    mkdirSync(join(temp.dir, DOSSIERS), { recursive: true })
    copyFileSync(join(SEEDS, '5-fleet-ops-and-dash.md'), join(temp.dir, DOSSIERS, '5-fleet-ops-and-dash.md'))
    const { dossiers } = await facts(['codemonkeys-cli', 'codemonkeys-fleet-ops'])
    expect(dossiers).toHaveLength(1)
    const [read] = dossiers
    expect(read).toMatchObject({
      dossier_id: 'DOS-20251222-fleet-ops-schedules-and-science-lane',
      product_id: 'codemonkeys-fleet-ops',
      status: 'approved',
      title: 'Design Dossier: Fleet Ops + Dash Science Lane (Sprint 7)',
      owner: 'nexus',
      created_at: '2025-12-22',
      evidence_links: [],
      source: 'docs/pm/dossiers/5-fleet-ops-and-dash.md:1',
    })
    expect(read?.hypothesis.claim).toMatch(/^Adding schedules, GC/)
    expect(read?.acceptance_proofs).toHaveLength(5)
    expect(read?.acceptance_proofs.every((proof) => proof.status === 'pending' && proof.evidence.length === 0)).toBe(true)
    expect(read?.acceptance_proofs[0]?.text).toBe('Proof 1: schedule schema validates example schedules')
  })

  it.each([
    ['a plain string', '"builds"', 'pending', 'builds', []],
    ['a ticked box', '"[x] builds"', 'pass', 'builds', []],
    ['a ticked box in capitals', '"[X] builds"', 'pass', 'builds', []],
    ['a check mark', '"✅ builds"', 'pass', 'builds', []],
    ['a PASS: prefix', '"PASS: builds"', 'pass', 'builds', []],
    ['an empty box', '"[ ] builds"', 'pending', 'builds', []],
    ['a FAIL: prefix', '"FAIL: builds"', 'fail', 'builds', []],
    ['a cross mark', '"❌ builds"', 'fail', 'builds', []],
    ['a mapping without status', '{ text: builds }', 'pending', 'builds', []],
    ['`proof` for `text`', '{ proof: builds, status: pass }', 'pass', 'builds', []],
    ['passed', '{ text: builds, status: passed }', 'pass', 'builds', []],
    ['passing', '{ text: builds, status: passing }', 'pass', 'builds', []],
    ['done', '{ text: builds, status: done }', 'pass', 'builds', []],
    ['OK in capitals', '{ text: builds, status: OK }', 'pass', 'builds', []],
    ['pending with spaces', '{ text: builds, status: " Pending " }', 'pending', 'builds', []],
    ['failed', '{ text: builds, status: failed }', 'fail', 'builds', []],
    ['failing', '{ text: builds, status: failing }', 'fail', 'builds', []],
    ['one evidence link', '{ text: builds, status: pass, evidence: runs/1.json }', 'pass', 'builds', ['runs/1.json']],
    ['a list of evidence links', '{ text: builds, evidence: [a.json, b.json] }', 'pending', 'builds', ['a.json', 'b.json']],
  ])('acceptance proof as %s', async (_name, item, status, text, evidence) => {
    write({ [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', `acceptance_proofs:\n  - ${item}\n`) })
    const { dossiers } = await facts()
    expect(dossiers[0]?.acceptance_proofs).toEqual([{ text, status, evidence }])
  })

  it('takes title, owner, dates, status and evidence links from the front matter', async () => {
    const extra = 'title: "  Own title "\nowner: nexus\ncreated_at: 2025-12-22\nevidence:\n  links: [runs/a.json]\nhypothesis:\n  problem: slow\n'
    write({ [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', extra).replace('status: draft', 'status: " In_Progress "') })
    const [read] = (await facts()).dossiers
    expect(read).toMatchObject({ title: 'Own title', owner: 'nexus', created_at: '2025-12-22', status: 'in_progress', evidence_links: ['runs/a.json'] })
    expect(read?.hypothesis).toEqual({ problem: 'slow', claim: null, falsification: null })
  })

  it.each([
    ['the first level-1 heading of the body', '```md\n# not this\n```\n## Nor this\n# The title #\n', 'The title'],
    ['null when the body has no level-1 heading', 'Just text.\n## Sub\n', null],
  ])('falls back to %s for the title', async (_name, body, title) => {
    write({ [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', '', body) })
    expect((await facts()).dossiers[0]?.title).toBe(title)
  })

  it('turns a YAML timestamp into a date', async () => {
    write({ [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', 'created_at: !!timestamp 2025-12-22\n') })
    expect((await facts()).dossiers[0]?.created_at).toBe('2025-12-22')
  })

  it('reads *.md recursively in code-unit order, skipping dot files and files without front matter', async () => {
    write({
      [`${DOSSIERS}/b.md`]: dossier('DOS-b', 'alpha'),
      [`${DOSSIERS}/a/z.md`]: dossier('DOS-az', 'alpha'),
      [`${DOSSIERS}/a.md`]: dossier('DOS-a', 'alpha'),
      [`${DOSSIERS}/A.md`]: dossier('DOS-A', 'alpha'),
      [`${DOSSIERS}/_template.md`]: dossier('DOS-template', 'beta'),
      [`${DOSSIERS}/.draft.md`]: dossier('DOS-hidden', 'alpha'),
      [`${DOSSIERS}/.hidden/x.md`]: dossier('DOS-hidden-dir', 'alpha'),
      [`${DOSSIERS}/notes.txt`]: dossier('DOS-txt', 'alpha'),
      [`${DOSSIERS}/README.md`]: '# Dossiers\n\nOne file per dossier.\n',
    })
    const { dossiers } = await facts()
    expect(dossiers.map((d) => d.source)).toEqual([
      'docs/pm/dossiers/A.md:1',
      'docs/pm/dossiers/_template.md:1',
      'docs/pm/dossiers/a.md:1',
      'docs/pm/dossiers/a/z.md:1',
      'docs/pm/dossiers/b.md:1',
    ])
  })
})

describe('readPmFacts: specs', () => {
  it('reads the pending rows of the real orchestration spec (seed 1)', async () => {
    const seed = readFileSync(join(SEEDS, '1-work-order-planner.md'), 'utf8')
    write({ [`${SPECS}/1-work-order-planner.md`]: `Product: codemonkeys-cli\n${seed}` })
    const { pending } = await facts(['codemonkeys-cli'])
    const path = 'docs/pm/specs/1-work-order-planner.md'
    const row = (requirement: string, component: string, test: string, line: number) => ({
      product_id: 'codemonkeys-cli',
      requirement,
      component,
      test,
      dossier_id: 'DOS-20251222-oracle-orchestration',
      source: `${path}:${line}`,
    })
    expect(pending).toEqual([
      row('FR-001', 'nexus/schemas/work_order.schema.json', 'tests/oracle/test_schema.py', 63),
      row('FR-002', 'src/codemonkeys/commands/oracle.py', 'tests/oracle/test_oracle_plan.py', 64),
      row('FR-003', 'src/codemonkeys/commands/oracle.py', 'tests/oracle/test_oracle_run.py', 65),
      row('FR-004', 'scripts/oracle_executor.py', 'tests/oracle/test_safe_jobs.py', 66),
    ])
  })

  it.each([
    ['Pending', true],
    ['PENDING', true],
    ['**Pending**', true],
    ['TODO', true],
    ['todo', true],
    ['Not started', true],
    ['Not  Started', true],
    ['Open', true],
    ['⏳', true],
    ['⏳ Pending', true],
    ['Done', false],
    ['✅', false],
    ['In progress', false],
    ['Passed', false],
    ['', false],
  ])('status %j is pending: %s', async (status, isPending) => {
    write({ [`${SPECS}/s.md`]: `Product: alpha\n\n${table(status)}\n` })
    expect((await facts()).pending.length).toBe(isPending ? 1 : 0)
  })

  it.each([
    ['Req | Component | Tests | Status', { component: 'c', test: 't' }],
    ['Requirement ID | File | Test | Status', { component: 'c', test: 't' }],
    ['**Requirement** | File / Component | Test Case | **Status**', { component: 'c', test: 't' }],
    ['Requirement | Notes | Owner | Status', { component: '', test: '' }],
  ])('reads a table headed %j', async (header, expected) => {
    write({ [`${SPECS}/s.md`]: `Product: alpha\n\n| ${header} |\n| :-- | --- | --- | --: |\n| FR-1 | c | t | Pending |\n` })
    expect((await facts()).pending).toMatchObject([{ requirement: 'FR-1', ...expected, source: 'docs/pm/specs/s.md:5' }])
  })

  it('reads every traceability table, splits on unescaped pipes only, drops backticks, and skips other tables and code', async () => {
    const spec = [
      'Product: alpha',
      '',
      '| Artifact | Status |',
      '|---|---|',
      '| a.md | Pending |',
      '',
      '```md',
      table('Pending'),
      '```',
      '',
      '| Requirement | Component | Test | Status |',
      '|---|---|---|---|',
      '| `FR-1` | `a \\| b` | `t.ts` | Pending |',
      '| FR-2 | x | y | Done |',
      'not a row | FR-3 | x | y | Pending |',
      '| FR-4 | x | y | Pending |',
    ].join('\n')
    write({ [`${SPECS}/s.md`]: spec })
    expect((await facts()).pending).toEqual([{ product_id: 'alpha', requirement: 'FR-1', component: 'a | b', test: 't.ts', dossier_id: null, source: 'docs/pm/specs/s.md:15' }])
  })

  it.each([
    ['front matter product_id, before a Product: line', { [`${SPECS}/s.md`]: `---\nproduct_id: beta\n---\nProduct: alpha\n\n${table('Pending')}` }, 'beta'],
    ['a Product: line, before a Dossier: line', { [`${SPECS}/s.md`]: `Dossier: DOS-a\nProduct: beta\n\n${table('Pending')}` }, 'beta'],
    ['a **Product:** line', { [`${SPECS}/s.md`]: `# Spec\n\n**Product:** \`beta\`\n\n${table('Pending')}` }, 'beta'],
    ['a Product ID: line', { [`${SPECS}/s.md`]: `- Product ID: beta (the API).\n\n${table('Pending')}` }, 'beta'],
    ['a Dossier: line, before the folder', { [`${SPECS}/beta/s.md`]: `Dossier: [DOS-a](../dossiers/a.md)\n\n${table('Pending')}` }, 'alpha'],
    ['the folder named like a product', { [`${SPECS}/beta/sub/s.md`]: table('Pending') }, 'beta'],
    ['the folder, when the Dossier: line names no dossier', { [`${SPECS}/web.app/s.md`]: `Dossier: DOS-none\n\n${table('Pending')}` }, 'web.app'],
  ])('finds the spec’s product from %s', async (_name, files, product) => {
    write({ [`${DOSSIERS}/a.md`]: dossier('DOS-a', 'alpha'), ...files })
    expect((await facts()).pending.map((row) => row.product_id)).toEqual([product])
  })

  it('sets dossier_id from the Dossier: line, or null', async () => {
    write({
      [`${DOSSIERS}/a.md`]: dossier('DOS-a', 'alpha'),
      [`${SPECS}/1.md`]: `Dossier: DOS-a\n\n${table('Pending')}`,
      [`${SPECS}/2.md`]: `Product: beta\n\n${table('Pending')}`,
    })
    expect((await facts()).pending.map((row) => [row.product_id, row.dossier_id])).toEqual([
      ['alpha', 'DOS-a'],
      ['beta', null],
    ])
  })

  it('accepts a spec without a product, or with an unknown dossier, when it has no pending rows', async () => {
    write({ [`${SPECS}/1.md`]: table('Done'), [`${SPECS}/2.md`]: `Dossier: DOS-none\n\n${table('Done')}` })
    expect((await facts()).pending).toEqual([])
  })
})

describe('readPmFacts: roadmap', () => {
  it.each([
    ['## Now', 'now'],
    ['## Current sprint', 'now'],
    ['### In progress', 'now'],
    ['## This Sprint', 'now'],
    ['# Active work', 'now'],
    ['## Next', 'next'],
    ['## Up next', 'next'],
    ['## Coming soon', 'next'],
    ['## Planned', 'next'],
    ['## Later', 'later'],
    ['## Backlog', 'later'],
    ['## Someday', 'later'],
    ['## Future', 'later'],
    ['## Icebox', 'later'],
    ['## Shipped', undefined],
  ])('%j is lane %s', async (heading, lane) => {
    write({ [ROADMAP]: `# Roadmap\n\n${heading}\n\n- alpha: retries\n` })
    expect((await facts()).roadmap.map((entry) => entry.lane)).toEqual(lane ? [lane] : [])
  })

  it('keeps each product’s most urgent lane, its first line there, sorted by product', async () => {
    const roadmap = ['# Roadmap', '## Later', '- beta: rewrite', '## Next', '1. [ ] alpha: GC', '- alpha: drift', '- beta and web.app: schedules', '## Now', '* beta: fix flakes'].join('\n')
    write({ [ROADMAP]: roadmap })
    expect((await facts()).roadmap).toEqual([
      { product_id: 'alpha', lane: 'next', text: 'alpha: GC', source: 'docs/pm/ROADMAP.md:5' },
      { product_id: 'beta', lane: 'now', text: 'beta: fix flakes', source: 'docs/pm/ROADMAP.md:9' },
      { product_id: 'web.app', lane: 'next', text: 'beta and web.app: schedules', source: 'docs/pm/ROADMAP.md:7' },
    ])
  })

  it.each([
    ['a bare word', '- alpha', ['alpha']],
    ['punctuation around it', '- ship (`alpha`), then web.app.', ['alpha', 'web.app']],
    ['a path segment', '- see products/alpha/README.md', ['alpha']],
    ['a longer id', '- alpha-two and alpha_x and beta2 and xalpha', []],
    ['a dotted neighbour', '- web.application', []],
    ['a dossier id', '- DOS-a: GC', ['alpha']],
    ['upper case', '- ALPHA', []],
  ])('names products by %s', async (_name, line, products) => {
    write({ [`${DOSSIERS}/a.md`]: dossier('DOS-a', 'alpha'), [ROADMAP]: `## Now\n${line}\n` })
    expect((await facts()).roadmap.map((entry) => entry.product_id)).toEqual(products)
  })

  it('ends a lane at a sibling heading, keeps it through sub-headings, and ignores code', async () => {
    const roadmap = ['## Now', '```', 'alpha', '```', '### Sprint 7: beta', '## Notes', '- web.app'].join('\n')
    write({ [ROADMAP]: roadmap })
    expect((await facts()).roadmap).toEqual([{ product_id: 'beta', lane: 'now', text: 'Sprint 7: beta', source: 'docs/pm/ROADMAP.md:5' }])
  })
})

describe('readPmFacts: bad input', () => {
  const proofs = (item: string) => dossier('DOS-1', 'alpha', `acceptance_proofs:\n  - ok\n  - ${item}\n`)

  it.each([
    ['malformed YAML', { [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', 'owner: : nexus\n') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 5, 'not valid YAML'],
    ['a duplicate key', { [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', 'status: done\n') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 5, 'unique'],
    ['unterminated front matter', { [`${DOSSIERS}/d.md`]: '---\ndossier_id: DOS-1\n# Title\n' }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 1, 'never closed'],
    ['front matter that is a list', { [`${DOSSIERS}/d.md`]: '---\n- a\n---\n' }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 2, 'mapping'],
    ['a missing product_id', { [`${DOSSIERS}/d.md`]: '---\ndossier_id: DOS-1\nstatus: draft\n---\n' }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 1, 'no `product_id`'],
    ['a product_id that is not a string', { [`${DOSSIERS}/d.md`]: dossier('DOS-1', '42') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 3, '`product_id` must be'],
    ['an unknown product', { [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpah') }, 'ORACLE_PLAN_UNKNOWN_PRODUCT', `${DOSSIERS}/d.md`, 3, '"alpah"'],
    ['a duplicate dossier id', { [`${DOSSIERS}/a.md`]: dossier('DOS-1', 'alpha'), [`${DOSSIERS}/b.md`]: dossier('DOS-1', 'beta') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/b.md`, 2, 'docs/pm/dossiers/a.md'],
    ['a proof that is a number', { [`${DOSSIERS}/d.md`]: proofs('42') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 7, 'acceptance proof'],
    ['a proof mapping without text', { [`${DOSSIERS}/d.md`]: proofs('{ status: pass }') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 7, '`text`'],
    ['an unknown proof status', { [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha', 'acceptance_proofs:\n  - text: builds\n    status: maybe\n') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${DOSSIERS}/d.md`, 7, '"maybe"'],
    ['a spec with pending rows and no product', { [`${SPECS}/s.md`]: `# Spec\n\n${table('Done', 'Pending')}` }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${SPECS}/s.md`, 6, 'names no product'],
    ['a spec naming an unknown product', { [`${SPECS}/s.md`]: `# Spec\nProduct: bta\n\n${table('Done')}` }, 'ORACLE_PLAN_UNKNOWN_PRODUCT', `${SPECS}/s.md`, 2, '"bta"'],
    ['a spec with pending rows and an unknown dossier', { [`${SPECS}/s.md`]: `Dossier: DOS-l\n\n${table('Pending')}`, [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha') }, 'ORACLE_PLAN_ARTIFACT_INVALID', `${SPECS}/s.md`, 1, '"DOS-l"'],
  ])('rejects %s', async (_name, files, code, file, line, detail) => {
    write(files)
    const error = await failure()
    expect({ code: error.code, file: error.file, line: error.line, exitCode: error.exitCode }).toEqual({ code, file, line, exitCode: 3 })
    expect(error.message).toContain(file)
    expect(error.message).toContain(detail)
  })

  it.each([
    ['a dossier', { [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpah') }],
    ['a spec', { [`${SPECS}/s.md`]: `Product: bta\n` }],
  ])('suggests the near miss for an unknown product in %s', async (_name, files) => {
    write(files)
    expect((await failure()).hint).toMatch(/^Did you mean "(alpha|beta)"\?/)
  })

  it('suggests the near miss for an unknown dossier', async () => {
    write({ [`${SPECS}/s.md`]: `Dossier: DOS-l\n\n${table('Pending')}`, [`${DOSSIERS}/d.md`]: dossier('DOS-1', 'alpha') })
    expect((await failure()).hint).toContain('Did you mean "DOS-1"?')
  })
})
