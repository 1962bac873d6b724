import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import type { ActionTask, Priority, TaskStatus } from '../types.js'
import { CREATED_AT, allTasks, blocked, conflict, ctx, longTitle, makeTask, noop, oneAction, threeActions, unicode } from './_fixtures/tasks.js'
import { TaskmasterFile, TaskmasterSubtask, TaskmasterTask, taskmasterFile, taskmasterJson } from './taskmaster.js'

const file = JSON.parse(taskmasterJson(allTasks, ctx)) as TaskmasterFile
const tasks = file.master.tasks
const exported = allTasks.filter((task) => task !== noop)
const tmOf = (task: ActionTask) => tasks[exported.indexOf(task)] as TaskmasterTask

describe('taskmasterJson', () => {
  it('is the tagged form under master, valid against the schema, with the run time as created and updated', () => {
    expect(Object.keys(file)).toEqual(['master'])
    expect(checkValue(TaskmasterFile, file).problems).toEqual([])
    expect(file.master.metadata).toEqual({
      created: CREATED_AT,
      updated: CREATED_AT,
      description: `Tasks from oraclepack run ${ctx.pack_id} (${ctx.pack_path}), exported by OracleKit actionizer.`,
    })
    expect(taskmasterFile(allTasks, ctx)).toEqual(file)
  })

  it('numbers the tasks that are not noop 1..N in task order', () => {
    expect(tasks.map((task) => task.id)).toEqual(exported.map((_, i) => i + 1))
    expect(tasks.map((task) => task.metadata?.oraclekit?.task_id)).toEqual(exported.map((task) => task.task_id))
  })

  it('fills every required field', () => {
    const required = ['id', 'title', 'description', 'status', 'priority', 'dependencies', 'details', 'testStrategy', 'subtasks']
    for (const task of tasks) for (const key of required) expect(task).toHaveProperty(key)
  })

  it.each([
    ['actionable', 'pending'],
    ['blocked', 'blocked'],
    ['conflict', 'pending'],
  ] as [TaskStatus, string][])('status %s → %s', (status, expected) => {
    const [task] = taskmasterFile([makeTask(1, 1, { status })], ctx).master.tasks
    expect(task?.status).toBe(expected)
    expect(task?.metadata?.oraclekit?.status).toBe(status)
  })

  it('opens a conflict with the conflict, in description and details', () => {
    expect(tmOf(conflict).description).toMatch(/— Conflict: /)
    expect(tmOf(conflict).details.startsWith('Conflict: ')).toBe(true)
  })

  it.each(['critical', 'high', 'medium', 'low'] as Priority[])('priority %s is kept', (priority) => {
    expect(taskmasterFile([makeTask(1, 1, { priority })], ctx).master.tasks[0]?.priority).toBe(priority)
  })

  it.each([
    [oneAction, 'development'],
    [unicode, 'documentation'],
    [blocked, 'research'],
    [conflict, 'design'],
  ] as const)('category of %# → %s (the pack category stays in metadata)', (task, category) => {
    expect(tmOf(task).category).toBe(category)
    expect(tmOf(task).metadata?.oraclekit).toEqual({ task_id: task.task_id, pack_id: task.pack_id, step_id: task.step_id, status: task.status, category: task.category })
  })

  it('points dependencies at numeric ids, dropping noop and unknown tasks', () => {
    expect(tmOf(threeActions).dependencies).toEqual([1])
    expect(tmOf(conflict).dependencies).toEqual([tmOf(blocked).id])
    expect(tmOf(longTitle).dependencies).toEqual([])
    const [a, b] = taskmasterFile([makeTask(1, 1), makeTask(2, 1, { depends_on: ['OP3-ab12cd34-01-01', 'nope'] })], ctx).master.tasks
    expect([a?.dependencies, b?.dependencies]).toEqual([[], [1]])
  })

  it('cuts a 300-character title to 200, keeping the whole title in the description', () => {
    expect(tmOf(longTitle).title).toHaveLength(200)
    expect(tmOf(longTitle).description).toBe(longTitle.title)
  })

  it('writes actions and evidence into details, acceptance into testStrategy', () => {
    const task = tmOf(oneAction)
    expect(task.details).toContain('Actions:\n1. Add an `exit_code` field')
    expect(task.details).toContain('- paths: internal/exec/runner.go, internal/exec/*.go')
    expect(task.details).toContain(`task ${oneAction.task_id}`)
    expect(task.testStrategy).toBe('Acceptance criteria:\n- `go test ./internal/exec/...` passes\n- internal/exec/runner.go contains `exit_code`')
    expect(task.acceptanceCriteria).toEqual(oneAction.acceptance)
    expect(tmOf(blocked).testStrategy).toBe('')
  })

  it('lists evidence files (not patterns) as relevantFiles: modify for changes, reference otherwise', () => {
    expect(tmOf(oneAction).relevantFiles).toEqual([{ path: 'internal/exec/runner.go', description: 'Named as evidence in the answer to step 01.', action: 'modify' }])
    expect(tmOf(conflict).relevantFiles?.map((file) => file.action)).toEqual(['reference'])
    expect(tmOf(blocked).relevantFiles).toBeUndefined()
  })

  it('makes one subtask per action when there are two or more', () => {
    expect(tmOf(oneAction).subtasks).toEqual([])
    expect(tmOf(threeActions).subtasks.map((s) => [s.id, s.title, s.status, s.dependencies])).toEqual([
      [1, 'Create src/error.rs with `enum AppError`', 'pending', []],
      [2, 'Map anyhow::Error to AppError in src/lib.rs', 'pending', []],
      [3, 'Add tests in tests/error.rs', 'pending', []],
    ])
  })

  it.each([
    ['Fix', 'Action 1: Fix', 'Fix (action 1 of 2)'],
    ['Do it', 'Do it', 'Do it (action 1 of 2)'],
    ['', 'Action 1', 'Action 1 (action 1 of 2)'],
    ['x'.repeat(250), `${'x'.repeat(199)}…`, 'x'.repeat(250)],
  ])('a subtask from action %j meets the subtask limits', (action, title, description) => {
    const [task] = taskmasterFile([makeTask(1, 1, { actions: [action, 'Second action here'] })], ctx).master.tasks
    const subtask = task?.subtasks[0]
    expect(subtask?.title).toBe(title)
    expect(subtask?.description).toBe(description)
    expect(checkValue(TaskmasterSubtask, subtask).problems).toEqual([])
  })

  it('rejects what the strict Task Master schema would not take', () => {
    const good = tmOf(threeActions)
    for (const bad of [
      { ...good, id: 0 },
      { ...good, id: '1' },
      { ...good, title: '' },
      { ...good, status: 'review' },
      { ...good, priority: 'urgent' },
      { ...good, extra: true },
      { ...good, subtasks: [{ ...good.subtasks[0], title: 'abc' }] },
      { ...good, subtasks: [{ ...good.subtasks[0], details: 'too short' }] },
      { ...good, subtasks: [{ ...good.subtasks[0], status: 'blocked' }] },
    ]) {
      expect(checkValue(TaskmasterTask, bad).ok).toBe(false)
    }
  })
})
