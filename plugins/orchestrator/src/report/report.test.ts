import { describe, expect, it } from 'vitest'
import { planOf } from '../engine/_fixtures/plans.js'
import { fixtureRun } from '../engine/_fixtures/run.js'
import { reduce } from '../engine/state.js'
import { renderJUnit, xml } from './junit.js'
import { renderReport, runStatus } from './report.js'

describe('renderReport', () => {
  const { plan, events } = fixtureRun()
  const state = reduce(events, plan)
  const text = renderReport({
    plan,
    state,
    events,
    diffStat: ' src/error.rs | 40 ++++++++\n 1 file changed, 40 insertions(+)\n',
    artifacts: ['.codex/runs/20261122T031500Z.jsonl', 'TASKS.md'],
  })

  it('summarises the run', () => {
    expect(text.split('\n').slice(0, 7)).toEqual([
      '# Run report — demo',
      '',
      'Plan: `orchestrator.yml` (hash `01234567`)',
      'Status: failed',
      'Tasks: 2 completed, 2 running, 1 awaiting approval, 1 failed, 1 blocked, 1 skipped (8 tasks)',
      'Total duration: 20.0 s',
      'Awaiting approval: deploy',
    ])
  })

  it('tables the tasks with attempts and durations', () => {
    expect(text).toContain('| EXC-001 | Central exception handling | completed | 1 | 12.3 s |')
    expect(text).toContain('| EXC-002 | Exit codes \\| mapping | running | 1 | - |')
    expect(text).toContain('| CHR-002 | Task CHR-002 | skipped | 0 | - |')
  })

  it('shows each failure with its last message and the tail of its messages', () => {
    const failures = text.slice(text.indexOf('## Failures'), text.indexOf('## Blocked'))
    expect(failures).toBe(
      [
        '## Failures',
        '',
        '### TST-001 — Tests for &lt;errors> & "codes"',
        '',
        'Last message: acceptance failed: Tests pass',
        '',
        '```text',
        '[command_run cargo test] test errors::codes ... FAILED',
        'assertion failed: code == 2',
        '[acceptance_failed Tests pass] cargo test exited 101',
        '[task_failed] acceptance failed: Tests pass',
        '```',
        '',
        '',
      ].join('\n'),
    )
    expect(text).toContain('## Blocked\n\n- REL-001: blocked by TST-001\n')
  })

  it('includes the diff stat and links the artifacts', () => {
    expect(text).toContain('## Changes\n\n```text\n src/error.rs | 40 ++++++++\n 1 file changed, 40 insertions(+)\n```\n')
    expect(text.endsWith('## Artifacts\n\n- [20261122T031500Z.jsonl](.codex/runs/20261122T031500Z.jsonl)\n- [TASKS.md](TASKS.md)\n')).toBe(true)
  })

  it('leaves out the sections it has nothing for, and fences a message holding backticks', () => {
    const small = planOf({ a: [] })
    const failed = [
      { ts: '2026-11-22T00:00:00.000Z', type: 'task_started' as const, task: 'a' },
      { ts: '2026-11-22T00:00:01.000Z', type: 'task_failed' as const, task: 'a', message: 'see ```x```' },
    ]
    const report = renderReport({ plan: small, state: reduce(failed, small), events: failed })
    expect(report).toContain('````text\n[task_failed] see ```x```\n````')
    expect(report).not.toContain('## Changes')
    expect(report).not.toContain('## Artifacts')
    expect(renderReport({ plan: small, state: reduce([], small), events: [] })).toContain('Total duration: -')
  })

  it.each([
    { events: [], status: 'in progress' },
    { events: [{ ts: 't', type: 'task_completed' as const, task: 'a' }], status: 'completed' },
    { events: [{ ts: 't', type: 'awaiting_approval' as const, task: 'a', gate: 'g' }], status: 'awaiting approval' },
    { events: [{ ts: 't', type: 'task_failed' as const, task: 'a' }], status: 'failed' },
  ])('runStatus is $status', ({ events: some, status }) => {
    const small = planOf({ a: [] })
    expect(runStatus(small, reduce(some, small))).toBe(status)
  })
})

describe('renderJUnit', () => {
  it('escapes the five XML specials and drops characters XML cannot carry', () => {
    expect(xml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;')
    expect(xml('a\u0000b\u001bc\td')).toBe('abc\td')
  })

  it('writes one testsuite with a testcase per task', () => {
    const { plan, events } = fixtureRun()
    const text = renderJUnit(plan, reduce(events, plan))
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="orchestrator" tests="8" failures="1" errors="0" skipped="5" time="20.850">\n')).toBe(true)
    expect(text.match(/<testsuite /g)).toHaveLength(1)
    expect(text.match(/<testcase /g)).toHaveLength(8)
    expect(text).toContain('<testcase classname="orchestrator.code_change" name="EXC-001: Central exception handling" time="12.300"/>')
    expect(text).toContain(
      [
        '    <testcase classname="orchestrator.test" name="TST-001: Tests for &lt;errors&gt; &amp; &quot;codes&quot;" time="7.700">',
        '      <failure message="acceptance failed: Tests pass" type="task_failed">acceptance failed: Tests pass</failure>',
        '    </testcase>',
      ].join('\n'),
    )
    expect(text).toContain('<skipped message="blocked: blocked by TST-001"/>')
    expect(text).toContain('<skipped message="awaiting approval: awaiting approval: deploy"/>')
    expect(text).toContain('<skipped message="running"/>')
    expect(text.endsWith('</testsuite>\n</testsuites>\n')).toBe(true)
  })

  it('escapes a failure message', () => {
    const plan = planOf({ a: [] })
    const text = renderJUnit(plan, reduce([{ ts: 't', type: 'task_failed', task: 'a', message: `expected <a href="x">&'y'</a>` }], plan))
    expect(text).toContain('<failure message="expected &lt;a href=&quot;x&quot;&gt;&amp;&apos;y&apos;&lt;/a&gt;" type="task_failed">')
  })
})
