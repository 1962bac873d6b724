// tasks.md rules as tables: ids, status, lines, layers (marker, parent marker, heading, title
// words, default), dependencies, duplicates, and checkboxes inside fenced code.

import { describe, expect, it } from 'vitest'
import { layerOf, parseTasksMd, slugOf } from './tasks-md.js'

const parse = (text: string) => parseTasksMd(text, 'specs/s/tasks.md')
const only = (text: string) => {
  const { tasks } = parse(text)
  expect(tasks).toHaveLength(1)
  return tasks[0]
}

describe('a task line', () => {
  it.each([
    { line: '- [ ] 1.2 Create users table', id: '1.2', title: 'Create users table', status: 'pending' },
    { line: '- [x] 1.2 Create users table', id: '1.2', title: 'Create users table', status: 'complete' },
    { line: '* [X] 3. Wire the API', id: '3', title: 'Wire the API', status: 'complete' },
    { line: '+ [ ] 4) Ship it', id: '4', title: 'Ship it', status: 'pending' },
    { line: '- [ ] Add a login page!', id: 'add-a-login-page', title: 'Add a login page!', status: 'pending' },
    { line: '- [ ] 2.1 **Bold** title with `code`', id: '2.1', title: 'Bold title with code', status: 'pending' },
    { line: '- [ ] 1.3 Hash passwords (depends on 1.1, 1.2 and 0.9)', id: '1.3', title: 'Hash passwords', status: 'pending' },
  ])('$line → id $id, $status', ({ line, id, title, status }) => {
    expect(only(line)).toMatchObject({ id, title, status, line: 1 })
  })

  it.each([
    { line: '- [ ] 1.3 Hash passwords (depends on 1.1, 1.2 and 0.9)', deps: ['1.1', '1.2', '0.9'] },
    { line: '- [ ] 1.3 Hash passwords (after: 1.1)', deps: ['1.1'] },
    { line: '- [ ] 1.3 Hash passwords', deps: [] },
  ])('$line depends on $deps', ({ line, deps }) => {
    expect(only(line)?.dependsOn).toEqual(deps)
  })

  it.each(['- [] 1 no space', '- [y] 1 other mark', '-[ ] 1 no space after dash', 'Plain text [ ] 1'])('%s is not a task', (line) => {
    expect(parse(line).tasks).toEqual([])
  })
})

describe('layers', () => {
  it.each([
    { name: 'its own marker', text: '## Backend\n- [ ] 1 Seed data [database]', id: '1', layer: 'database' },
    { name: 'a marker on its parent', text: '- [ ] 1 Users [frontend]\n  - [ ] 1.1 Form', id: '1.1', layer: 'frontend' },
    { name: 'the nearest heading naming a layer', text: '## Frontend\n### Forms\n- [ ] 1 Build login', id: '1', layer: 'frontend' },
    { name: 'a heading over the top-level title words', text: '## Testing\n- [ ] 1 API smoke run', id: '1', layer: 'testing' },
    { name: 'a deeper heading without a layer keeps the outer one', text: '## Database\n### Step one\n- [ ] 1 Anything', id: '1', layer: 'database' },
    { name: 'a new heading of the same level ends the outer one', text: '## Database\n## Notes\n- [ ] 1 Anything', id: '1', layer: 'backend' },
    { name: 'the top-level title words, for a subtask', text: '- [ ] 1 Database schema\n  - [ ] 1.1 Write tests for it', id: '1.1', layer: 'database' },
    { name: 'the earliest layer word of the title', text: '- [ ] 1 Tests for the API', id: '1', layer: 'testing' },
    { name: 'the default', text: '- [ ] 1 Do the thing', id: '1', layer: 'backend' },
  ])('from $name → $layer', ({ text, id, layer }) => {
    expect(parse(text).tasks.find((t) => t.id === id)?.layer).toBe(layer)
  })

  it.each([
    ['Database Tasks', 'database'],
    ['Back-end', 'backend'],
    ['UI components', 'frontend'],
    ['E2E', 'testing'],
    ['Notes', undefined],
  ])('heading "%s" names %s', (text, layer) => {
    expect(layerOf(text)).toBe(layer)
  })
})

describe('a whole file', () => {
  const FILE = [
    '# Tasks', //                                       1
    '',
    '## Tasks', //                                      3
    '',
    '- [x] 1. Database schema', //                      5
    '  - [x] 1.1 Write tests for the users table', //   6
    '  - [ ] 1.2 Create the users table', //           7
    '',
    '```md', //                                         9
    '- [ ] 9.9 An example, not a task',
    '```',
    '- [ ] 2. Login endpoint', //                      12
    '  - [ ] 2.1 POST /login (depends on 1.2)', //      13
    '- [ ] 2. Logout endpoint', //                     14
  ].join('\n')

  it('finds each task with its line and parent, skipping fenced code', () => {
    const { tasks } = parse(FILE)
    expect(tasks.map((t) => [t.id, t.line, t.parent ?? null, t.layer, t.status])).toEqual([
      ['1', 5, null, 'database', 'complete'],
      ['1.1', 6, '1', 'database', 'complete'],
      ['1.2', 7, '1', 'database', 'pending'],
      ['2', 12, null, 'backend', 'pending'],
      ['2.1', 13, '2', 'backend', 'pending'],
      ['2-2', 14, null, 'backend', 'pending'],
    ])
  })

  it('warns about a duplicate id with its file and line', () => {
    expect(parse(FILE).warnings).toEqual(['specs/s/tasks.md:14: task id "2" is used twice; this one is "2-2"'])
  })
})

describe('slugOf', () => {
  it.each([
    ['Add a login page!', 'add-a-login-page'],
    ['  ---  ', ''],
    ['x'.repeat(60), 'x'.repeat(48)],
  ])('%s → %s', (title, slug) => {
    expect(slugOf(title)).toBe(slug)
  })
})
