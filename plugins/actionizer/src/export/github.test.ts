import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import type { ActionTask, Priority, TaskStatus } from '../types.js'
import { sections } from './_fixtures/markdown-text.js'
import { allTasks, blocked, conflict, ctx, longTitle, makeTask, markdownSpecial, noop, oneAction, threeActions, unicode } from './_fixtures/tasks.js'
import { GITHUB_LIMITS, type GithubIssueBody, GithubIssuesFile, GithubIssueBody as IssueSchema, githubIssues, issueLabels, taskIdOfIssue } from './github.js'

const issues = JSON.parse(githubIssues(allTasks, ctx)) as GithubIssueBody[]
const issueOf = (task: ActionTask) => issues[allTasks.filter((t) => t.status !== 'noop').indexOf(task)] as Required<GithubIssueBody>

describe('githubIssues', () => {
  it('writes one valid request body per task that is not noop, in task order', () => {
    expect(issues.map((issue) => taskIdOfIssue(issue.body ?? ''))).toEqual(allTasks.filter((t) => t !== noop).map((t) => t.task_id))
    expect(checkValue(GithubIssuesFile, issues).problems).toEqual([])
    for (const issue of issues) {
      expect(checkValue(IssueSchema, issue).problems).toEqual([])
      expect(Object.keys(issue).sort()).toEqual(['body', 'labels', 'title'])
    }
  })

  it('rejects what the API would not take', () => {
    for (const bad of [{ title: '' }, { title: 'x'.repeat(257) }, { title: 'x', labels: ['l'.repeat(51)] }, { title: 'x', oraclekit: 1 }]) {
      expect(checkValue(IssueSchema, bad).ok).toBe(false)
    }
  })

  it.each([
    [oneAction, '[observability] Log the exit code of every runner job'],
    [unicode, '[UX flows] Überprüfe die Fehlermeldungen — 日本語のエラー 🚀 im UX-Fluss'],
    [makeTask(9, 1, { title: 'multi\nline   title', category: 'invariants' }), '[invariants] multi line title'],
  ])('titles are "[category] title" on one line: %#', (task, title) => {
    expect(JSON.parse(githubIssues([task], ctx))[0].title).toBe(title)
  })

  it('cuts a 300-character title to 256 with an ellipsis', () => {
    const { title } = issueOf(longTitle)
    expect(longTitle.title).toHaveLength(300)
    expect(title).toHaveLength(GITHUB_LIMITS.title)
    expect(title.startsWith('[migrations] Very long title')).toBe(true)
    expect(title.endsWith('…')).toBe(true)
    // the body keeps the whole title
    expect(issueOf(longTitle).body.split('\n')[0]).toBe(longTitle.title)
  })

  it.each([
    ['actionable', 'critical', 'contracts/interfaces', ['oraclepack', 'category:contracts-interfaces', 'status:actionable', 'priority:critical']],
    ['blocked', 'high', 'background jobs', ['oraclepack', 'category:background-jobs', 'status:blocked', 'priority:high']],
    ['conflict', 'medium', 'UX flows', ['oraclepack', 'category:ux-flows', 'status:conflict', 'priority:medium']],
    ['actionable', 'low', 'A category name that is far too long for one GitHub label', ['oraclepack', 'category:a-category-name-that-is-far-too-long-for', 'status:actionable', 'priority:low']],
    ['actionable', 'low', '日本語', ['oraclepack', 'category:uncategorized', 'status:actionable', 'priority:low']],
  ] as [TaskStatus, Priority, string, string[]][])('labels: %s, %s, %j', (status, priority, category, labels) => {
    const got = issueLabels(makeTask(1, 1, { status, priority, category }))
    expect(got).toEqual(labels)
    for (const label of got) expect(label.length).toBeLessThanOrEqual(GITHUB_LIMITS.label)
  })

  it('lays the body out as sections with checklists', () => {
    const body = sections(issueOf(threeActions).body)
    expect([...body.keys()]).toEqual(['Actions', 'Acceptance criteria', 'Evidence', 'Expected artifacts', 'Depends on'])
    expect(body.get('Actions')).toEqual([
      { task: true, text: 'Create src/error.rs with enum AppError' },
      { task: true, text: 'Map anyhow::Error to AppError in src/lib.rs' },
      { task: true, text: 'Add tests in tests/error.rs' },
    ])
    expect(body.get('Acceptance criteria')?.map((item) => item.task)).toEqual([true, true, true])
    expect(body.get('Evidence')?.map((item) => item.text)).toEqual(['Paths: src/error.rs, src/lib.rs, tests/error.rs', 'Symbols: AppError', 'Commands: cargo test'])
    expect(body.get('Depends on')?.map((item) => item.text)).toEqual([oneAction.task_id])
  })

  it('says why a blocked task waits and lists its missing inputs', () => {
    const { body } = issueOf(blocked)
    expect(body).toContain('**Blocked:**')
    expect(sections(body).get('Missing inputs')).toEqual([
      { task: true, text: 'internal/cache/store.go' },
      { task: true, text: 'internal/cache/*.go' },
    ])
  })

  it('marks a conflict and keeps the notes citing both steps', () => {
    const { body } = issueOf(conflict)
    expect(body).toContain('**Conflict:**')
    expect(sections(body).get('Notes')?.map((item) => item.text)).toEqual(conflict.notes)
  })

  it('ends with a provenance footer and the hidden marker', () => {
    const lines = issueOf(oneAction).body.trimEnd().split('\n')
    expect(lines.at(-1)).toBe(`<!-- oraclekit:task ${oneAction.task_id} -->`)
    const footer = lines.at(-3) ?? ''
    for (const part of [ctx.pack_id, ctx.pack_path, `step \`${oneAction.step_id}\``, oneAction.source.output_path ?? '', oneAction.task_id]) expect(footer).toContain(part)
  })

  it('never breaks on Markdown in the answer text: every item reads back as written', () => {
    const { body } = issueOf(markdownSpecial)
    const read = sections(body)
    expect(read.get('Actions')?.map((item) => item.text)).toEqual([
      'Escape a|b | c in tables',
      'Handle ``` fences and a lone ` backtick',
      '1. not a list [link](http://x) <b>bold</b> & &amp; _em_ ~~del~~',
    ])
    expect(read.get('Acceptance criteria')?.map((item) => item.text)).toEqual(markdownSpecial.acceptance)
    expect(read.get('Notes')?.map((item) => item.text)).toEqual(['- starts like a list', '> starts like a quote', 'line one line two'])
    expect(read.get('Evidence')?.map((item) => item.text)).toEqual(['Paths: src/a|b.ts', 'Symbols: render`md`', 'Commands: grep -n "|" src'])
    // the fake marker in the title is text, not a second marker
    expect(body.match(/^<!-- oraclekit:task .* -->$/gm)).toEqual([`<!-- oraclekit:task ${markdownSpecial.task_id} -->`])
    expect(taskIdOfIssue(body)).toBe(markdownSpecial.task_id)
  })

  it('drops dependencies on noop tasks', () => {
    expect(sections(issueOf(longTitle).body).has('Depends on')).toBe(false)
  })

  it('keeps a huge body under the limit with its footer whole', () => {
    const huge = makeTask(9, 1, { actions: Array.from({ length: 2000 }, (_, i) => `Action ${i} ${'x'.repeat(40)}`) })
    const [issue] = JSON.parse(githubIssues([huge], ctx)) as Required<GithubIssueBody>[]
    expect(issue?.body.length).toBeLessThanOrEqual(GITHUB_LIMITS.body)
    expect(issue?.body).toContain('cut to fit')
    expect(taskIdOfIssue(issue?.body ?? '')).toBe(huge.task_id)
    expect(checkValue(IssueSchema, issue).ok).toBe(true)
  })
})
