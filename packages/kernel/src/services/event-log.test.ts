import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixedClock, manualClock } from './clock.js'
import { type LogLevel, createEventLog } from './event-log.js'

const ISO = '2024-05-01T12:00:00.000Z'
const clock = fixedClock(ISO)

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oraclekit-event-log-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The records of a JSONL file, read right away: sinks write synchronously. */
function records(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return []
  const text = readFileSync(file, 'utf8')
  expect(text === '' || text.endsWith('\n')).toBe(true)
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

function memoryConsole(): { lines: string[]; write(line: string): void } {
  const lines: string[] = []
  return { lines, write: (line) => void lines.push(line) }
}

describe('createEventLog sinks', () => {
  it('appends info events as JSON lines with the clock time and no pid or hostname', async () => {
    const { logger, addSink } = await createEventLog({ clock })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    logger.info('run started')
    expect(readFileSync(file, 'utf8')).toBe(`{"level":30,"time":"${ISO}","msg":"run started"}\n`)
  })

  it('takes the time from the injected clock at each event', async () => {
    const manual = manualClock(ISO)
    const { logger, addSink } = await createEventLog({ clock: manual })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    logger.info('one')
    manual.advance(1_500)
    logger.warn({ job: 'j1' }, 'two')
    expect(records(file)).toEqual([
      { level: 30, time: ISO, msg: 'one' },
      { level: 40, time: '2024-05-01T12:00:01.500Z', job: 'j1', msg: 'two' },
    ])
  })

  it.each<[LogLevel | undefined, string[]]>([
    [undefined, ['info', 'warn', 'error', 'fatal']],
    ['info', ['info', 'warn', 'error', 'fatal']],
    ['warn', ['info', 'warn', 'error', 'fatal']],
    ['silent', ['info', 'warn', 'error', 'fatal']],
    ['debug', ['debug', 'info', 'warn', 'error', 'fatal']],
    ['trace', ['trace', 'debug', 'info', 'warn', 'error', 'fatal']],
  ])('with console level %s, records %j', async (level, expected) => {
    const { logger, addSink } = await createEventLog({ clock, ...(level ? { level } : {}) })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logger[method](method)
    expect(records(file).map((record) => record.msg)).toEqual(expected)
  })

  it('creates missing directories and appends to an existing file', async () => {
    const file = join(dir, 'runs', 'r1', 'events.jsonl')
    const first = await createEventLog({ clock })
    first.addSink(file)
    first.logger.info('first run')
    const second = await createEventLog({ clock })
    second.addSink(file)
    second.logger.info('second run')
    expect(records(file).map((record) => record.msg)).toEqual(['first run', 'second run'])
  })

  it('keeps lines that were already in the file', async () => {
    const file = join(dir, 'events.jsonl')
    await writeFile(file, '{"msg":"before"}\n')
    const { logger, addSink } = await createEventLog({ clock })
    addSink(file)
    logger.info('after')
    expect(records(file).map((record) => record.msg)).toEqual(['before', 'after'])
  })

  it('feeds every sink, and writes nothing more to a removed one', async () => {
    const { logger, addSink } = await createEventLog({ clock })
    const kept = join(dir, 'kept.jsonl')
    const removed = join(dir, 'removed.jsonl')
    addSink(kept)
    const remove = addSink(removed)
    logger.info('both')
    remove()
    const bytes = readFileSync(removed, 'utf8')
    logger.info('kept only')
    logger.error('still kept only')
    expect(readFileSync(removed, 'utf8')).toBe(bytes)
    expect(records(removed).map((record) => record.msg)).toEqual(['both'])
    expect(records(kept).map((record) => record.msg)).toEqual(['both', 'kept only', 'still kept only'])
  })

  it('logs on without error once every sink is removed', async () => {
    const { logger, addSink } = await createEventLog({ clock })
    const file = join(dir, 'events.jsonl')
    addSink(file)()
    expect(() => logger.info('into nothing')).not.toThrow()
    expect(readFileSync(file, 'utf8')).toBe('')
  })

  it('records the bindings of child loggers', async () => {
    const { logger, addSink } = await createEventLog({ clock })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    logger.child({ plugin: 'fetch', job: 'j1' }).info('done')
    expect(records(file)).toEqual([{ level: 30, time: ISO, plugin: 'fetch', job: 'j1', msg: 'done' }])
  })
})

describe('createEventLog redaction', () => {
  async function logged(fields: Record<string, unknown>, redact?: string[]): Promise<Record<string, unknown>> {
    const { logger, addSink } = await createEventLog({ clock, ...(redact ? { redact } : {}) })
    const file = join(dir, `${Math.random().toString(36).slice(2)}.jsonl`)
    addSink(file)
    logger.info(fields, 'event')
    const [record] = records(file)
    return record!
  }

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['apiKey', { apiKey: 'k-123', model: 'm' }, { apiKey: '[redacted]', model: 'm' }],
    ['api_key', { api_key: 'k-123' }, { api_key: '[redacted]' }],
    ['token', { token: 't-123', user: 'ann' }, { token: '[redacted]', user: 'ann' }],
    ['password', { password: 'hunter2' }, { password: '[redacted]' }],
    ['secret', { secret: 's' }, { secret: '[redacted]' }],
    ['headers.authorization', { headers: { authorization: 'Basic abc', accept: 'json' } }, { headers: { authorization: '[redacted]', accept: 'json' } }],
    ['headers.Authorization', { headers: { Authorization: 'Basic abc' } }, { headers: { Authorization: '[redacted]' } }],
    ['headers["x-api-key"]', { headers: { 'x-api-key': 'k' } }, { headers: { 'x-api-key': '[redacted]' } }],
    ['a nested password', { db: { host: 'h', password: 'p' } }, { db: { host: 'h', password: '[redacted]' } }],
    ['a nested token and apiKey', { provider: { token: 't', apiKey: 'k', name: 'x' } }, { provider: { token: '[redacted]', apiKey: '[redacted]', name: 'x' } }],
    ['nested headers.authorization', { request: { headers: { authorization: 'Bearer abcdefghij' } } }, { request: { headers: { authorization: '[redacted]' } } }],
    ['env.ANTHROPIC_API_KEY', { env: { ANTHROPIC_API_KEY: 'sk', HOME: '/h' } }, { env: { ANTHROPIC_API_KEY: '[redacted]', HOME: '/h' } }],
    ['env.GITHUB_TOKEN', { env: { GITHUB_TOKEN: 'g' } }, { env: { GITHUB_TOKEN: '[redacted]' } }],
  ])('censors %s', async (_what, fields, expected) => {
    const record = await logged(fields)
    expect(record).toEqual({ level: 30, time: ISO, ...expected, msg: 'event' })
  })

  it('censors extra paths given in options, as well as the built-in ones', async () => {
    expect(await logged({ cookie: 'c', token: 't', keep: 1 }, ['cookie'])).toMatchObject({ cookie: '[redacted]', token: '[redacted]', keep: 1 })
  })

  it('does not change the object that was logged', async () => {
    const fields = { apiKey: 'k', headers: { authorization: 'a' } }
    await logged(fields)
    expect(fields).toEqual({ apiKey: 'k', headers: { authorization: 'a' } })
  })

  it.each([
    ['an Anthropic key', 'calling the API with sk-ant-api03-AbCdEfGhIjKlMnOpQrSt', 'calling the API with [redacted]'],
    ['a bearer token', 'curl -H "Authorization: Bearer xyzABC123456789.abc" https://x', 'curl -H "Authorization: [redacted]" https://x'],
    ['a GitHub token', 'push with ghp_AbCdEfGhIjKlMnOpQrStUvWxYz01', 'push with [redacted]'],
  ])('scrubs %s from the message, in sinks and on the console', async (_what, message, expected) => {
    const out = memoryConsole()
    const { logger, addSink } = await createEventLog({ clock, console: out })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    logger.info({ step: 1 }, message)
    expect(records(file)).toEqual([{ level: 30, time: ISO, step: 1, msg: expected }])
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([expected])
    expect(readFileSync(file, 'utf8') + out.lines.join('')).not.toMatch(/sk-ant-api03|xyzABC|ghp_AbC/)
  })

  it('scrubs string arguments of a format string', async () => {
    const { logger, addSink } = await createEventLog({ clock })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    logger.info('key %s for %s', 'sk-AbCdEfGhIjKlMnOpQrStUv', 'ann')
    expect(records(file)[0]!.msg).toBe('key [redacted] for ann')
  })
})

