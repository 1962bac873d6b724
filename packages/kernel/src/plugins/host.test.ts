import { afterEach, describe, expect, it } from 'vitest'
import { type TempWorkspace, makeWorkspace } from '../_test/workspace.js'
import { OracleError, isOracleError } from '../errors/oracle-error.js'
import { type KernelInstance, createKernel } from '../kernel.js'
import { fixedClock } from '../services/clock.js'
import { createEventLog } from '../services/event-log.js'
import { createPluginHost } from './host.js'
import type { Kernel, LoadedPlugin, PluginContext } from './types.js'
import { rejection } from '../_test/helpers.js'

// A plugin factory that records every hook call into a module-level array. The config and its
// plugins are loaded natively, apart from this test's module graph, so the array comes back to the
// test through a kernel extension point ('test:calls'), as any plugin value would.
const RECORDER = `export const calls = []
export const contexts = []

async function failure(spec, name, hook) {
  if (spec === 'kernel') {
    const { OracleError } = await import('@oraclekit/kernel')
    return new OracleError('ORACLE_RECORDER_REFUSED', name + ' refused', { exitCode: 4 })
  }
  if (spec === 'error') return Object.assign(new Error(name + ' ' + hook + ' broke'), { code: 'EBROKE' })
  if (spec === 'string') return name + ' ' + hook + ' threw a string'
  if (spec === 'oracle') return Object.assign(new Error(name + ' chose its code'), { name: 'OracleError', code: 'ORACLE_RECORDER_BROKE', exitCode: 3, problems: [] })
  return spec
}

export function recorder(name, behaviour = {}) {
  return {
    name,
    options: behaviour.options,
    optionsSchema: behaviour.optionsSchema,
    extensions: { 'test:calls': calls, 'test:contexts': contexts },
    async setup(ctx) {
      calls.push('setup ' + name)
      contexts.push(ctx)
      if (behaviour.setupDelayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.setupDelayMs))
      if (behaviour.setupThrows) throw await failure(behaviour.setupThrows, name, 'setup')
      calls.push('setup ' + name + ' done')
    },
    async teardown() {
      calls.push('teardown ' + name)
      if (behaviour.teardownThrows) throw await failure(behaviour.teardownThrows, name, 'teardown')
    },
  }
}
`

const workspaces: TempWorkspace[] = []
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.cleanup()))
})

/** A kernel whose config lists `plugins` (JavaScript source using `recorder`). */
async function kernelWith(plugins: string, options: Parameters<typeof createKernel>[0] = {}): Promise<KernelInstance> {
  const ws = await makeWorkspace({
    'recorder.mjs': RECORDER,
    'oracle.config.mjs': `import { recorder } from './recorder.mjs'\nexport default {\n  plugins: [\n${plugins}\n  ],\n}\n`,
  })
  workspaces.push(ws)
  return createKernel({ cwd: ws.dir, ...options })
}

function callsOf(kernel: KernelInstance): string[] {
  const [recorded] = kernel.extensions<string[]>('test:calls')
  if (!recorded) throw new Error('no plugin recorded calls')
  return recorded.value
}

