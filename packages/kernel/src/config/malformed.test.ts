import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type TempWorkspace, makeWorkspace } from '../_test/workspace.js'
import type { Problem } from '../errors/oracle-error.js'
import { createKernel, loadKernelConfig } from '../kernel.js'
import { rejection } from '../_test/helpers.js'

// Plugin modules every case's workspace holds. They use plain JSON schemas, not Type from
// @oraclekit/kernel, so that no case depends on the built package but the one that says so.
const PLUGINS: Record<string, string> = {
  'plugins/greeter.mjs': `export default function greeter(options) {
  return {
    name: 'greeter',
    options,
    optionsSchema: {
      type: 'object',
      properties: { greeting: { type: 'string' }, times: { type: 'integer', minimum: 1, default: 1 } },
      required: ['greeting'],
      additionalProperties: false,
    },
    commands: [{ name: 'greet', summary: 'Say hi', run: () => ({ text: 'hi' }) }],
  }
}
`,
  'plugins/other.mjs': `export default () => ({ name: 'other', commands: [{ name: 'greet', summary: 'Greets too', run() {} }] })\n`,
  'plugins/object.mjs': `export default { name: 'object-not-factory' }\n`,
  'plugins/named.mjs': `export const plugin = () => ({ name: 'named' })\n`,
  'plugins/throws.mjs': `export default (options) => { throw new Error('needs a token, got ' + JSON.stringify(options)) }\n`,
  'plugins/bad-schema.mjs': `export default () => ({ name: 'bad-schema', optionsSchema: { type: 'object', markdownDescription: 'x' } })\n`,
}

interface Case {
  name: string
  /** Config file name → text. */
  config: [string, string]
  path: string
  rule: string
  /** Text on the problem's line (its first occurrence in the config), or null: not locatable. */
  at: string | null
  message?: string | RegExp
  hint?: string | RegExp
}

const ts = (body: string, imports = ''): [string, string] => ['oracle.config.ts', `${imports}export default {\n${body}\n}\n`]
const mjs = (body: string, imports = ''): [string, string] => ['oracle.config.mjs', `${imports}export default {\n${body}\n}\n`]
const GREETER = `import greeter from './plugins/greeter.mjs'\n`

