// The options: seed 3's defaults, and every kind of bad value refused with its path.

import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import { type DevfactoryInput, DevfactoryOptions } from './options.js'

const check = (input: DevfactoryInput | Record<string, unknown>) => checkValue<DevfactoryOptions>(DevfactoryOptions, input)

describe('DevfactoryOptions', () => {
  it("fills seed 3's defaults and OpenHands' loop thresholds", () => {
    const { ok, value } = check({})
    expect(ok).toBe(true)
    expect(value).toEqual({
      dir: '.devfactory',
      checkInterval: 60_000,
      implicitStuckThreshold: 300_000,
      heartbeatThreshold: 600_000,
      takeoverTimeout: 1_800_000,
      maxInterventionsPerTask: 3,
      maxConcurrentTakeovers: 1,
      maxInterventionHistory: 100,
      model: 'claude-opus-4-5-20251101',
      maxTokens: 4096,
      summaryTokens: 4000,
      apiKeyEnv: 'ANTHROPIC_API_KEY',
      requestTimeout: 120_000,
      apiRetries: 3,
      logLevel: 'info',
      logFile: '.devfactory/oracle/oracle.log',
      loops: { actionObservation: 4, actionError: 3, monologue: 3, alternating: 6, scan: 20 },
    })
  })

  it('keeps what is given, and fills the rest of a partial loops object', () => {
    const { ok, value } = check({ baseURL: 'http://127.0.0.1:8080', takeoverCommand: ['agent', '--prompt', '{prompt_file}'], loops: { scan: 30 }, logLevel: 'debug' })
    expect(ok).toBe(true)
    expect(value).toMatchObject({ baseURL: 'http://127.0.0.1:8080', takeoverCommand: ['agent', '--prompt', '{prompt_file}'], logLevel: 'debug', loops: { scan: 30, actionObservation: 4 } })
  })

  it.each<{ input: Record<string, unknown>; path: string; message: RegExp }>([
    { input: { checkIntervall: 1000 }, path: 'checkIntervall', message: /unknown key/ },
    { input: { loops: { window: 10 } }, path: 'loops.window', message: /unknown key/ },
    { input: { maxConcurrentTakeovers: 2 }, path: 'maxConcurrentTakeovers', message: /<= 1/ },
    { input: { heartbeatThreshold: 0 }, path: 'heartbeatThreshold', message: />= 1/ },
    { input: { implicitStuckThreshold: 1.5 }, path: 'implicitStuckThreshold', message: /integer/ },
    { input: { logLevel: 'verbose' }, path: 'logLevel', message: /must be one of/ },
    { input: { takeoverCommand: [] }, path: 'takeoverCommand', message: /fewer than 1/ },
    { input: { takeoverCommand: 'agent --go' }, path: 'takeoverCommand', message: /array/ },
    { input: { baseURL: 'not a url' }, path: 'baseURL', message: /uri/ },
    { input: { apiKeyEnv: 'MY-KEY' }, path: 'apiKeyEnv', message: /pattern/ },
    { input: { apiRetries: 11 }, path: 'apiRetries', message: /<= 10/ },
    { input: { loops: { alternating: 3 } }, path: 'loops.alternating', message: />= 4/ },
    { input: { loops: { actionError: 1 } }, path: 'loops.actionError', message: />= 2/ },
  ])('refuses $path: $input', ({ input, path, message }) => {
    const { ok, problems } = check(input)
    expect(ok).toBe(false)
    expect(problems).toHaveLength(1)
    expect(problems[0]?.path).toBe(path)
    expect(problems[0]?.message).toMatch(message)
  })

  it('documents every option', () => {
    const undocumented = (schema: { properties?: Record<string, { description?: string; properties?: unknown }> }, at: string): string[] =>
      Object.entries(schema.properties ?? {}).flatMap(([key, member]) => [
        ...(member.description ? [] : [`${at}${key}`]),
        ...undocumented(member as never, `${at}${key}.`),
      ])
    expect(undocumented(DevfactoryOptions as never, '')).toEqual([])
  })
})
