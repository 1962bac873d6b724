import { describe, expect, it } from 'vitest'
import type { Problem } from '../errors/oracle-error.js'
import { type SourceText, locateProblems } from './locate.js'

/** 1-based line and column of the `nth` occurrence of `needle` (the expected place, found independently). */
function placeOf(text: string, needle: string, nth = 0): { line: number; column: number } {
  let index = -1
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1)
    if (index < 0) throw new Error(`"${needle}" #${nth} not in the text`)
  }
  const before = text.slice(0, index)
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') }
}

async function locate(source: SourceText, pointer: string, remap?: (pointer: string) => string): Promise<Problem> {
  const [problem] = await locateProblems([{ message: 'm', pointer }], source, remap)
  return problem as Problem
}

const json = (text: string, at?: string[]): SourceText => ({ file: '/w/oracle.config.json', text, kind: 'json', ...(at ? { at } : {}) })
const code = (text: string): SourceText => ({ file: '/w/oracle.config.ts', text, kind: 'code' })

describe('locateProblems in JSON (exact, through a parser)', () => {
  const text = `{
  "$schema": "./schema.json",
  "run": {
    "maxParallel": "3",
    "retries": { "factr": 2 }
  },
  "plugins": [
    "./a.mjs",
    ["./b.mjs", { "times": "x" }]
  ]
}
`
  it.each([
    ['/run/maxParallel', '"maxParallel"'],
    ['/run/retries/factr', '"factr"'],
    ['/plugins/1', '["./b.mjs"'],
    ['/plugins/1/1/times', '"times"'],
    ['/run', '"run"'],
  ])('%s is found where it is written', async (pointer, needle) => {
    expect(await locate(json(text), pointer)).toMatchObject({ file: '/w/oracle.config.json', ...placeOf(text, needle) })
  })

  it('points a missing key at its parent', async () => {
    expect(await locate(json(text), '/run/retries/max')).toMatchObject(placeOf(text, '"retries"'))
  })

  it('points a problem of the whole document at its start', async () => {
    expect(await locate(json(`\n\n[1, 2]\n`), '')).toMatchObject({ line: 3, column: 1 })
  })

  it('offsets into the "oracle" key of a package.json', async () => {
    const pkg = `{
  "name": "app",
  "config": { "run": { "maxParallel": 1 } },
  "oracle": {
    "run": {
      "maxParallel": 0
    }
  }
}
`
    expect(await locate(json(pkg, ['oracle']), '/run/maxParallel')).toMatchObject(placeOf(pkg, '"maxParallel"', 1))
    expect(await locate(json(pkg, ['oracle']), '')).toMatchObject(placeOf(pkg, '"oracle"'))
  })

  it('leaves alone problems without a pointer or with a line already', async () => {
    const problems: Problem[] = [{ message: 'no pointer' }, { message: 'placed', pointer: '/run', file: '/elsewhere.ts', line: 9, column: 2 }]
    expect(await locateProblems(problems, json(text))).toEqual(problems)
  })
})

describe('locateProblems in code (keys followed through the text)', () => {
  const config = `import { defineConfig } from '@oraclekit/kernel'
import greeter from './greeter.mjs'

// run: not this one, it is a comment
const label = "log: { level: 'x' }"

export default defineConfig({
  run: {
    maxParallel: '3',
    'maxJobs': 0,
    retries: { perJob: 1, factr: 2 },
  },
  plugins: [
    greeter({ times: 1, level: 'x' }),
    greeter({
      times: 'many',
      note: \`a \${label} }\`,
      greting: 'hi',
    }),
    { name: 'inline', options: { times: -1 } },
    42,
  ],
  log: { level: 'verbose' },
})
`
  it.each([
    ['/run/maxParallel', 'maxParallel:'],
    ['/run/maxJobs', 'maxJobs'],
    ['/run/retries/factr', 'factr:'],
    ['/log/level', "level: 'verbose'"],
    ['/plugins/3', '42'],
    ['/plugins/1', 'greeter({\n'],
  ])('%s is found where it is written', async (pointer, needle) => {
    expect(await locate(code(config), pointer)).toMatchObject({ file: '/w/oracle.config.ts', ...placeOf(config, needle) })
  })

  it('counts array elements, so the second call of a factory gets its own line', async () => {
    expect(await locate(code(config), '/plugins/1/times')).toMatchObject(placeOf(config, "times: 'many'"))
    expect(await locate(code(config), '/plugins/0/times')).toMatchObject(placeOf(config, 'times: 1'))
  })

  it('skips strings, template literals and comments while following keys', async () => {
    expect(await locate(code(config), '/plugins/1/greting')).toMatchObject(placeOf(config, 'greting:'))
  })

  it('finds plugin options in the factory call through the remap, and in an inline object without it', async () => {
    const remap = (pointer: string) => pointer.replace(/^\/plugins((?:\/\d+)+)\/options(?=\/|$)/, '/plugins$1')
    expect(await locate(code(config), '/plugins/1/options/greting', remap)).toMatchObject(placeOf(config, 'greting:'))
    expect(await locate(code(config), '/plugins/2/options/times', remap)).toMatchObject(placeOf(config, 'times: -1'))
  })

  it.each([
    ['a key that is not written (a missing required key)', '/run/retries/max'],
    ['a key written only in a nested object', '/run/perJob'],
    ['a key of an element that is not an object literal', '/plugins/3/name'],
    ['an element past the end of the array', '/plugins/9'],
    ['a top-level key that is not there', '/root'],
    ['the whole document', ''],
  ])('gives no line rather than a wrong one for %s', async (_name, pointer) => {
    const problem = await locate(code(config), pointer)
    expect(problem.line).toBeUndefined()
    expect(problem.column).toBeUndefined()
  })

  it.each([
    ['a spread', `export default { run: { ...base, maxJobs: 1 } }`, '/run/maxParallel'],
    ['a variable', `const list = [a()]\nexport default { plugins: list }`, '/plugins/0'],
    ['an element after a spread', `export default { plugins: [...base, greeter({ times: 'x' })] }`, '/plugins/1/times'],
    ['a key written twice (which one is used?)', `export default { run: process.env.CI ? { maxParallel: 1 } : { maxParallel: 'x' } }`, '/run/maxParallel'],
  ])('gives no line when the value comes from %s', async (_name, text, pointer) => {
    expect((await locate(code(text), pointer)).line).toBeUndefined()
  })

  it('does not let a later key elsewhere stand in for a missing one', async () => {
    const text = `export default {\n  run: { retries: { perJob: 1 } },\n  log: { level: 'info', max: 3 },\n}\n`
    expect((await locate(code(text), '/run/retries/max')).line).toBeUndefined()
    expect(await locate(code(text), '/run/retries/perJob')).toMatchObject(placeOf(text, 'perJob'))
  })

  it('finds keys in a config written as a function', async () => {
    const text = `export default defineConfig(({ command }) => ({\n  run: { maxParallel: command === 'x' ? 1 : 2, maxJobs: -1 },\n}))\n`
    expect(await locate(code(text), '/run/maxJobs')).toMatchObject(placeOf(text, 'maxJobs'))
  })
})