describe('plugin host: order', () => {
  it('sets plugins up in config order and tears them down in reverse order', async () => {
    const kernel = await kernelWith(`recorder('a'), recorder('b'), [recorder('c')]`)
    await kernel.start()
    expect(callsOf(kernel)).toEqual(['setup a', 'setup a done', 'setup b', 'setup b done', 'setup c', 'setup c done'])
    await kernel.close()
    expect(callsOf(kernel).slice(6)).toEqual(['teardown c', 'teardown b', 'teardown a'])
  })

  it('waits for an async setup before starting the next one', async () => {
    const kernel = await kernelWith(`recorder('slow', { setupDelayMs: 30 }), recorder('fast')`)
    await kernel.start()
    expect(callsOf(kernel)).toEqual(['setup slow', 'setup slow done', 'setup fast', 'setup fast done'])
    await kernel.close()
  })

  it('gives setup the validated options (defaults filled), the kernel itself and a logger', async () => {
    const kernel = await kernelWith(`recorder('a', { options: {}, optionsSchema: { type: 'object', properties: { level: { type: 'integer', default: 3 } } } }), recorder('b')`)
    await kernel.start()
    await kernel.close()
    const [recorded] = kernel.extensions<PluginContext[]>('test:contexts')
    const [a, b] = recorded?.value ?? []
    expect(a?.options).toEqual({ level: 3 })
    expect(b?.options).toBeUndefined()
    expect(a?.kernel).toBe(kernel)
    expect(typeof a?.logger.info).toBe('function')
  })

  it('runs no teardown when nothing was set up, and each teardown once', async () => {
    const kernel = await kernelWith(`recorder('a'), recorder('b')`)
    await kernel.close()
    expect(callsOf(kernel)).toEqual([])
    await kernel.start()
    await kernel.close()
    await kernel.close()
    expect(callsOf(kernel).filter((c) => c.startsWith('teardown'))).toEqual(['teardown b', 'teardown a'])
  })

  it('accepts plugins without hooks', async () => {
    const ws = await makeWorkspace({ 'oracle.config.mjs': `export default { plugins: [{ name: 'bare' }] }\n` })
    workspaces.push(ws)
    const kernel = await createKernel({ cwd: ws.dir })
    await kernel.start()
    await kernel.close()
    expect(kernel.plugins.map((p) => p.name)).toEqual(['bare'])
  })
})

describe('plugin host: teardown always', () => {
  it('tears every plugin down when the command fails, as the CLI runs it', async () => {
    const kernel = await kernelWith(`recorder('a'), recorder('b')`)
    const commandFailure = new Error('the command failed')
    const error = await rejection(
      (async () => {
        try {
          await kernel.start()
          throw commandFailure
        } finally {
          await kernel.close()
        }
      })(),
    )
    expect(error).toBe(commandFailure)
    expect(callsOf(kernel).filter((c) => c.startsWith('teardown'))).toEqual(['teardown b', 'teardown a'])
  })

  it('when a later setup throws: tears down the ones started, the throwing one included, in reverse, then rethrows', async () => {
    const kernel = await kernelWith(`recorder('a'), recorder('b'), recorder('c', { setupThrows: 'error' }), recorder('d')`)
    const error = await rejection(kernel.start())
    expect(callsOf(kernel)).toEqual(['setup a', 'setup a done', 'setup b', 'setup b done', 'setup c', 'teardown c', 'teardown b', 'teardown a'])
    expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_PLUGIN_ERROR', plugin: 'c', hook: 'setup', pluginCode: 'EBROKE', exitCode: 2, message: '[plugin c] setup failed: c setup broke' })
    expect((error.cause as Error).message).toBe('c setup broke')
    // The CLI closes the kernel in `finally`: nothing is torn down twice.
    await kernel.close()
    expect(callsOf(kernel).filter((c) => c.startsWith('teardown'))).toHaveLength(3)
  })

  it('when the first setup throws, only that plugin is torn down', async () => {
    const kernel = await kernelWith(`recorder('a', { setupThrows: 'string' }), recorder('b')`)
    const error = await rejection(kernel.start())
    expect(callsOf(kernel)).toEqual(['setup a', 'teardown a'])
    expect(error).toMatchObject({ code: 'ORACLE_PLUGIN_ERROR', plugin: 'a', hook: 'setup', message: '[plugin a] setup failed: a setup threw a string', cause: 'a setup threw a string' })
    expect(error.pluginCode).toBeUndefined()
  })

  it('keeps the code of an OracleError a plugin throws (from another copy of the kernel) and adds the plugin name', async () => {
    const kernel = await kernelWith(`recorder('a'), recorder('coded', { setupThrows: 'oracle' })`)
    const error = await rejection(kernel.start())
    expect(error).not.toBeInstanceOf(OracleError)
    expect(isOracleError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'ORACLE_RECORDER_BROKE', plugin: 'coded', exitCode: 3, message: 'coded chose its code' })
    expect(callsOf(kernel)).toEqual(['setup a', 'setup a done', 'setup coded', 'teardown coded', 'teardown a'])
  })

  it('keeps the code and exit code of an OracleError built by the @oraclekit/kernel package a plugin imports', async () => {
    const kernel = await kernelWith(`recorder('built', { setupThrows: 'kernel' })`)
    const error = await rejection(kernel.start())
    expect(isOracleError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'ORACLE_RECORDER_REFUSED', plugin: 'built', exitCode: 4, message: 'built refused' })
    expect(callsOf(kernel)).toEqual(['setup built', 'teardown built'])
  })

  it('throws the setup error, not a teardown error, when both fail, and logs the teardown failure', async () => {
    const lines: string[] = []
    const eventLog = await createEventLog({ clock: fixedClock('2024-01-01T00:00:00Z'), level: 'error', console: { write: (line: string) => void lines.push(line) } })
    const kernel = await kernelWith(`recorder('a', { teardownThrows: 'error' }), recorder('b', { setupThrows: 'error' })`, { eventLog })
    const error = await rejection(kernel.start())
    expect(error).toMatchObject({ code: 'ORACLE_PLUGIN_ERROR', plugin: 'b', hook: 'setup' })
    expect(callsOf(kernel)).toEqual(['setup a', 'setup a done', 'setup b', 'teardown b', 'teardown a'])
    const logged = lines.map((line) => JSON.parse(line) as { event?: string; msg?: string; err?: { message?: string } })
    expect(logged).toEqual([expect.objectContaining({ event: 'teardown_failed', err: expect.objectContaining({ message: expect.stringContaining('a') }) })])
  })
})

