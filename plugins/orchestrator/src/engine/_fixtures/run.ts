// A run in every state, for the TASKS.md golden file and the report's tests.
import type { PlanSpec, RunEvent } from '../../types.js'
import { at, planOf } from './plans.js'

export function fixtureRun(): { plan: PlanSpec; events: RunEvent[] } {
  const plan = planOf(
    { 'EXC-001': [], 'EXC-002': ['EXC-001'], 'DOC-001': [], 'TST-001': ['EXC-001', 'DOC-001'], 'REL-001': ['TST-001'], 'DEP-001': ['DOC-001'], 'CHR-001': [], 'CHR-002': [] },
    {
      'EXC-001': {
        title: 'Central exception handling',
        type: 'code_change',
        shards: [
          { id: 'EXC-001A', title: 'Define AppError enum', checks: [] },
          { id: 'EXC-001B', title: 'Map anyhow::Error to AppError', checks: [] },
        ],
      },
      'EXC-002': { title: 'Exit codes | mapping', type: 'code_change' },
      'DOC-001': { title: 'Add orchestration PRD', type: 'docs' },
      'TST-001': { title: 'Tests for <errors> & "codes"', type: 'test' },
      'REL-001': { title: 'Release build', type: 'release' },
      'DEP-001': { title: 'Deploy docs', type: 'deploy', approvals: ['deploy'] },
      'CHR-001': { title: 'Tidy the changelog' },
    },
  )
  const events: RunEvent[] = [
    at(0, { type: 'plan_validated', message: plan.hash }),
    at(0, { type: 'task_started', task: 'EXC-001' }),
    at(0, { type: 'task_started', task: 'DOC-001' }),
    at(0, { type: 'task_started', task: 'CHR-001' }),
    at(0.85, { type: 'task_completed', task: 'DOC-001' }),
    at(1, { type: 'awaiting_approval', task: 'DEP-001', gate: 'deploy' }),
    at(1, { type: 'skipped', task: 'CHR-002', message: 'already done' }),
    at(12.3, { type: 'command_run', task: 'EXC-001', cmd: 'cargo test', status: 0 }),
    at(12.3, { type: 'task_completed', task: 'EXC-001' }),
    at(12.3, { type: 'task_started', task: 'EXC-002' }),
    at(12.3, { type: 'task_started', task: 'TST-001' }),
    at(20, { type: 'command_run', task: 'TST-001', cmd: 'cargo test', status: 101, message: 'test errors::codes ... FAILED\nassertion failed: code == 2' }),
    at(20, { type: 'acceptance_failed', task: 'TST-001', check: 'Tests pass', message: 'cargo test exited 101' }),
    at(20, { type: 'task_failed', task: 'TST-001', message: 'acceptance failed: Tests pass' }),
    at(20, { type: 'blocked', task: 'REL-001', message: 'blocked by TST-001' }),
  ]
  return { plan, events }
}
