import { describe, expect, it } from 'vitest'
import { stuckWorker, taskContext } from './_test/fixtures.js'
import { parseGuidance } from './guidance/parse.js'
import { ORACLE_SYSTEM_PROMPT, buildGuidancePrompt, buildTakeoverPrompt } from './prompts.js'

describe('ORACLE_SYSTEM_PROMPT', () => {
  it('asks for the four sections the parser reads, in order', () => {
    const headings = [...ORACLE_SYSTEM_PROMPT.matchAll(/^### (.+)$/gm)].map((m) => m[1])
    expect(headings).toEqual(['Root Cause', 'Solution', 'Code (if applicable)', 'Escalate'])
    expect(ORACLE_SYSTEM_PROMPT.startsWith('You are The Oracle, the all-knowing overseer of the DevFactory development system.\n')).toBe(true)
    expect(ORACLE_SYSTEM_PROMPT.endsWith('### Escalate\n[true/false] - [reason if true]\n')).toBe(true)
    expect(ORACLE_SYSTEM_PROMPT).toContain('```[language]\n[specific code to use]\n```')
  })

  it('its own format section parses: the template itself is a valid (empty-valued) answer', () => {
    const format = ORACLE_SYSTEM_PROMPT.slice(ORACLE_SYSTEM_PROMPT.indexOf('### Root Cause'))
    expect(parseGuidance(format)).toEqual({
      rootCause: '[1-2 sentences explaining why the worker is stuck]',
      suggestedFix: ['[Numbered steps to resolve the issue]'],
      codeSnippets: [{ language: 'text', code: '[specific code to use]' }],
      escalate: false,
    })
  })
})

describe('buildGuidancePrompt', () => {
  it('is the seed’s template filled in', () => {
    expect(buildGuidancePrompt('CTX', taskContext(), stuckWorker({ stuckDuration: 149_000 }))).toBe(`## Project Context
CTX

## Current Task
- ID: 1.2
- Title: Add sessions table
- Layer: database
- Spec: auth

## Task Requirements
Sessions expire after 30 days.

## Stuck Information
- Worker: worker-1
- Classification: technical_error
- Duration: 2 minutes
- Evidence:
  - 3 identical failing \`npm test\` calls
  - last error: ECONNREFUSED 127.0.0.1:5432

## Previous Attempts
None

---

Please analyze this situation and provide guidance to help the worker continue.`)
  })

  it('includes previous attempts when there are some', () => {
    expect(buildGuidancePrompt('CTX', taskContext({ previousAttempts: 'guidance-1.2-1.md: restart db' }), stuckWorker())).toContain('## Previous Attempts\nguidance-1.2-1.md: restart db\n')
  })
})

describe('buildTakeoverPrompt', () => {
  it('is the seed’s template filled in', () => {
    const prompt = buildTakeoverPrompt('CTX', taskContext())
    expect(prompt.startsWith('## Mission\nYou are The Oracle, taking over a stuck task to complete it directly.\n\n## Project Context\nCTX\n')).toBe(true)
    expect(prompt).toContain('## Task to Complete\n- ID: 1.2\n- Title: Add sessions table\n- Layer: database\n\n## Requirements\nSessions expire after 30 days.\n\n## Current State\nStarting fresh\n')
    expect(prompt.endsWith('Do not ask questions. Complete the task based on the spec.')).toBe(true)
    expect(buildTakeoverPrompt('CTX', taskContext({ currentState: 'migration half written' }))).toContain('## Current State\nmigration half written\n')
  })
})