describe('plugin host: teardown failures', () => {
  it('collects them into ORACLE_PLUGIN_TEARDOWN_FAILED after running every teardown', async () => {
    const kernel = await kernelWith(`recorder('a'), recorder('b', { teardownThrows: 'error' }), recorder('c'), recorder('d', { teardownThrows: 'oracle' })`)
    await kernel.start()
    const error = await rejection(kernel.close())
    expect(callsOf(kernel).filter((c) => c.startsWith('teardown'))).toEqual(['teardown d', 'teardown c', 'teardown b', 'teardown a'])
    expect(error).toMatchObject({ name: 'OracleError', code: 'ORACLE_PLUGIN_TEARDOWN_FAILED', exitCode: 1, message: 'Teardown failed in 2 plugins: d, b' })
    expect(error.problems).toEqual([
      { message: 'd chose its code', path: 'd' },
      { message: '[plugin b] teardown failed: b teardown broke', path: 'b' },
    ])
    expect(error.cause).toMatchObject({ code: 'ORACLE_RECORDER_BROKE', plugin: 'd' })
    expect(error.hint).toMatch(/Every plugin was still torn down/)
  })

  it('wraps a plain teardown error with exit code 1 and the hook', async () => {
    const kernel = await kernelWith(`recorder('only', { teardownThrows: 'error' })`)
    await kernel.start()
    const error = await rejection(kernel.close())
    expect(error.problems).toHaveLength(1)
    expect(error.cause).toMatchObject({ code: 'ORACLE_PLUGIN_ERROR', plugin: 'only', hook: 'teardown', pluginCode: 'EBROKE', exitCode: 1 })
  })
})

describe('createPluginHost, without a config', () => {
  const logger = { child: () => logger, error: () => undefined } as unknown as Kernel['logger']
  const loaded = (name: string, calls: string[], fail?: 'setup' | 'teardown'): LoadedPlugin => ({
    name,
    path: `plugins[${name}]`,
    options: { for: name },
    plugin: {
      name,
      setup(ctx) {
        calls.push(`setup ${name} ${JSON.stringify(ctx.options)}`)
        if (fail === 'setup') throw new OracleError('ORACLE_TEST_SETUP', `${name} refused`, { exitCode: 4 })
      },
      teardown() {
        calls.push(`teardown ${name}`)
        if (fail === 'teardown') throw new Error(`${name} leaked`)
      },
    },
  })

  it('passes each plugin its own options and keeps an OracleError as thrown', async () => {
    const calls: string[] = []
    const host = createPluginHost([loaded('a', calls), loaded('b', calls, 'setup')], {} as Kernel, logger)
    const error = await rejection(host.setup())
    expect(error).toBeInstanceOf(OracleError)
    expect(error).toMatchObject({ code: 'ORACLE_TEST_SETUP', plugin: 'b', exitCode: 4, message: 'b refused' })
    expect(calls).toEqual(['setup a {"for":"a"}', 'setup b {"for":"b"}', 'teardown b', 'teardown a'])
  })
})
