// Test code only: hand-built inputs (the detector and the context loader are tested on their own).
import type { BeastState, StuckWorker, TaskContext } from '../types.js'

export const AT = '2026-11-21T10:00:00.000Z'

export function stuckWorker(partial: Partial<StuckWorker> = {}): StuckWorker {
  return {
    worker: 'worker-1',
    taskId: '1.2',
    classification: 'technical_error',
    confidence: 0.8,
    evidence: ['3 identical failing `npm test` calls', 'last error: ECONNREFUSED 127.0.0.1:5432'],
    detectedAt: AT,
    stuckDuration: 12 * 60_000,
    ...partial,
  }
}

export function taskContext(partial: Partial<TaskContext> = {}): TaskContext {
  return {
    id: '1.2',
    title: 'Add sessions table',
    layer: 'database',
    specName: 'auth',
    requirements: 'Sessions expire after 30 days.',
    tasksFile: '.devfactory/specs/auth/tasks.md',
    line: 4,
    dependencies: ['1.1'],
    relatedTasks: [],
    ...partial,
  }
}

export const TASKS_MD = '# Tasks\n\n- [x] 1.1 Create users table\n- [ ] 1.2 Add sessions table\n- [ ] 1.3 Seed data\n'

/** A state with worker-1 stuck on task 1.2 since 10:00. */
export function stuckState(): Pick<BeastState, 'workers' | 'tasks'> {
  return {
    workers: { 'worker-1': { id: 'worker-1', status: 'stuck', task_id: '1.2', status_since: AT, activity: [] } },
    tasks: { '1.2': { id: '1.2', title: 'Add sessions table', spec: 'auth', status: 'in_progress', assigned_to: 'worker-1', status_since: AT } },
  }
}
