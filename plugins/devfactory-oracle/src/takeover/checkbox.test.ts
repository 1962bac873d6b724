import { describe, expect, it } from 'vitest'
import { tickCheckbox } from './checkbox.js'

const TASKS = ['# Tasks', '', '## Database', '- [x] 1.1 Create users table', '- [ ] 1.2 Add sessions table', '- [ ] 1.10 Seed data', '  - [ ] 1.2.1 sub-step'].join('\n')

describe('tickCheckbox', () => {
  it('ticks exactly the given line and changes nothing else', () => {
    const result = tickCheckbox(TASKS, 5, '1.2', 'Add sessions table')
    expect(result).toMatchObject({ outcome: 'ticked', line: 5 })
    const before = TASKS.split('\n')
    const after = result.text.split('\n')
    expect(after[4]).toBe('- [x] 1.2 Add sessions table')
    expect(after.filter((l, i) => l !== before[i])).toHaveLength(1)
  })

  it.each([
    ['lines inserted above: found by id', `# New intro line\n${TASKS}`, 5, '1.2', undefined, 6],
    ['found by title when the id is not in the text', TASKS.replace('1.2 Add', 'Add'), 99, 'sessions', 'Add sessions table', 5],
    ['trusts the line when no line names the task', '- [ ] first\n- [ ] second', 2, 'db-7', 'Something else', 2],
    ['keeps CRLF line ends', '- [ ] a\r\n- [ ] task-9 b\r\n', 2, 'task-9', undefined, 2],
    ['id followed by a dot', '- [ ] 1.2. Add sessions', 1, '1.2', undefined, 1],
    ['star and plus bullets', '* [ ] x\n+ [ ] T-3 y', 2, 'T-3', undefined, 2],
  ])('%s', (_name, text, line, id, title, expectedLine) => {
    const result = tickCheckbox(text, line, id, title)
    expect(result.outcome).toBe('ticked')
    expect(result.line).toBe(expectedLine)
    const changed = result.text.split('\n').filter((l, i) => l !== text.split('\n')[i])
    expect(changed).toHaveLength(1)
    expect(changed[0]).toMatch(/\[x\]/)
  })

  it.each([
    ['already ticked', TASKS, 4, '1.1', undefined, 'already_ticked'],
    ['1.1 is not 1.10', '- [ ] 1.10 Seed', undefined, '1.1', undefined, 'not_found'],
    ['1.2 is not 1.2.1', '- [ ] 1.2.1 Sub', undefined, '1.2', undefined, 'not_found'],
    ['two open boxes name the task', '- [ ] fix T1\n- [ ] T1 again', 9, 'T1', undefined, 'not_found'],
    ['the line is not a checkbox and nothing names the task', '# x\ntext', 2, 'zz', undefined, 'not_found'],
  ] as const)('%s', (_name, text, line, id, title, outcome) => {
    const result = tickCheckbox(text, line, id, title)
    expect(result.outcome).toBe(outcome)
    expect(result.text).toBe(text)
  })
})
