import { describe, expect, it } from 'vitest'
import type { GuidanceContent } from '../types.js'
import { hasGuidance, parseEscalate, parseGuidance, parseSteps } from './parse.js'

const CANONICAL = `### Root Cause
The migration runs before the database container is ready.

### Solution
1. Add a health check to the db service.
2. Make the migrate step wait for it:
   run \`npm run db:wait\` first.
3. Re-run the migration.

### Code (if applicable)
\`\`\`yaml
healthcheck:
  test: ["CMD", "pg_isready"]
\`\`\`

### Escalate
false
`

describe('parseGuidance', () => {
  it('reads the four sections of the system prompt’s format', () => {
    expect(parseGuidance(CANONICAL)).toEqual({
      rootCause: 'The migration runs before the database container is ready.',
      suggestedFix: ['Add a health check to the db service.', 'Make the migrate step wait for it:\nrun `npm run db:wait` first.', 'Re-run the migration.'],
      codeSnippets: [{ language: 'yaml', code: 'healthcheck:\n  test: ["CMD", "pg_isready"]' }],
      escalate: false,
    } satisfies GuidanceContent)
  })

  it.each<[string, string, Partial<GuidanceContent>]>([
    ['heading level #', '# Root Cause\nA.\n# Solution\n1. B', { rootCause: 'A.', suggestedFix: ['B'] }],
    ['heading level ####, upper case', '#### ROOT CAUSE\nA.\n#### SOLUTION\n1) B\n2) C', { rootCause: 'A.', suggestedFix: ['B', 'C'] }],
    ['bold headings', '**Root Cause:**\nA.\n\n**Solution**\n- B\n- C', { rootCause: 'A.', suggestedFix: ['B', 'C'] }],
    ['heading text after a colon', '## Root cause: the port is taken\n## Escalate: true - needs a product decision', { rootCause: 'the port is taken', escalate: true, escalateReason: 'needs a product decision' }],
    ['missing sections are empty', 'I am not sure what happened.', { rootCause: '', suggestedFix: [], codeSnippets: [], escalate: false }],
    ['Solution without a list: one step per paragraph', '### Solution\nRestart the\nworker.\n\nThen check logs.', { suggestedFix: ['Restart the worker.', 'Then check logs.'] }],
    ['lead-in before the list is dropped', '### Solution\nDo this:\n1. A\n2. B', { suggestedFix: ['A', 'B'] }],
    ['text before the list is kept', '### Solution\nThe tests are flaky.\n1. A', { suggestedFix: ['The tests are flaky.', 'A'] }],
    ['sub-heading inside Solution stays in it', '### Solution\n1. A\n#### Note\n2. B\n### Escalate\nno', { suggestedFix: ['A\n#### Note', 'B'], escalate: false }],
    ['unknown heading ends a section', '### Root Cause\nA.\n### Background\nnoise\n### Solution\n1. B', { rootCause: 'A.', suggestedFix: ['B'] }],
    ['# inside code is not a heading', '### Code\n```bash\n# install\nnpm ci\n```\n### Escalate\nfalse', { codeSnippets: [{ language: 'bash', code: '# install\nnpm ci' }], escalate: false }],
    ['code without a language, and code inside Solution', '### Solution\n1. Run:\n```\nnpm ci\n```\n### Code\n~~~TS\nconst a = 1\n~~~', { suggestedFix: ['Run:'], codeSnippets: [{ language: 'ts', code: 'const a = 1' }, { language: 'text', code: 'npm ci' }] }],
    ['an unclosed fence keeps its code', '### Code\n```js\nx()', { codeSnippets: [{ language: 'js', code: 'x()' }] }],
    ['"Escalate: yes" on a plain line', '### Root Cause\nA.\n\nEscalate: yes - the spec contradicts itself', { rootCause: 'A.', escalate: true, escalateReason: 'the spec contradicts itself' }],
    ['bold "Escalate:" line', '**Escalate:** Yes — the API key lacks access', { escalate: true, escalateReason: 'the API key lacks access' }],
    ['template echoed with brackets', '### Escalate\n[true] - [missing credentials]', { escalate: true, escalateReason: 'missing credentials' }],
    ['escalate true on its own line, reason below', '### Escalate\ntrue\nNobody knows which auth provider to use.', { escalate: true, escalateReason: 'Nobody knows which auth provider to use.' }],
    ['CRLF line ends', '### Root Cause\r\nA.\r\n### Solution\r\n1. B\r\n', { rootCause: 'A.', suggestedFix: ['B'] }],
  ])('%s', (_name, answer, expected) => {
    expect(parseGuidance(answer)).toMatchObject(expected)
  })
})

describe('parseEscalate', () => {
  it.each([
    ['false', { escalate: false }],
    ['False - but watch it', { escalate: false }],
    ['true', { escalate: true }],
    ['TRUE: blocked on access', { escalate: true, reason: 'blocked on access' }],
    ['yes, a person must choose', { escalate: true, reason: 'a person must choose' }],
    ['No.', { escalate: false }],
    ['`true` - x', { escalate: true, reason: 'x' }],
    ['maybe', { escalate: false }],
    ['', { escalate: false }],
    ['trueish', { escalate: false }],
    ['[true/false] - [reason if true]', { escalate: false }],
  ])('%j', (text, expected) => {
    expect(parseEscalate(text)).toEqual(expected)
  })
})

describe('parseSteps', () => {
  it('keeps indented sub-bullets with their step', () => {
    expect(parseSteps(['1. Fix config', '   - set PORT', '   - set HOST', '2. Restart'])).toEqual(['Fix config\n- set PORT\n- set HOST', 'Restart'])
  })
})

describe('hasGuidance', () => {
  it('is false only when nothing usable was read', () => {
    expect(hasGuidance(parseGuidance('no structure at all'))).toBe(false)
    expect(hasGuidance(parseGuidance('### Escalate\ntrue - x'))).toBe(false)
    expect(hasGuidance(parseGuidance('### Solution\n1. A'))).toBe(true)
  })
})
