// JUnit XML for CI: one testsuite "orchestrator", a testcase per task. Failed tasks carry a
// <failure>; tasks that did not run to the end (blocked, skipped, pending, awaiting) a <skipped>.
import type { PlanSpec, RunState } from '../types.js'

export function renderJUnit(plan: PlanSpec, state: RunState): string {
  const cases: string[] = []
  let failures = 0
  let skipped = 0
  let totalMs = 0
  for (const task of plan.tasks) {
    const record = state.tasks[task.id]
    const taskState = record?.state ?? 'pending'
    const ms = record?.duration_ms ?? 0
    totalMs += ms
    const open = `    <testcase classname="orchestrator.${xml(task.type)}" name="${xml(`${task.id}: ${task.title}`)}" time="${seconds(ms)}"`
    const message = record?.message ?? ''
    if (taskState === 'completed') {
      cases.push(`${open}/>`)
    } else if (taskState === 'failed') {
      failures++
      const first = message.split('\n')[0] || 'failed'
      cases.push(`${open}>`, `      <failure message="${xml(first)}" type="task_failed">${xml(message)}</failure>`, '    </testcase>')
    } else {
      skipped++
      const label = taskState.replace('_', ' ')
      cases.push(`${open}>`, `      <skipped message="${xml(message ? `${label}: ${message}` : label)}"/>`, '    </testcase>')
    }
  }
  const attrs = `name="orchestrator" tests="${plan.tasks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(totalMs)}"`
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites ${attrs}>`, `  <testsuite ${attrs}>`, ...cases, '  </testsuite>', '</testsuites>', ''].join('\n')
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

/** Escapes text for an attribute or element; drops characters XML 1.0 cannot carry at all. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}
