import { describe, expect, it } from 'vitest'
import type { DriftItem, DriftReport } from './probe.js'
import { driftReason, driftVerdict, escapeCell, renderDriftJson, renderDriftMarkdown } from './report.js'

const AT = '2026-11-21T07:00:00.000Z'
const item = (kind: DriftItem['kind'], key: string, status: DriftItem['status'], actual = status === 'ok' ? 'v20' : 'v22'): DriftItem => ({ kind, key, expected: 'v20', actual, status })

/** Deliberately out of order, as a hand-built report could be. */
const report = (): DriftReport => ({
  items: [item('toolchain', 'node', 'drift'), item('env', 'b', 'ok', 'set'), item('config', 'z', 'ok'), item('env', 'B', 'drift', 'missing'), item('config', 'a', 'ok')],
  errors: [item('toolchain', 'npm', 'error', 'exit 1')],
  ignored: [item('lockfile', 'yarn.lock', 'drift'), item('env', 'CI', 'drift', 'missing')],
})

describe('renderDriftJson', () => {
  it('is stable JSON: sorted keys, items by kind then key (code units), summary and exit code', () => {
    const text = renderDriftJson('alpha', report(), AT)
    const doc = JSON.parse(text)
    expect(Object.keys(doc)).toEqual(['checked_at', 'errors', 'exit_code', 'ignored', 'items', 'product_id', 'schema_version', 'summary'])
    expect(Object.keys(doc.items[0])).toEqual(['actual', 'expected', 'key', 'kind', 'status'])
    expect(doc.items.map((i: DriftItem) => `${i.kind}:${i.key}`)).toEqual(['config:a', 'config:z', 'env:B', 'env:b', 'toolchain:node'])
    expect(doc.ignored.map((i: DriftItem) => `${i.kind}:${i.key}`)).toEqual(['env:CI', 'lockfile:yarn.lock'])
    expect(doc).toMatchObject({ product_id: 'alpha', checked_at: AT, exit_code: 1, schema_version: 1, summary: { checked: 8, drift: 2, errors: 1, ignored: 2 } })
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('gives the same bytes for the same report in any order, and does not reorder its input', () => {
    const a = report()
    const b: DriftReport = { items: [...a.items].reverse(), errors: [...a.errors].reverse(), ignored: [...a.ignored].reverse() }
    const before = JSON.stringify(a)
    expect(renderDriftJson('alpha', a, AT)).toBe(renderDriftJson('alpha', b, AT))
    expect(renderDriftMarkdown('alpha', a, AT)).toBe(renderDriftMarkdown('alpha', b, AT))
    expect(JSON.stringify(a)).toBe(before)
  })

  it.each([
    { name: 'nothing', report: { items: [], errors: [], ignored: [] }, exit: 0, summary: { checked: 0, drift: 0, errors: 0, ignored: 0 } },
    { name: 'ok only', report: { items: [item('env', 'A', 'ok', 'set')], errors: [], ignored: [] }, exit: 0, summary: { checked: 1, drift: 0, errors: 0, ignored: 0 } },
    { name: 'drift', report: { items: [item('env', 'A', 'drift', 'missing')], errors: [], ignored: [] }, exit: 2, summary: { checked: 1, drift: 1, errors: 0, ignored: 0 } },
    { name: 'ignored drift', report: { items: [], errors: [], ignored: [item('env', 'A', 'drift', 'missing')] }, exit: 0, summary: { checked: 1, drift: 0, errors: 0, ignored: 1 } },
  ])('summary and exit code: $name', ({ report, exit, summary }) => {
    expect(JSON.parse(renderDriftJson('p', report, AT))).toMatchObject({ exit_code: exit, summary })
  })
})

describe('verdict and reason', () => {
  it.each([
    { name: 'none', report: { items: [item('env', 'A', 'ok', 'set')], errors: [], ignored: [] }, verdict: 'No drift', reason: null },
    { name: 'drift', report: { items: [item('env', 'A', 'drift'), item('env', 'B', 'drift')], errors: [], ignored: [] }, verdict: 'Drift: 2 item(s)', reason: 'drift: 2 item(s)' },
    {
      name: 'error',
      report: { items: [], errors: [item('toolchain', 'npm', 'error', 'exit 1')], ignored: [] },
      verdict: 'Error: 1 item(s) could not be checked (toolchain:npm: exit 1)',
      reason: 'error: 1 item(s) could not be checked (toolchain:npm: exit 1)',
    },
    {
      name: 'error and drift',
      report: { items: [item('env', 'A', 'drift')], errors: [item('toolchain', 'z', 'error', 'exit 9'), item('config', 'c', 'error', 'cannot read c: EACCES')], ignored: [] },
      verdict: 'Error: 2 item(s) could not be checked (config:c: cannot read c: EACCES); drift: 1 item(s)',
      reason: 'error: 2 item(s) could not be checked (config:c: cannot read c: EACCES); drift: 1 item(s)',
    },
  ])('$name', ({ report, verdict, reason }) => {
    expect(driftVerdict(report)).toBe(verdict)
    expect(driftReason(report)).toBe(reason)
    expect(renderDriftMarkdown('p', report, AT)).toContain(`**${escapeCell(verdict)}**`)
  })
})

describe('renderDriftMarkdown', () => {
  it('has a title, the verdict, one table of checked items (errors included) and the ignored items', () => {
    expect(renderDriftMarkdown('alpha', report(), AT)).toBe(
      [
        '# Drift: alpha',
        '',
        '**Error: 1 item(s) could not be checked (toolchain:npm: exit 1); drift: 2 item(s)**',
        '',
        `Checked at ${AT}: 8 probe(s), 2 drift, 1 error(s), 2 ignored. Exit code 1.`,
        '',
        '| kind | key | expected | actual | status |',
        '| --- | --- | --- | --- | --- |',
        '| config | a | v20 | v20 | ok |',
        '| config | z | v20 | v20 | ok |',
        '| env | B | v20 | missing | drift |',
        '| env | b | v20 | set | ok |',
        '| toolchain | node | v20 | v22 | drift |',
        '| toolchain | npm | v20 | exit 1 | error |',
        '',
        '## Ignored',
        '',
        '| kind | key | expected | actual | status |',
        '| --- | --- | --- | --- | --- |',
        '| env | CI | v20 | missing | drift |',
        '| lockfile | yarn.lock | v20 | v22 | drift |',
        '',
      ].join('\n'),
    )
  })

  it('says so when nothing was checked or ignored', () => {
    const md = renderDriftMarkdown('empty', { items: [], errors: [], ignored: [] }, AT)
    expect(md).toContain('**No drift**')
    expect(md).toContain('Nothing was checked.')
    expect(md).toContain('## Ignored\n\nNone.\n')
  })

  it.each([
    { cell: 'a|b', escaped: 'a\\|b' },
    { cell: '`rm -rf`', escaped: '\\`rm -rf\\`' },
    { cell: 'C:\\tools|x', escaped: 'C:\\\\tools\\|x' },
    { cell: 'line one\r\nline two\nthree', escaped: 'line one line two three' },
    { cell: 'nul\u0000here', escaped: 'nul here' },
    { cell: 'plain v20.1.0', escaped: 'plain v20.1.0' },
  ])('escapes $cell', ({ cell, escaped }) => {
    expect(escapeCell(cell)).toBe(escaped)
  })

  it('keeps every row at five cells whatever the values hold', () => {
    const nasty: DriftReport = { items: [{ kind: 'toolchain', key: 'k|`x`', expected: '/^a|b$/', actual: 'one\ntwo | three', status: 'drift' }], errors: [], ignored: [] }
    const row = renderDriftMarkdown('p', nasty, AT)
      .split('\n')
      .find((line) => line.startsWith('| toolchain'))
    expect(row).toBe('| toolchain | k\\|\\`x\\` | /^a\\|b$/ | one two \\| three | drift |')
    // unescaped pipes split cells: there are exactly six
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(7)
  })
})
