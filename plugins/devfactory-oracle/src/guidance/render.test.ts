import { describe, expect, it } from 'vitest'
import { stuckWorker, taskContext } from '../_test/fixtures.js'
import { parseGuidance } from './parse.js'
import { renderEscalationNote, renderGuidance } from './render.js'

const base = { stuck: stuckWorker(), task: taskContext(), model: 'claude-test', writtenAt: '2026-11-21T10:12:00.000Z' }

describe('renderGuidance', () => {
  it('is deterministic: the same input gives the same bytes', () => {
    const content = parseGuidance('### Root Cause\nA.\n### Solution\n1. B')
    expect(renderGuidance({ ...base, content })).toBe(renderGuidance({ ...base, content: structuredClone(content) }))
  })

  it('indents a step’s further lines, and fences code that itself holds a fence', () => {
    const text = renderGuidance({ ...base, content: { rootCause: 'A.', suggestedFix: ['Edit:\n- x\n- y', 'Go'], codeSnippets: [{ language: 'md', code: '```js\nx()\n```' }], escalate: true, escalateReason: 'needs a decision' } })
    expect(text).toContain('## Solution\n\n1. Edit:\n   - x\n   - y\n2. Go\n')
    expect(text).toContain('## Code\n\n````md\n```js\nx()\n```\n````\n')
    expect(text).toContain('## Escalate\n\nYes: needs a decision\n')
  })

  it('keeps the raw answer when nothing could be read from it', () => {
    const raw = 'I think the DB is down?'
    const text = renderGuidance({ ...base, content: parseGuidance(raw), rawAnswer: raw })
    expect(text).toContain('_Not given._')
    expect(text).toContain('## Answer as received\n\n```markdown\nI think the DB is down?\n```\n')
    expect(renderGuidance({ ...base, content: parseGuidance('### Root Cause\nX'), rawAnswer: raw })).not.toContain('Answer as received')
  })

  it('keeps multi-line evidence on one line of the list', () => {
    const text = renderGuidance({ ...base, stuck: stuckWorker({ evidence: ['line one\nline two'], stuckDuration: 60_000 }), content: parseGuidance('') })
    expect(text).toContain('- Stuck for: 1 minute (detected')
    expect(text).toContain('  - line one line two\n')
  })
})

describe('renderEscalationNote', () => {
  it('lists the reason, the stuck state and the history', () => {
    const note = renderEscalationNote({
      ...base,
      reason: 'a takeover of this task failed',
      at: '2026-11-21T11:00:00.000Z',
      stateFile: '.devfactory/beast/state.json',
      previous: [{ id: 'int-3', timestamp: '2026-11-21T10:40:00.000Z', taskId: '1.2', worker: 'worker-1', classification: 'technical_error', type: 'takeover', contextSummary: '', action: 'takeover failed: exit 3', outcome: 'failed' }],
    })
    expect(note).toContain('Reason: a takeover of this task failed\n')
    expect(note).toContain('- Escalated: 2026-11-21T11:00:00.000Z\n')
    expect(note).toContain('## Previous interventions\n\n- int-3 2026-11-21T10:40:00.000Z takeover (failed): takeover failed: exit 3\n')
    expect(renderEscalationNote({ ...base, reason: 'r', at: 'now', stateFile: 's', previous: [] })).toContain('## Previous interventions\n\nNone.\n')
  })
})