const cases: Case[] = [
  {
    name: 'unknown top-level key, with "did you mean"',
    config: ['oracle.config.ts', `import { defineConfig } from '@oraclekit/kernel'\n\nexport default defineConfig({\n  plugns: [],\n} as never)\n`],
    path: 'plugns',
    rule: 'additionalProperties',
    at: 'plugns:',
    message: 'unknown key "plugns"',
    hint: 'Did you mean "plugins"?',
  },
  {
    name: 'wrong type: a string for a number (JSON)',
    config: ['oracle.config.json', `{\n  "run": {\n    "maxParallel": "3"\n  }\n}\n`],
    path: 'run.maxParallel',
    rule: 'type',
    at: '"maxParallel"',
    message: 'must be an integer (got string "3")',
  },
  { name: 'out-of-range number', config: mjs(`  run: {\n    maxParallel: 65,\n  },`), path: 'run.maxParallel', rule: 'maximum', at: 'maxParallel', message: 'must be <= 64 (got number 65)' },
  {
    name: 'out-of-range number in the "oracle" key of package.json',
    config: ['package.json', `{\n  "name": "app",\n  "scripts": { "run": "x" },\n  "oracle": {\n    "run": { "maxJobs": 0 }\n  }\n}\n`],
    path: 'run.maxJobs',
    rule: 'minimum',
    at: '"maxJobs"',
    message: 'must be >= 1 (got number 0)',
  },
  { name: 'bad enum: log.level', config: ts(`  log: { level: 'verbose' },`), path: 'log.level', rule: 'enum', at: "level: 'verbose'", message: /^must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" \(got string "verbose"\)$/ },
  { name: 'unknown key in run', config: ts(`  run: {\n    maxParalel: 2,\n  },`), path: 'run.maxParalel', rule: 'additionalProperties', at: 'maxParalel', hint: 'Did you mean "maxParallel"?' },
  { name: 'unknown key in run.retries', config: ts(`  run: { retries: {\n    factr: 3 } },`), path: 'run.retries.factr', rule: 'additionalProperties', at: 'factr', hint: 'Did you mean "factor"?' },
  { name: 'plugins not an array', config: ts(`  plugins: { greeter: {} },`), path: 'plugins', rule: 'type', at: 'plugins:', message: 'must be an array (got an object)' },
  { name: 'a plugin entry that is a number', config: ts(`  plugins: [\n    false,\n    42,\n  ],`), path: 'plugins[1]', rule: 'plugin-not-object', at: '42', message: 'is not a plugin (got number)' },
  { name: 'a bad entry inside a nested array', config: ts(`  plugins: [null, [undefined,\n    'x' === 'y' || true]],`), path: 'plugins[1][1]', rule: 'plugin-not-object', at: "'x' === 'y'", message: 'is not a plugin (got boolean)' },
  {
    name: 'a plugin factory passed uncalled',
    config: ts(`  plugins: [\n    greeter,\n  ],`, GREETER),
    path: 'plugins[0]',
    rule: 'plugin-not-called',
    at: '    greeter,',
    message: 'is a function, not a plugin (greeter)',
    hint: 'Call the factory: greeter(), not greeter.',
  },
  { name: 'a string specifier that cannot be resolved', config: ts(`  plugins: [\n    './plugins/nope.mjs',\n  ],`), path: 'plugins[0]', rule: 'plugin-not-found', at: 'nope.mjs', message: /^cannot load plugin module "\.\/plugins\/nope\.mjs": / },
  { name: 'a package that is not installed', config: mjs(`  plugins: ['oraclekit-plugin-not-installed'],`), path: 'plugins[0]', rule: 'plugin-not-found', at: 'oraclekit-plugin-not-installed', hint: /^Install the package/ },
  {
    name: 'a plugin factory that is not a function',
    config: ts(`  plugins: ['./plugins/object.mjs'],`),
    path: 'plugins[0]',
    rule: 'plugin-factory-not-function',
    at: 'object.mjs',
    message: 'plugin module "./plugins/object.mjs" has a default export of type object, not a plugin factory function',
  },
  { name: 'a plugin module without a default export', config: ts(`  plugins: [['./plugins/named.mjs', {}]],`), path: 'plugins[0]', rule: 'plugin-factory-not-function', at: 'named.mjs', message: /has no default export, not a plugin factory function$/ },
  { name: 'a plugin factory that throws', config: mjs(`  plugins: [['./plugins/throws.mjs', { a: 1 }]],`), path: 'plugins[0]', rule: 'plugin-factory-failed', at: 'throws.mjs', message: 'plugin factory of "./plugins/throws.mjs" threw: needs a token, got {"a":1}' },
  { name: 'a plugin object without a name', config: ts(`  plugins: [\n    { setup() {} },\n  ],`), path: 'plugins[0].name', rule: 'plugin-shape', at: null, message: 'plugin name must be a non-empty string of letters, digits and @:/._- (got undefined)' },
  {
    name: 'a command without run or load',
    config: ts(`  plugins: [{\n    name: 'reports',\n    commands: [\n      { name: 'report', summary: 'Write the report' },\n    ],\n  }],`),
    path: 'plugins[0].commands[0]',
    rule: 'plugin-shape',
    at: "{ name: 'report'",
    message: 'a command needs exactly one of run (a handler) or load (a lazy import)',
  },
  {
    name: 'a reserved command name (init)',
    config: ts(`  plugins: [{\n    name: 'mine',\n    commands: [{\n      name: 'init',\n      summary: 'Mine',\n      run() {},\n    }],\n  }],`),
    path: 'plugins[0].commands[0].name',
    rule: 'command-reserved',
    at: "name: 'init'",
    message: 'command name "init" is reserved by the CLI',
  },
  {
    name: 'a duplicate plugin name',
    config: ts(`  plugins: [\n    greeter({ greeting: 'a' }),\n    greeter({ greeting: 'b' }),\n  ],`, GREETER),
    path: 'plugins',
    rule: 'plugin-duplicate',
    at: 'plugins:',
    message: 'plugin "greeter" is defined twice (plugins[0] and plugins[1])',
  },
  {
    name: 'a duplicate command name across plugins',
    config: ts(`  plugins: [greeter({ greeting: 'a' }), './plugins/other.mjs'],`, GREETER),
    path: 'plugins',
    rule: 'command-duplicate',
    at: 'plugins:',
    message: 'command "greet" is defined twice (greeter and other)',
  },
  {
    name: 'plugin options failing the optionsSchema (.ts, factory call)',
    config: ts(`  plugins: [\n    greeter({\n      greeting: 'hello',\n      greting: 'typo',\n    }),\n  ],`, GREETER),
    path: 'plugins[0].options.greting',
    rule: 'plugin-options/additionalProperties',
    at: "greting: 'typo'",
    message: 'unknown key "greting"',
    hint: 'Did you mean "greeting"?',
  },
  {
    name: 'plugin options of the second instance get their own line',
    config: ts(`  plugins: [\n    [greeter({ greeting: 'a', times: 1 })],\n    [\n      false,\n      greeter({ greeting: 'b', times: 0 }),\n    ],\n  ],`, GREETER),
    path: 'plugins[1][1].options.times',
    rule: 'plugin-options/minimum',
    at: 'times: 0',
    message: 'must be >= 1 (got number 0)',
    hint: 'See the options of plugin "greeter" in its documentation.',
  },
  { name: 'a missing required plugin option has no line to point at', config: ts(`  plugins: [greeter({ times: 2 })],`, GREETER), path: 'plugins[0].options.greeting', rule: 'plugin-options/required', at: null, message: 'missing required key "greeting"' },
  {
    name: 'plugin options of a [specifier, options] pair (JSON)',
    config: ['oracle.config.json', `{\n  "plugins": [\n    ["./plugins/greeter.mjs", {\n      "greeting": "hi",\n      "times": "twice"\n    }]\n  ]\n}\n`],
    path: 'plugins[0][1].times',
    rule: 'plugin-options/type',
    at: '"times"',
    message: 'must be an integer (got string "twice")',
  },
  {
    name: 'an optionsSchema Ajv cannot compile',
    config: mjs(`  plugins: ['./plugins/bad-schema.mjs'],`),
    path: 'plugins[0].optionsSchema',
    rule: 'plugin-shape',
    at: null,
    message: 'optionsSchema of plugin "bad-schema" cannot be compiled: strict mode: unknown keyword: "markdownDescription"',
  },
  {
    name: 'an intent whose module is a relative path',
    config: mjs(`  plugins: [{\n    name: 'jobs',\n    intents: [{ name: 'gc_runs',\n      module: './gc.mjs' }],\n  }],`),
    path: 'plugins[0].intents[0].module',
    rule: 'plugin-shape',
    at: "module: './gc.mjs'",
    message: 'module must be a file URL or an absolute path',
  },
  { name: 'a default export that is not an object', config: ['oracle.config.ts', `export default 42\n`], path: '(root)', rule: 'type', at: null, message: 'must be an object (got number 42)' },
  { name: 'a config function returning an array', config: ['oracle.config.mjs', `export default () => [\n  'a',\n]\n`], path: '(root)', rule: 'type', at: null, message: 'must be an object (got an array of 1)' },
]

const workspaces: TempWorkspace[] = []
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.cleanup()))
})