describe('createEventLog console', () => {
  it.each<[LogLevel | undefined, string[]]>([
    [undefined, ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['silent', []],
  ])('at level %s, receives %j', async (level, expected) => {
    const out = memoryConsole()
    const { logger } = await createEventLog({ clock, console: out, ...(level ? { level } : {}) })
    for (const method of ['trace', 'debug', 'info', 'warn', 'error'] as const) logger[method](method)
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(expected)
    for (const line of out.lines) expect(line).toMatch(new RegExp(`^\\{"level":\\d+,"time":"${ISO}",.*\\}\\n$`))
  })

  it('gets its level on its own while the sink keeps recording from info', async () => {
    const out = memoryConsole()
    const { logger, addSink } = await createEventLog({ clock, console: out, level: 'error' })
    const file = join(dir, 'events.jsonl')
    addSink(file)
    logger.info('quiet')
    logger.error('loud')
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['loud'])
    expect(records(file).map((record) => record.msg)).toEqual(['quiet', 'loud'])
  })

  it('builds no line that no stream takes, and loggers made before a sink follow it', async () => {
    const out = memoryConsole()
    const { logger, addSink } = await createEventLog({ clock, console: out, level: 'warn' })
    const child = logger.child({ runId: 'r1' })
    expect([logger.isLevelEnabled('info'), child.isLevelEnabled('info')]).toEqual([false, false])
    const file = join(dir, 'events.jsonl')
    const remove = addSink(file)
    expect([logger.isLevelEnabled('info'), child.isLevelEnabled('info')]).toEqual([true, true])
    child.info('kept')
    remove()
    remove()
    expect([logger.isLevelEnabled('info'), child.isLevelEnabled('info'), child.isLevelEnabled('warn')]).toEqual([false, false, true])
    child.info('dropped')
    child.warn('shown')
    expect(records(file).map((record) => record.msg)).toEqual(['kept'])
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown'])
  })
})
