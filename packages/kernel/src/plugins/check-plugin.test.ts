import { describe, expect, it } from 'vitest'
import { formatPath, pointerToSegments } from '../schema/json-path.js'
import { Type } from '../schema/typebox.js'
import { GLOBAL_FLAGS, RESERVED_COMMANDS, checkPluginShape } from './check-plugin.js'

const run = () => undefined
const command = (extra: Record<string, unknown> = {}) => ({ name: 'report', summary: 'Write the report', run, ...extra })
const intent = (extra: Record<string, unknown> = {}) => ({ name: 'gc_runs', module: new URL('file:///p/gc.js'), ...extra })
const plugin = (extra: Record<string, unknown> = {}) => ({ name: 'my-team:reports', ...extra })

interface Row {
  name: string
  value: unknown
  /** [path, message (exact or pattern), rule] of every problem, in order. */
  problems: Array<[string, string | RegExp, string?]>
}

const rows: Row[] = [
  { name: 'a number', value: 42, problems: [['plugins[3]', 'is not a plugin (got number)', 'plugin-not-object']] },
  { name: 'null', value: null, problems: [['plugins[3]', 'is not a plugin (got object)', 'plugin-not-object']] },
  { name: 'an array', value: [plugin()], problems: [['plugins[3]', 'is not a plugin (got object)', 'plugin-not-object']] },
  { name: 'a string', value: 'oops', problems: [['plugins[3]', 'is not a plugin (got string)', 'plugin-not-object']] },
  { name: 'no name', value: {}, problems: [['plugins[3].name', 'plugin name must be a non-empty string of letters, digits and @:/._- (got undefined)']] },
  { name: 'an empty name', value: plugin({ name: '' }), problems: [['plugins[3].name', /\(got ""\)$/]] },
  { name: 'a name with spaces', value: plugin({ name: 'my plugin' }), problems: [['plugins[3].name', /\(got "my plugin"\)$/]] },
  { name: 'a name that is not a string', value: plugin({ name: 7 }), problems: [['plugins[3].name', /\(got 7\)$/]] },
  { name: 'setup not a function', value: plugin({ setup: true }), problems: [['plugins[3].setup', 'setup must be a function']] },
  { name: 'teardown not a function', value: plugin({ teardown: 'later' }), problems: [['plugins[3].teardown', 'teardown must be a function']] },
  { name: 'optionsSchema not an object', value: plugin({ optionsSchema: 'object' }), problems: [['plugins[3].optionsSchema', 'optionsSchema must be a TypeBox schema']] },
  { name: 'optionsSchema null', value: plugin({ optionsSchema: null }), problems: [['plugins[3].optionsSchema', 'optionsSchema must be a TypeBox schema']] },
  { name: 'commands not an array', value: plugin({ commands: { report: command() } }), problems: [['plugins[3].commands', 'must be an array']] },
  { name: 'a command that is null', value: plugin({ commands: [command(), null] }), problems: [['plugins[3].commands[1]', 'must be an object']] },
  { name: 'a command name in capitals', value: plugin({ commands: [command({ name: 'Report' })] }), problems: [['plugins[3].commands[0].name', 'command name must be lower-case words separated by single spaces (got "Report")']] },
  { name: 'a command name with two spaces', value: plugin({ commands: [command({ name: 'pack  run' })] }), problems: [['plugins[3].commands[0].name', /\(got "pack  run"\)$/]] },
  ...RESERVED_COMMANDS.map(
    (name): Row => ({ name: `the reserved command name "${name}"`, value: plugin({ commands: [command({ name })] }), problems: [['plugins[3].commands[0].name', `command name "${name}" is reserved by the CLI`, 'command-reserved']] }),
  ),
  { name: 'a command without a summary', value: plugin({ commands: [command({ summary: ' ' })] }), problems: [['plugins[3].commands[0].summary', 'summary must be a non-empty string']] },
  { name: 'a command without run or load', value: plugin({ commands: [command({ run: undefined })] }), problems: [['plugins[3].commands[0]', 'a command needs exactly one of run (a handler) or load (a lazy import)']] },
  { name: 'a command with both run and load', value: plugin({ commands: [command({ load: async () => ({}) })] }), problems: [['plugins[3].commands[0]', /exactly one of run/]] },
  { name: 'a command whose run is not a function', value: plugin({ commands: [command({ run: 'report.js' })] }), problems: [['plugins[3].commands[0]', /exactly one of run/]] },
  { name: 'options not an object', value: plugin({ commands: [command({ options: 'out' })] }), problems: [['plugins[3].commands[0].options', 'options must be an object of flag definitions']] },
  {
    name: 'a flag in camelCase',
    value: plugin({ commands: [command({ options: { outDir: { type: 'string', description: 'Where' } } })] }),
    problems: [['plugins[3].commands[0].options.outDir', 'flag name "outDir" must be kebab-case']],
  },
  ...GLOBAL_FLAGS.map(
    (flag): Row => ({
      name: `the global flag --${flag}`,
      value: plugin({ commands: [command({ options: { [flag]: { type: 'boolean', description: 'Mine' } } })] }),
      problems: [[formatPath(['plugins', 3, 'commands', 0, 'options', flag]), `flag --${flag} is a global flag`, 'flag-reserved']],
    }),
  ),
  {
    name: 'a flag without a type or description',
    value: plugin({ commands: [command({ options: { out: { type: 'file' } } })] }),
    problems: [
      ['plugins[3].commands[0].options.out.type', 'flag type must be "string", "boolean" or "number"'],
      ['plugins[3].commands[0].options.out.description', 'flag needs a description'],
    ],
  },
  { name: 'a flag that is null', value: plugin({ commands: [command({ options: { out: null } })] }), problems: [['plugins[3].commands[0].options.out.type', /^flag type/], ['plugins[3].commands[0].options.out.description', /^flag needs/]] },
  {
    name: 'a short alias of two letters',
    value: plugin({ commands: [command({ options: { out: { type: 'string', description: 'Where', short: 'ou' } } })] }),
    problems: [['plugins[3].commands[0].options.out.short', 'short must be one letter']],
  },
  { name: 'args not an array', value: plugin({ commands: [command({ args: { pack: {} } })] }), problems: [['plugins[3].commands[0].args', 'args must be an array']] },
  {
    name: 'an argument without an identifier name',
    value: plugin({ commands: [command({ args: [{ name: 'Pack File', description: 'x' }, null] })] }),
    problems: [
      ['plugins[3].commands[0].args[0].name', 'argument name must be an identifier'],
      ['plugins[3].commands[0].args[1].name', 'argument name must be an identifier'],
    ],
  },
  {
    name: 'a variadic argument that is not last',
    value: plugin({ commands: [command({ args: [{ name: 'files', description: 'x', variadic: true }, { name: 'out', description: 'y' }] })] }),
    problems: [['plugins[3].commands[0].args[0]', 'only the last argument may be variadic']],
  },
  { name: 'intents not an array', value: plugin({ intents: intent() }), problems: [['plugins[3].intents', 'must be an array']] },
  { name: 'an intent name with capitals', value: plugin({ intents: [intent({ name: 'GcRuns' })] }), problems: [['plugins[3].intents[0].name', 'intent name must be lower-case letters, digits and _.:- (got "GcRuns")']] },
  { name: 'an intent module given as a relative path', value: plugin({ intents: [intent({ module: './gc.js' })] }), problems: [['plugins[3].intents[0].module', 'module must be a file URL or an absolute path']] },
  { name: 'an intent without a module', value: plugin({ intents: [intent({ module: undefined })] }), problems: [['plugins[3].intents[0].module', /^module must be/]] },
  { name: 'an intent input that is not a schema', value: plugin({ intents: [intent({ input: 'json' })] }), problems: [['plugins[3].intents[0].input', 'input must be a TypeBox schema']] },
  { name: 'an intent spawns flag that is not a boolean', value: plugin({ intents: [intent({ spawns: 'yes' })] }), problems: [['plugins[3].intents[0].spawns', 'spawns must be true or false']] },
  {
    name: 'many problems at once, in order',
    value: { name: '', setup: 1, commands: [command({ name: 'init', summary: '' })], intents: [intent({ module: 'x.js' })] },
    problems: [
      ['plugins[3].name', /^plugin name/],
      ['plugins[3].setup', 'setup must be a function'],
      ['plugins[3].commands[0].name', /reserved/, 'command-reserved'],
      ['plugins[3].commands[0].summary', /^summary/],
      ['plugins[3].intents[0].module', /^module/],
    ],
  },
]