async function workspaceWith([file, text]: [string, string]): Promise<TempWorkspace> {
  const ws = await makeWorkspace({ ...PLUGINS, [file]: text })
  workspaces.push(ws)
  return ws
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle)
  if (index < 0) throw new Error(`"${needle}" is not in the config`)
  return text.slice(0, index).split('\n').length
}

describe('malformed configs, as the CLI loads them', () => {
  it('has a case for every rule the brief lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12)
  })

  it.each(cases)('$name → $path ($rule)', async ({ config, path, rule, at, message, hint }) => {
    const ws = await workspaceWith(config)
    const error = await rejection(loadKernelConfig({ cwd: ws.dir, command: 'greet', allowMissingConfig: true }))
    const file = ws.path(config[0])
    expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_CONFIG_INVALID', exitCode: 2, file })
    const problem = error.problems.find((p) => p.path === path && p.rule === rule)
    expect(problem, JSON.stringify(error.problems, null, 2)).toBeDefined()
    const found = problem as Problem
    expect(found.severity).toBe('error')
    expect(found.pointer).toMatch(/^(\/|$)/)
    expect(typeof found.hint).toBe('string')
    if (at === null) expect(found.line).toBeUndefined()
    else expect({ file: found.file, line: found.line }).toEqual({ file, line: lineOf(config[1], at) })
    if (typeof message === 'string') expect(found.message).toBe(message)
    else if (message) expect(found.message).toMatch(message)
    if (typeof hint === 'string') expect(found.hint).toBe(hint)
    else if (hint) expect(found.hint).toMatch(hint)
  })

  it('reports several problems of one file together, each with its place', async () => {
    const [file, text] = ts(
      [
        `  root: '',`,
        `  run: { maxParallel: '3', retries: { factr: 2 } },`,
        `  log: { level: 'loud' },`,
        `  plugins: [`,
        `    greeter,`,
        `    greeter({ greeting: 'x', times: -1 }),`,
        `    './plugins/nope.mjs',`,
        `  ],`,
      ].join('\n'),
      GREETER,
    )
    const ws = await workspaceWith([file, text])
    const error = await rejection(loadKernelConfig({ cwd: ws.dir }))
    expect(error.code).toBe('ORACLE_CONFIG_INVALID')
    expect(error.message).toBe('oracle.config.ts has 7 problems')
    expect(error.problems.map((p) => [p.path, p.line])).toEqual([
      ['root', lineOf(text, 'root:')],
      ['run.maxParallel', lineOf(text, 'maxParallel')],
      ['run.retries.factr', lineOf(text, 'factr')],
      ['log.level', lineOf(text, 'level:')],
      ['plugins[0]', lineOf(text, '    greeter,')],
      ['plugins[1].options.times', lineOf(text, 'times: -1')],
      ['plugins[2]', lineOf(text, 'nope.mjs')],
    ])
  })

  it('throws the same through createKernel({ cwd })', async () => {
    const ws = await workspaceWith(ts(`  run: { maxParallel: 0 },\n  plugins: [42],`))
    const error = await rejection(createKernel({ cwd: ws.dir }))
    expect(error).toMatchObject({ code: 'ORACLE_CONFIG_INVALID', exitCode: 2, message: 'oracle.config.ts has 2 problems' })
    expect(error.problems.map((p) => [p.path, p.rule, p.line])).toEqual([
      ['run.maxParallel', 'minimum', 2],
      ['plugins[0]', 'plugin-not-object', 3],
    ])
  })

  it('serialises for --json with every problem', async () => {
    const ws = await workspaceWith(['oracle.config.json', '{ "log": { "level": 1 } }'])
    const json = JSON.parse(JSON.stringify(await rejection(loadKernelConfig({ cwd: ws.dir })))) as Record<string, unknown>
    expect(json).toMatchObject({ code: 'ORACLE_CONFIG_INVALID', exitCode: 2, problems: [{ path: 'log.level', line: 1, column: 12 }] })
  })

  it('writes nothing to disk when a config is rejected or fails to load', async () => {
    const broken: Array<[string, string]> = [ts(`  run: { maxParallel: -1 },\n  plugins: ['./plugins/throws.mjs'],`), ['oracle.config.json', '{ "run": '], mjs(`  plugins: [greeter],`, GREETER)]
    for (const config of broken) {
      const ws = await workspaceWith(config)
      const before = await listFiles(ws.dir)
      await rejection(createKernel({ cwd: ws.dir }))
      await rejection(loadKernelConfig({ cwd: ws.dir, allowMissingConfig: true }))
      expect(await listFiles(ws.dir)).toEqual(before)
      expect(before.some((f) => f.startsWith('.oracle'))).toBe(false)
    }
  })
})

