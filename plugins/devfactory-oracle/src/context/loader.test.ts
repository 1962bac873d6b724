// The context loader on real folders: what it reads from the example workspace, warnings for what
// is missing, refresh re-reading only changed files (counted through an injected fs), the task
// context and the budgeted summary.

import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixedClock } from '@oraclekit/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ContextFs, createContextLoader, nodeContextFs } from './loader.js'
import { estimateTokens } from './summary.js'

const EXAMPLE = fileURLToPath(new URL('../../../../examples/devfactory/', import.meta.url))
const AUTH = '2026-01-05-user-auth'
const clock = fixedClock('2026-11-20T10:20:00Z')

let root = ''
let reads: string[] = []
const countingFs: ContextFs = {
  ...nodeContextFs,
  readFile: async (path) => {
    reads.push(relative(root, path))
    return nodeContextFs.readFile(path)
  },
}
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'devfactory-context-'))
  cpSync(join(EXAMPLE, '.devfactory'), join(root, '.devfactory'), { recursive: true })
  reads = []
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true })
  writeFileSync(join(root, rel), text)
}
const loader = () => createContextLoader(root, { fs: countingFs, clock })

describe('load', () => {
  it('reads the product documents and every spec of the example', async () => {
    const l = loader()
    const context = await l.load()
    expect(l.warnings).toEqual([])
    expect(context.mission).toMatch(/^# Product Mission/)
    expect(context.missionLite).toMatch(/^Ledgerly is bookkeeping for freelancers/)
    expect(context.roadmap).toEqual([
      { phase: 'Phase 1: Accounts and invoices', items: [{ title: 'Project setup - repository, CI, database', done: true }, { title: 'User accounts - sign up, log in, reset password', done: false }, { title: 'Invoices - create, send, mark paid', done: false }] },
      { phase: 'Phase 2: Expenses', items: [{ title: 'Dashboard - totals for the month', done: false }, { title: 'Receipt capture by e-mail', done: false }, { title: 'Bank feed import', done: false }] },
    ])
    expect(context.techStack.entries.slice(0, 2)).toEqual([
      { key: 'Application Framework', value: 'Fastify 5' },
      { key: 'Language', value: 'TypeScript 5.9 on Node 22' },
    ])
    expect(context.specs.map((s) => [s.name, s.path, s.status, s.tasks.length, s.dependencies])).toEqual([
      [AUTH, `.devfactory/specs/${AUTH}`, 'in_progress', 10, ['2026-01-01-project-setup']],
      ['2026-01-12-dashboard', '.devfactory/specs/2026-01-12-dashboard', 'planning', 4, [AUTH]],
    ])
    expect(context.specs[0]?.tasks.find((t) => t.id === '3.2')).toEqual({ id: '3.2', title: 'Run the end-to-end login test', layer: 'testing', status: 'pending', line: 20 })
    expect(context.lastLoaded).toBe('2026-11-20T10:20:00.000Z')
    expect(reads).toHaveLength(8)
  })

  it('warns about each missing file and uses what is there', async () => {
    unlinkSync(join(root, '.devfactory/product/mission-lite.md'))
    unlinkSync(join(root, '.devfactory/product/roadmap.md'))
    unlinkSync(join(root, `.devfactory/specs/${AUTH}/srd.md`))
    const l = loader()
    const context = await l.load()
    expect(l.warnings).toEqual(['.devfactory/product/mission-lite.md is missing', '.devfactory/product/roadmap.md is missing', `.devfactory/specs/${AUTH}/srd.md is missing`])
    // Without mission-lite.md, the mission's opening paragraphs stand in for it.
    expect(context.missionLite).toMatch(/^# Product Mission\n\n## Pitch\n\nLedgerly is a bookkeeping app/)
    expect(context.missionLite.length).toBeLessThanOrEqual(800)
    expect(context.roadmap).toEqual([])
    expect(context.specs[0]?.tasks).toHaveLength(10)
    expect(l.getTaskContext('2.2', AUTH)?.requirements).toBe(`(no srd.md in .devfactory/specs/${AUTH})`)
  })

  it('gives an empty context with warnings for a workspace without .devfactory', async () => {
    rmSync(join(root, '.devfactory'), { recursive: true })
    const l = loader()
    const context = await l.load()
    expect(context).toMatchObject({ mission: '', missionLite: '', roadmap: [], specs: [] })
    expect(l.warnings).toHaveLength(5)
    expect(l.warnings.at(-1)).toBe('.devfactory/specs/ is missing: no specs')
  })

  it('throws a coded internal error when the context is asked for before load', () => {
    expect(() => loader().getContext()).toThrow(expect.objectContaining({ code: 'ORACLE_INTERNAL' }))
  })
})

describe('refresh', () => {
  it('re-reads only the file whose mtime changed, and says whether anything did', async () => {
    const l = loader()
    await l.load()
    reads = []
    expect(await l.refresh()).toBe(false)
    expect(reads).toEqual([])

    const tasks = `.devfactory/specs/${AUTH}/tasks.md`
    write(tasks, '## Database\n- [x] 1. Users table\n')
    utimesSync(join(root, tasks), new Date('2026-11-20T10:30:00Z'), new Date('2026-11-20T10:30:00Z'))
    expect(await l.refresh()).toBe(true)
    expect(reads).toEqual([tasks])
    expect(l.getContext().specs[0]).toMatchObject({ status: 'complete', tasks: [{ id: '1', layer: 'database' }] })
  })

  it('notices a new spec, a removed file and a removed spec', async () => {
    const l = loader()
    await l.load()
    reads = []
    write('.devfactory/specs/2026-02-01-billing/tasks.md', '- [ ] 1. Invoice PDF\n')
    expect(await l.refresh()).toBe(true)
    expect(reads).toEqual(['.devfactory/specs/2026-02-01-billing/tasks.md'])
    expect(l.warnings).toEqual(['.devfactory/specs/2026-02-01-billing/srd.md is missing'])

    unlinkSync(join(root, '.devfactory/product/tech-stack.md'))
    rmSync(join(root, '.devfactory/specs/2026-01-12-dashboard'), { recursive: true })
    reads = []
    expect(await l.refresh()).toBe(true)
    expect(reads).toEqual([])
    expect(l.getContext().techStack).toEqual({ raw: '', entries: [] })
    expect(l.getContext().specs.map((s) => s.name)).toEqual([AUTH, '2026-02-01-billing'])
  })
})

describe('getTaskContext', () => {
  it('gives the spec, the SRD section naming the task, its line, dependencies and the tasks of its group', async () => {
    const l = loader()
    await l.load()
    const task = l.getTaskContext(`${AUTH}/2.2`)
    expect(task).toMatchObject({ id: '2.2', title: 'Hash and check passwords with bcrypt', layer: 'backend', specName: AUTH, tasksFile: `.devfactory/specs/${AUTH}/tasks.md`, line: 13 })
    expect(task?.dependencies).toEqual(['1.2', '2026-01-01-project-setup'])
    expect(task?.relatedTasks.map((t) => t.id)).toEqual(['2', '2.1', '2.3'])
    // No section names the subtask; its parent task's title ("Login endpoint") finds one.
    expect(task?.requirements).toMatch(/^## Login endpoint\n\n`POST \/api\/login`/)
    expect(task?.requirements).not.toContain('## Login page')
  })

  it.each([
    { ask: ['1.1'], spec: AUTH, title: 'Write tests for the users table' },
    { ask: ['1.1', '2026-01-12-dashboard'], spec: '2026-01-12-dashboard', title: 'Write the totals query' },
    { ask: ['2026-01-12-dashboard/1.1'], spec: '2026-01-12-dashboard', title: 'Write the totals query' },
    { ask: ['2026-01-12-dashboard/1.1', '2026-01-12-dashboard'], spec: '2026-01-12-dashboard', title: 'Write the totals query' },
  ])('finds $ask in $spec', async ({ ask, spec, title }) => {
    const l = loader()
    await l.load()
    expect(l.getTaskContext(ask[0] as string, ask[1])).toMatchObject({ specName: spec, title })
  })

  it.each([['9.9'], ['nope/1.1'], ['1.1', 'no-such-spec']])('gives undefined for %s', async (...args) => {
    const l = loader()
    await l.load()
    expect(l.getTaskContext(args[0] as string, args[1])).toBeUndefined()
  })

  it('falls back to the whole SRD, clipped, when no section names the task', async () => {
    write(`.devfactory/specs/${AUTH}/srd.md`, `# SRD\n\n## Notes\n\n${'word '.repeat(3000)}`)
    const l = loader()
    await l.load()
    const requirements = l.getTaskContext('3.1', AUTH)?.requirements ?? ''
    expect(requirements.startsWith('# SRD\n\n## Notes')).toBe(true)
    expect(requirements.length).toBeLessThanOrEqual(6000)
    expect(requirements.endsWith('…')).toBe(true)
  })
})

describe('getSummary', () => {
  it('puts the current task first, then recent issues, the mission, roadmap, tech stack and specs', async () => {
    const l = loader()
    await l.load()
    const summary = l.getSummary(4000, { taskId: `${AUTH}/2.2`, recentIssues: ["Error: Cannot find module 'bcrypt'"] })
    const order = ['## Current task', '## Recent issues', '## Mission', '## Roadmap', '## Tech stack', '## Specs'].map((h) => summary.indexOf(h))
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true)
    expect(summary).toContain(`2.2 Hash and check passwords with bcrypt (layer backend, spec ${AUTH})`)
    expect(summary).toContain(`Checkbox: .devfactory/specs/${AUTH}/tasks.md:13`)
    expect(summary).toContain("- Error: Cannot find module 'bcrypt'")
    expect(summary).toContain('- Phase 1: Accounts and invoices: 1/3 done; next: User accounts')
    expect(summary).toContain(`- ${AUTH}: in_progress, 4/10 tasks done`)
  })

  it.each([4000, 500, 120, 30, 3])('stays within %i tokens (characters ÷ 4), cutting the tail first', async (budget) => {
    write(`.devfactory/product/mission-lite.md`, 'Mission. '.repeat(400))
    const l = loader()
    await l.load()
    const summary = l.getSummary(budget, { taskId: `${AUTH}/2.2` })
    expect(estimateTokens(summary)).toBeLessThanOrEqual(budget)
    if (budget >= 30) expect(summary.startsWith('## Current task\n2.2 Hash and check passwords')).toBe(true)
    if (budget < 4000 && budget > 3) expect(summary.endsWith('[…truncated]')).toBe(true)
  })

  it('keeps room for the mission when the task requirements are long', async () => {
    write(`.devfactory/specs/${AUTH}/srd.md`, `# SRD\n\n## Login endpoint\n\n${'rule '.repeat(5000)}`)
    const l = loader()
    await l.load()
    const summary = l.getSummary(1000, { taskId: `${AUTH}/2.2` })
    expect(summary).toContain('## Mission\nLedgerly is bookkeeping')
  })

  it('says so when the focused task is not in any tasks.md', async () => {
    const l = loader()
    await l.load()
    expect(l.getSummary(200, { taskId: 'x/9' })).toMatch(/^## Current task\nx\/9 \(not found in any spec's tasks\.md\)\n\n## Mission/)
  })
})
