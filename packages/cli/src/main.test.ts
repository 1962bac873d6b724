import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_FILES, type Workspace, cli, workspace } from './_test/harness.js'
import { VERSION } from './main.js'

let ws: Workspace
beforeAll(async () => {
  ws = await workspace(FIXTURE_FILES)
})
afterAll(() => ws.cleanup())

describe('version and help', () => {
  it.each([['--version'], ['-v']])('%s prints the version without loading any config', async (flag) => {
    const empty = await workspace({ 'oracle.config.mjs': 'export default { nonsense: true }' })
    try {
      expect(await cli([flag], empty.dir)).toEqual({ code: 0, stdout: `oracle ${VERSION}\n`, stderr: '' })
    } finally {
      await empty.cleanup()
    }
  })

  it('prints the version as JSON with --json', async () => {
    const result = await cli(['--version', '--json'], ws.dir)
    expect(JSON.parse(result.stdout)).toEqual({ oracle: VERSION, node: process.version })
  })

  it('lists built-in and plugin commands with their plugin, and the config in use', async () => {
    for (const argv of [[], ['--help'], ['help']]) {
      const result = await cli(argv, ws.dir)
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/Commands:\n(.|\n)*init\s+Create an oracle\.config\.ts/)
      expect(result.stdout).toMatch(/Commands from plugins:\n(.|\n)*greet <who>\s+Greet someone\s+\[fixture\]/)
      expect(result.stdout).toMatch(/pack run <pack>\s+Run a pack\s+\[fixture\]/)
      expect(result.stdout).toContain(`Config: ${ws.path('oracle.config.mjs')}`)
      for (const flag of ['--config <file>', '--cwd <dir>', '--json', '--ci', '--log-level <level>', '--version', '--help']) expect(result.stdout).toContain(flag)
    }
  })

  it.each([[['greet', '--help']], [['help', 'greet']], [['greet', '-h']]])('shows a command\'s help for %j', async (argv) => {
    const result = await cli(argv, ws.dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: oracle greet <who> [options]')
    expect(result.stdout).toContain('Prints a greeting, as text or as data.')
    expect(result.stdout).toMatch(/--times <n>\s+How many times \(default: 1\)/)
    expect(result.stdout).toMatch(/--tone <value>\s+Tone of voice \(one of: warm, dry; default: warm\)/)
    expect(result.stdout).toContain('oracle greet Ada --times 2')
    expect(result.stdout).toContain('From plugin fixture.')
  })

  it('shows the commands of a group', async () => {
    const result = await cli(['pack'], ws.dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: oracle pack <command> [options]')
    expect(result.stdout).toMatch(/pack run <pack>\s+Run a pack/)
    expect(result.stdout).toMatch(/pack validate \[files\]\s+Validate a pack/)
  })

  it('explains where to start when there is no config', async () => {
    const empty = await workspace()
    try {
      const result = await cli(['--help'], empty.dir)
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('(none: add plugins to the plugins array of oracle.config.ts)')
      expect(result.stdout).toContain('none found; run `oracle init`')
    } finally {
      await empty.cleanup()
    }
  })

  it('still shows the built-in commands when the config is broken, then the error (exit 2)', async () => {
    const broken = await workspace({ 'oracle.config.mjs': 'export default { run: { maxParallel: "two" } }\n' })
    try {
      const result = await cli(['--help'], broken.dir)
      expect(result.code).toBe(2)
      expect(result.stdout).toContain('init')
      expect(result.stderr).toContain('ORACLE_CONFIG_INVALID')
      expect(result.stderr).toContain('run.maxParallel: must be an integer (got string "two")')
    } finally {
      await broken.cleanup()
    }
  })
})

describe('argument parsing', () => {
  it('passes positionals by name and flags typed and camel-cased', async () => {
    const result = await cli(['greet', 'Ada', '--times', '3', '--tone', 'dry', '--dry-run', '--json'], ws.dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ who: 'Ada', times: 3, tone: 'dry', dryRun: true })
  })

  it('applies defaults and prints text without --json', async () => {
    expect(await cli(['greet', 'Ada'], ws.dir)).toMatchObject({ code: 0, stdout: 'hello Ada x1\n' })
  })

  it('accepts global flags before the command', async () => {
    const result = await cli(['--json', '--cwd', ws.dir, 'greet', 'Bo'], '/')
    expect(JSON.parse(result.stdout)).toMatchObject({ who: 'Bo' })
  })

  it('collects a variadic argument', async () => {
    const result = await cli(['pack', 'validate', 'a.md', 'b.md', '--json'], ws.dir)
    expect(JSON.parse(result.stdout)).toEqual(['a.md', 'b.md'])
  })

  it.each([
    { argv: ['gret', 'Ada'], code: 'ORACLE_COMMAND_UNKNOWN', text: 'Did you mean `oracle greet`?' },
    { argv: ['pack', 'rnu', 'x'], code: 'ORACLE_COMMAND_UNKNOWN', text: 'Did you mean `oracle pack run`?' },
    { argv: ['nothing-like-it'], code: 'ORACLE_COMMAND_UNKNOWN', text: 'Unknown command: nothing-like-it' },
    { argv: ['greet', 'Ada', '--tims', '2'], code: 'ORACLE_USAGE', text: 'Did you mean --times?' },
    { argv: ['greet'], code: 'ORACLE_USAGE', text: 'Missing argument <who>' },
    { argv: ['greet', 'Ada', 'Bo'], code: 'ORACLE_USAGE', text: 'Unexpected argument "Bo"' },
    { argv: ['greet', 'Ada', '--times', 'many'], code: 'ORACLE_USAGE', text: '--times must be a number (got "many")' },
    { argv: ['greet', 'Ada', '--tone', 'wram'], code: 'ORACLE_USAGE', text: 'Did you mean "warm"?' },
    { argv: ['greet', 'Ada', '--log-level', 'loud'], code: 'ORACLE_USAGE', text: '--log-level must be one of' },
    { argv: ['--cwd', '/no/such/dir', 'greet', 'Ada'], code: 'ORACLE_USAGE', text: 'no such directory' },
  ])('rejects $argv with $code and exit 2', async ({ argv, code, text }) => {
    const result = await cli(argv, ws.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(code)
    expect(result.stderr).toContain(text)
    expect(result.stdout).toBe('')
  })
})

describe('errors', () => {
  it('wraps what a plugin command throws with the plugin name, without a stack trace (exit 1)', async () => {
    const result = await cli(['boom'], ws.dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('ORACLE_PLUGIN_ERROR: [plugin fixture] command "boom" failed: cannot read properties of undefined')
    expect(result.stderr).toContain('cause: TypeError: cannot read properties of undefined')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('shows the cause\'s stack with --log-level debug', async () => {
    const result = await cli(['boom', '--log-level', 'debug'], ws.dir)
    expect(result.stderr).toMatch(/\n\s+at /)
  })

  it('keeps a plugin\'s own code and exit code, and adds its name', async () => {
    const result = await cli(['refuse', '--json'], ws.dir)
    expect(result.code).toBe(3)
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'ORACLE_FIXTURE_REFUSED', message: 'refused on purpose', exitCode: 3, hint: 'ask nicely', plugin: 'fixture' },
    })
    expect(result.stderr).toBe('')
  })

  it('returns the exit code a command chooses', async () => {
    expect(await cli(['exit-code'], ws.dir)).toMatchObject({ code: 4, stdout: 'stopped\n' })
  })

  it('says which plugin\'s lazy command module has no handler', async () => {
    const result = await cli(['empty'], ws.dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[plugin fixture] loading command "empty" failed')
  })
})

describe('plugin lifecycle', () => {
  const twoPlugins = (second: string) => ({
    ...FIXTURE_FILES,
    'oracle.config.mjs': `import fixture from './plugins/fixture.mjs'\nexport default { plugins: [fixture(), false, [fixture(${second})]] }\n`,
  })

  it('sets plugins up in order and tears them down in reverse, around the command', async () => {
    const local = await workspace(twoPlugins("{ name: 'second' }"))
    try {
      expect((await cli(['greet', 'Ada'], local.dir)).code).toBe(0)
      expect(await local.read('calls.log')).toBe('setup fixture\nsetup second\nteardown second\nteardown fixture\n')
    } finally {
      await local.cleanup()
    }
  })

  it('tears down even when the command throws', async () => {
    const local = await workspace(twoPlugins("{ name: 'second' }"))
    try {
      expect((await cli(['boom'], local.dir)).code).toBe(1)
      expect(await local.read('calls.log')).toBe('setup fixture\nsetup second\nteardown second\nteardown fixture\n')
    } finally {
      await local.cleanup()
    }
  })

  it('reports a failing setup with the plugin name (exit 2) and tears down what was set up', async () => {
    const local = await workspace(twoPlugins("{ name: 'second', failSetup: true }"))
    try {
      const result = await cli(['greet', 'Ada'], local.dir)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('ORACLE_PLUGIN_ERROR: [plugin second] setup failed: database unreachable')
      expect(result.stdout).toBe('')
      expect(await local.read('calls.log')).toBe('setup fixture\nsetup second\nteardown second\nteardown fixture\n')
    } finally {
      await local.cleanup()
    }
  })

  it('reports a failing teardown after the command\'s output, and exits 1', async () => {
    const local = await workspace(twoPlugins("{ name: 'second', failTeardown: true }"))
    try {
      const result = await cli(['greet', 'Ada'], local.dir)
      expect(result.stdout).toBe('hello Ada x1\n')
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('ORACLE_PLUGIN_TEARDOWN_FAILED')
      expect(await local.read('calls.log')).toContain('teardown fixture')
    } finally {
      await local.cleanup()
    }
  })

  it('imports a lazy command module only when the command runs', async () => {
    const marker = ws.path('lazy-imported')
    const help = await cli(['--help'], ws.dir, { LAZY_MARKER: marker })
    expect(help.stdout).toContain('lazy')
    expect(ws.exists('lazy-imported')).toBe(false)
    // The module writes the marker when imported; vitest's workers share the env of this process.
    process.env.LAZY_MARKER = marker
    try {
      expect(await cli(['lazy'], ws.dir)).toMatchObject({ code: 0, stdout: 'lazy ran\n' })
    } finally {
      delete process.env.LAZY_MARKER
    }
    expect(ws.exists('lazy-imported')).toBe(true)
  })
})

describe('built-in commands', () => {
  it('init writes oracle.config.ts, refuses to overwrite it, and --force does', async () => {
    const local = await workspace()
    try {
      const first = await cli(['init'], local.dir)
      expect(first.code).toBe(0)
      expect(first.stdout).toContain('Created oracle.config.ts')
      expect(await local.read('oracle.config.ts')).toContain("import { defineConfig } from '@oraclekit/kernel'")
      const second = await cli(['init'], local.dir)
      expect(second.code).toBe(2)
      expect(second.stderr).toContain('ORACLE_CONFIG_EXISTS')
      expect(second.stderr).toContain('pass --force')
      expect((await cli(['init', '--force'], local.dir)).code).toBe(0)
      const plugins = await cli(['plugins', '--json'], local.dir)
      expect(JSON.parse(plugins.stdout)).toEqual({ configFile: local.path('oracle.config.ts'), plugins: [] })
    } finally {
      await local.cleanup()
    }
  })

  it.each(['json', 'mjs'])('init --format %s writes a config that loads', async (format) => {
    const local = await workspace()
    try {
      expect((await cli(['init', '--format', format], local.dir)).code).toBe(0)
      const result = await cli(['plugins', '--json'], local.dir)
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout).configFile).toBe(local.path(`oracle.config.${format}`))
    } finally {
      await local.cleanup()
    }
  })

  it('init works under a directory whose config is broken', async () => {
    const local = await workspace({ 'oracle.config.mjs': 'export default { broken: true }\n' })
    try {
      await local.write('sub/.keep', '')
      expect((await cli(['init'], local.path('sub'))).code).toBe(0)
      expect(local.exists('sub/oracle.config.ts')).toBe(true)
    } finally {
      await local.cleanup()
    }
  })

  it('plugins lists plugins with their commands and intents', async () => {
    const result = await cli(['plugins'], ws.dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('fixture 2.0.0  (plugins[0])')
    expect(result.stdout).toContain('commands: greet, pack run, pack validate, boom, refuse, lazy, empty, exit-code')
    expect(result.stdout).toContain('intents:  fixture.echo, fixture.fail')
  })

  it('intent run runs one job in a worker and prints its output', async () => {
    const result = await cli(['intent', 'run', 'fixture.echo', '--input', '{"say":"hi"}', '--run-id', 'echo-1'], ws.dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('run echo-1: ok')
    expect(result.stdout).toContain('output: {"heard":"hi"}')
    expect(ws.exists('.oracle/runs/echo-1/run.json')).toBe(true)
  })

  it('intent run reads --input @file and reports failures with exit 1', async () => {
    await ws.write('input.json', '{}')
    const result = await cli(['intent', 'run', 'fixture.fail', '--input', '@input.json', '--json'], ws.dir)
    expect(result.code).toBe(1)
    const run = JSON.parse(result.stdout)
    expect(run.status).toBe('failed')
    expect(run.jobs[0]).toMatchObject({ status: 'failed', failureKind: 'test_failed', reason: '2 tests failed' })
  })

  it.each([
    { argv: ['intent', 'run', 'fixture.echo', '--input', '{"say":1}'], code: 'ORACLE_INTENT_INPUT_INVALID', exit: 3 },
    { argv: ['intent', 'run', 'fixture.echo', '--input', '{nope'], code: 'ORACLE_USAGE', exit: 2 },
    { argv: ['intent', 'run', 'no.such'], code: 'ORACLE_INTENT_UNKNOWN', exit: 2 },
  ])('intent run refuses $code (exit $exit)', async ({ argv, code, exit }) => {
    const result = await cli(argv, ws.dir)
    expect(result.code).toBe(exit)
    expect(result.stderr).toContain(code)
  })

  it('intent run needs a config', async () => {
    const empty = await workspace()
    try {
      const result = await cli(['intent', 'run', 'x'], empty.dir)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('ORACLE_CONFIG_NOT_FOUND')
    } finally {
      await empty.cleanup()
    }
  })
})
