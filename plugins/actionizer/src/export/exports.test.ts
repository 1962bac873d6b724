// What holds for every export: pure, deterministic, in task order, and with no clock but the run's.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import type { ActionTask, ExportContext } from '../types.js'
import { allTasks, ctx } from './_fixtures/tasks.js'
import { githubIssues } from './github.js'
import { orchestratorYml } from './orchestrator.js'
import { taskmasterJson } from './taskmaster.js'

const EXPORTS: [string, (tasks: ActionTask[], ctx: ExportContext) => string][] = [
  ['github-issues.json', githubIssues],
  ['taskmaster.json', taskmasterJson],
  ['orchestrator.yml', orchestratorYml],
]

/** The task ids an export lists, in its order. */
const ORDER: Record<string, (text: string) => string[]> = {
  'github-issues.json': (text) => (JSON.parse(text) as { body: string }[]).map((issue) => /oraclekit:task (\S+) -->\n$/.exec(issue.body)?.[1] ?? ''),
  'taskmaster.json': (text) => (JSON.parse(text) as { master: { tasks: { metadata: { oraclekit: { task_id: string } } }[] } }).master.tasks.map((t) => t.metadata.oraclekit.task_id),
  'orchestrator.yml': (text) => (parse(text) as { tasks: { id: string }[] }).tasks.map((t) => t.id),
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member)
    Object.freeze(value)
  }
  return value
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g

describe.each(EXPORTS)('%s', (name, write) => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('is a pure function of its input: same bytes twice, input untouched', () => {
    const frozen = deepFreeze(structuredClone(allTasks))
    const first = write(frozen, deepFreeze({ ...ctx }))
    expect(write(frozen, ctx)).toBe(first)
    expect(frozen).toEqual(allTasks)
    expect(first.endsWith('\n')).toBe(true)
  })

  it('follows the input order', () => {
    const exported = allTasks.filter((task) => task.status !== 'noop').map((task) => task.task_id)
    expect(ORDER[name]?.(write(allTasks, ctx))).toEqual(exported)
    expect(ORDER[name]?.(write([...allTasks].reverse(), ctx))).toEqual([...exported].reverse())
  })

  it('writes no time but the run’s created_at, whatever the clock says', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2031-07-04T12:34:56.789Z'))
    const a = write(allTasks, ctx)
    vi.setSystemTime(new Date('2032-01-01T00:00:00.000Z'))
    expect(write(allTasks, ctx)).toBe(a)
    expect(a).not.toMatch(/203[12]/)
    for (const time of a.match(ISO_TIME) ?? []) expect(time).toBe(ctx.created_at)
  })

  it('depends on created_at only where it writes it', () => {
    const later = write(allTasks, { ...ctx, created_at: '2026-04-01T00:00:00.000Z' })
    const times = write(allTasks, ctx).match(ISO_TIME) ?? []
    if (times.length === 0) expect(later).toBe(write(allTasks, ctx))
    else expect(later.replaceAll('2026-04-01T00:00:00.000Z', ctx.created_at)).toBe(write(allTasks, ctx))
  })

  it('writes nothing for no tasks, or only noop tasks, but a valid empty file', () => {
    const empty = write([], ctx)
    expect(write(allTasks.filter((task) => task.status === 'noop'), ctx)).toBe(empty)
    expect(ORDER[name]?.(empty)).toEqual([])
  })
})