describe('the plugins of a valid config', () => {
  it('are the objects the config wrote, not copies', async () => {
    const ws = await workspaceWith(
      mjs(
        `  plugins: [plugin],`,
        `const plugin = { name: 'self', setup() { if (this !== plugin) throw new Error('got a copy') } }\nObject.defineProperty(plugin, 'hidden', { value: 'kept', enumerable: false })\n`,
      ),
    )
    const kernel = await createKernel({ cwd: ws.dir })
    expect((kernel.plugins[0]?.plugin as unknown as { hidden: string }).hidden).toBe('kept')
    await kernel.start()
    await kernel.close()
  })

  it('resolve again in the same process when an optionsSchema has an $id', async () => {
    const ws = await workspaceWith(
      mjs(
        `  plugins: [withId({}), withId({ retries: 3 })].map((p, i) => ({ ...p, name: 'with-id-' + i })),`,
        `const schema = { $id: 'https://example.com/with-id.json', type: 'object', properties: { retries: { type: 'integer', default: 1 } } }\nconst withId = (options) => ({ name: 'with-id', options, optionsSchema: schema })\n`,
      ),
    )
    for (let round = 0; round < 2; round++) {
      const { plugins } = await loadKernelConfig({ cwd: ws.dir })
      expect(plugins.map((p) => p.options)).toEqual([{ retries: 1 }, { retries: 3 }])
    }
  })

  it('get their options validated with defaults filled in, the options the factory got untouched', async () => {
    const ws = await workspaceWith(ts(`  plugins: [greeter({ greeting: 'hey' })],`, GREETER))
    const { plugins, commands } = await loadKernelConfig({ cwd: ws.dir })
    expect(plugins).toEqual([expect.objectContaining({ name: 'greeter', path: 'plugins[0]', options: { greeting: 'hey', times: 1 } })])
    expect(plugins[0]?.plugin.options).toEqual({ greeting: 'hey' })
    expect(commands.map((c) => [c.plugin, c.definition.name])).toEqual([['greeter', 'greet']])
  })
})

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue
    const relative = join(prefix, entry.name)
    out.push(relative)
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), relative)))
  }
  return out.sort()
}
