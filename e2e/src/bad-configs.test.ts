// Malformed configs through the built CLI: each gets its code, the JSON path of the problem, a
// location where there is one, a hint, exit code 2, no stack trace, and no file written.
import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TempDir, makeTempDir, runOracle } from './helpers.js'

const PLUGIN = `import { Type } from '@oraclekit/kernel'
export default function demo(options) {
  return { name: 'demo', optionsSchema: Type.Object({ budget: Type.Integer({ minimum: 1, default: 3 }) }, { additionalProperties: false }), options, commands: [{ name: 'demo', summary: 'x', run: () => ({ text: 'ok' }) }] }
}
`

interface Case {
  name: string
  file: string
  text: string
  code: string
  path: string
  line?: number
  extra?: Record<string, string>
}

const cases: Case[] = [
  { name: 'unknown top-level key', file: 'oracle.config.mjs', text: 'export default {\n  plugin: [],\n}\n', code: 'ORACLE_CONFIG_INVALID', path: 'plugin', line: 2 },
  { name: 'string where a number goes', file: 'oracle.config.ts', text: "export default {\n  run: {\n    maxParallel: '4',\n  },\n}\n", code: 'ORACLE_CONFIG_INVALID', path: 'run.maxParallel', line: 3 },
  { name: 'number out of range', file: 'oracle.config.json', text: '{\n  "run": { "maxParallel": 0 }\n}\n', code: 'ORACLE_CONFIG_INVALID', path: 'run.maxParallel', line: 2 },
  { name: 'bad enum value', file: 'oracle.config.json', text: '{\n  "log": {\n    "level": "loud"\n  }\n}\n', code: 'ORACLE_CONFIG_INVALID', path: 'log.level', line: 3 },
  { name: 'unknown nested key', file: 'oracle.config.mjs', text: 'export default {\n  run: {\n    retries: { tries: 3 },\n  },\n}\n', code: 'ORACLE_CONFIG_INVALID', path: 'run.retries.tries', line: 3 },
  { name: 'plugins is not an array', file: 'oracle.config.json', text: '{ "plugins": "demo" }\n', code: 'ORACLE_CONFIG_INVALID', path: 'plugins', line: 1 },
  { name: 'plugin entry of the wrong type', file: 'oracle.config.mjs', text: 'export default { plugins: [42] }\n', code: 'ORACLE_CONFIG_INVALID', path: 'plugins[0]' },
  { name: 'plugin factory not called', file: 'oracle.config.mjs', text: "import demo from './demo.mjs'\nexport default { plugins: [demo] }\n", code: 'ORACLE_CONFIG_INVALID', path: 'plugins[0]', extra: { 'demo.mjs': PLUGIN } },
  { name: 'plugin module without a factory', file: 'oracle.config.json', text: '{ "plugins": ["./not-a-factory.mjs"] }\n', code: 'ORACLE_CONFIG_INVALID', path: 'plugins[0]', extra: { 'not-a-factory.mjs': 'export default { name: "x" }\n' } },
  { name: 'plugin module that does not exist', file: 'oracle.config.json', text: '{ "plugins": ["./missing.mjs"] }\n', code: 'ORACLE_CONFIG_INVALID', path: 'plugins[0]' },
  { name: 'plugin option failing its schema', file: 'oracle.config.json', text: '{\n  "plugins": [\n    ["./demo.mjs", { "budget": "lots" }]\n  ]\n}\n', code: 'ORACLE_CONFIG_INVALID', path: 'plugins[0][1].budget', line: 3, extra: { 'demo.mjs': PLUGIN } },
  { name: 'duplicate plugin', file: 'oracle.config.mjs', text: "import demo from './demo.mjs'\nexport default { plugins: [demo(), demo()] }\n", code: 'ORACLE_CONFIG_INVALID', path: 'plugins', extra: { 'demo.mjs': PLUGIN } },
  { name: 'default export not an object', file: 'oracle.config.mjs', text: 'export default 42\n', code: 'ORACLE_CONFIG_INVALID', path: '(root)' },
  { name: 'JSON syntax error', file: 'oracle.config.json', text: '{\n  "run": {\n    "maxParallel": 2,\n  }\n}\n', code: 'ORACLE_CONFIG_LOAD_FAILED', path: '' },
  { name: 'TypeScript syntax error', file: 'oracle.config.ts', text: 'export default {\n  run: { maxParallel: 2 ,, },\n}\n', code: 'ORACLE_CONFIG_LOAD_FAILED', path: '', line: 2 },
  { name: 'package.json "oracle" key', file: 'package.json', text: '{\n  "name": "x",\n  "oracle": {\n    "runs": {}\n  }\n}\n', code: 'ORACLE_CONFIG_INVALID', path: 'runs', line: 4 },
]

let root: TempDir
beforeAll(async () => {
  root = await makeTempDir({ linkNodeModules: true })
})
afterAll(() => root.cleanup())

describe('malformed configs', () => {
  it(`covers at least ten cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(10)
  })

  it.each(cases)('$name → $code at "$path", exit 2', async ({ name, file, text, code, path, line, extra }) => {
    const dir = `case-${cases.findIndex((c) => c.name === name)}`
    await root.write(`${dir}/${file}`, text)
    for (const [extraFile, extraText] of Object.entries(extra ?? {})) await root.write(`${dir}/${extraFile}`, extraText)
    const human = await runOracle(['plugins'], { cwd: root.path(dir) })
    expect(human.exitCode).toBe(2)
    expect(human.stderr).toContain(code)
    expect(human.stderr).toContain('hint:')
    // A location line is fine ("at oracle.config.ts:2:25"); a stack frame is not.
    expect(human.stderr).not.toMatch(/\n\s+at (?:.+ \()?(?:file:\/\/|node:|\/)\S+:\d+:\d+/)

    const json = await runOracle(['plugins', '--json'], { cwd: root.path(dir) })
    expect(json.exitCode).toBe(2)
    const { error } = JSON.parse(json.stdout) as { error: { code: string; file?: string; line?: number; problems?: Array<{ path: string; line?: number; file?: string }> } }
    expect(error.code).toBe(code)
    expect(error.file ?? error.problems?.[0]?.file).toBe(root.path(dir, file))
    if (code === 'ORACLE_CONFIG_INVALID') {
      const problem = error.problems?.find((p) => p.path === path)
      expect(problem, JSON.stringify(error.problems)).toBeDefined()
      if (line !== undefined) expect(problem?.line).toBe(line)
    } else if (line !== undefined) {
      expect(error.line).toBe(line)
    }
    // Nothing was written by a config that failed to load.
    expect((await readdir(root.path(dir))).filter((f) => f.startsWith('.oracle'))).toEqual([])
  })
})
