// Plans for the engine's and the report's tests, from a compact map: id → dependencies.
import type { PlanSpec, RunEvent, TaskSpec } from '../../types.js'

export function task(id: string, dependencies: string[] = [], extra: Partial<TaskSpec> = {}): TaskSpec {
  return {
    id,
    title: `Task ${id}`,
    type: 'chore',
    description: '',
    paths: [],
    commands: [],
    checks: [],
    dependencies,
    shards: [],
    approvals: [],
    forbiddenPaths: [],
    timeboxMs: 0,
    source: `orchestrator.yml:${id}`,
    ...extra,
  }
}

export function planOf(graph: Record<string, string[]>, extra: Record<string, Partial<TaskSpec>> = {}): PlanSpec {
  return {
    file: 'orchestrator.yml',
    hash: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    project: { name: 'demo', root: '.' },
    approvals: [],
    tasks: Object.entries(graph).map(([id, deps]) => task(id, deps, extra[id])),
  }
}

/** a → b → c */
export const CHAIN = { a: [], b: ['a'], c: ['b'] }
/** root → x, y, z */
export const FAN_OUT = { root: [], x: ['root'], y: ['root'], z: ['root'] }
/** top → left, right → bottom */
export const DIAMOND = { top: [], left: ['top'], right: ['top'], bottom: ['left', 'right'] }

/** Events with seconds from 2026-11-22T03:15:00Z. */
export function at(seconds: number, event: Omit<RunEvent, 'ts'>): RunEvent {
  return { ts: new Date(Date.UTC(2026, 10, 22, 3, 15, 0) + seconds * 1000).toISOString(), ...event }
}
