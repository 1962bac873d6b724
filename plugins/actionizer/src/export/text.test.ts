import { describe, expect, it } from 'vitest'
import { blocked, conflict, makeTask } from './_fixtures/tasks.js'
import { exportedDependencies, isFilePath, oneLine, slug, taskKind, truncate } from './text.js'

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['a bit too long', 10, 'a bit too…'],
    ['🚀🚀🚀🚀🚀', 6, '🚀🚀…'],
    ['ab🚀cd', 4, 'ab…'],
  ])('%j to %d → %j', (text, max, expected) => {
    const out = truncate(text, max)
    expect(out).toBe(expected)
    expect(out.length).toBeLessThanOrEqual(max)
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/) // no lone high surrogate
  })
})

describe('slug and oneLine', () => {
  it.each([
    ['contracts/interfaces', 'contracts-interfaces'],
    ['background jobs', 'background-jobs'],
    ['UX flows', 'ux-flows'],
    ['Überprüfung', 'uberprufung'],
    ['  --  ', ''],
  ])('slug(%j) = %j', (text, expected) => expect(slug(text)).toBe(expected))

  it('oneLine collapses every whitespace run', () => {
    expect(oneLine(' a\n\tb\r\n\n c  ')).toBe('a b c')
  })
})

describe('taskKind', () => {
  it.each([
    ['conflict', conflict, 'decision'],
    ['blocked', blocked, 'investigation'],
    ['no evidence', makeTask(1, 1), 'code_change'],
    ['code paths', makeTask(1, 1, { evidence: { paths: ['src/a.ts', 'README.md'], symbols: [], commands: [] } }), 'code_change'],
    ['Markdown only', makeTask(1, 1, { evidence: { paths: ['README.md', 'docs/a.MDX', 'b.markdown'], symbols: [], commands: [] } }), 'docs'],
    ['an experiment', makeTask(1, 1, { source: { output_path: 'outputs/01.md', output_hash: null, section: 'next_experiment' } }), 'investigation'],
  ] as const)('%s → %s', (_name, task, kind) => {
    expect(taskKind(task)).toBe(kind)
  })
})

describe('isFilePath (Task Master relevantFiles)', () => {
  it.each([
    ['src/retry.ts', true],
    ['Makefile', true],
    ['deploy/Dockerfile', true],
    ['.env.example', true],
    ['src/', false],
    ['src/jobs', false],
    ['src/**/*.ts', false],
  ])('%j → %j', (path, file) => {
    expect(isFilePath(path)).toBe(file)
  })
})

describe('exportedDependencies', () => {
  it('keeps exported dependencies once, in order, never the task itself', () => {
    const task = makeTask(2, 1, { depends_on: ['B', 'gone', 'A', 'B', 'OP3-ab12cd34-02-01'] })
    expect(exportedDependencies(task, new Set(['A', 'B', task.task_id]))).toEqual(['B', 'A'])
  })
})