describe('checkPluginShape', () => {
  it.each(rows)('$name', ({ value, problems }) => {
    const found = checkPluginShape(value, ['plugins', 3])
    expect(found.map((p) => p.path)).toEqual(problems.map(([path]) => path))
    problems.forEach(([, message, rule], index) => {
      const problem = found[index]
      if (typeof message === 'string') expect(problem?.message).toBe(message)
      else expect(problem?.message).toMatch(message)
      expect(problem?.rule).toBe(rule ?? (problem?.path === 'plugins[3]' ? 'plugin-not-object' : 'plugin-shape'))
      expect(problem).toMatchObject({ severity: 'error', hint: expect.any(String) })
      // The pointer names the same place as the path.
      expect(formatPath(pointerToSegments(problem?.pointer ?? ''))).toBe(problem?.path)
    })
  })

  it('accepts a full, valid plugin', () => {
    const valid = plugin({
      version: '1.0.0',
      optionsSchema: Type.Object({ budget: Type.Integer() }),
      setup: async () => undefined,
      teardown: () => undefined,
      commands: [
        command({ name: 'pack run', options: { out: { type: 'string', description: 'Where', short: 'o' }, 'dry-run': { type: 'boolean', description: 'Plan only' } }, args: [{ name: 'pack', description: 'x' }, { name: 'rest', description: 'y', variadic: true }] }),
        { name: 'pack list', summary: 'List', load: async () => ({ default: run }) },
      ],
      intents: [intent(), intent({ name: 'hello.greet', module: '/abs/greet.js', input: Type.Object({}) }), intent({ name: 'x:y-z', module: 'file:///x.js' })],
      extensions: { 'work-order-source': {} },
    })
    expect(checkPluginShape(valid, ['plugins', 0])).toEqual([])
  })

  it('accepts scoped and namespaced plugin names', () => {
    for (const name of ['oracle:dash', '@acme/oracle-plugin', 'team.reports_v2']) expect(checkPluginShape({ name }, [])).toEqual([])
  })

  it('puts problems at the root path when given no prefix', () => {
    expect(checkPluginShape(1, [])).toEqual([expect.objectContaining({ path: '(root)', pointer: '' })])
  })
})
