// Every loop rule as a table: positive, negative, ids and thoughts ignored, fewer than N, and the
// scan window of 20.

import { describe, expect, it } from 'vitest'
import type { LoopThresholds } from '../options.js'
import type { ActivityEntry } from '../types.js'
import { type LoopPattern, detectLoops } from './loops.js'

const T: LoopThresholds = { actionObservation: 4, actionError: 3, monologue: 3, alternating: 6, scan: 20 }

let clock = 0
const at = () => new Date(Date.UTC(2026, 10, 20, 10, 0, clock++)).toISOString()
type Action = Extract<ActivityEntry, { kind: 'action' }>
const act = (tool: string, input: unknown, result: { output?: string; error?: string } = { output: 'ok' }, extra: Partial<Action> = {}): ActivityEntry => ({ kind: 'action', at: at(), tool, input, ...result, ...extra })
const say = (text: string): ActivityEntry => ({ kind: 'message', at: at(), text })
const times = (n: number, make: (i: number) => ActivityEntry): ActivityEntry[] => Array.from({ length: n }, (_, i) => make(i))

const patterns = (activity: ActivityEntry[], thresholds: LoopThresholds = T): LoopPattern[] => detectLoops(activity, thresholds).map((f) => f.pattern)

const A = (i = 0) => act('bash', { cmd: 'npm test' }, { output: 'same' }, { id: `a${i}`, call_id: `c${i}`, thought: `try ${i}` })
const B = (i = 0) => act('read_file', { path: 'src/a.ts' }, { output: 'contents' }, { id: `b${i}` })
const FAIL = (i = 0, error = 'Error: Cannot find module "x"') => act('bash', { cmd: 'npm test' }, { error }, { id: `f${i}`, thought: `again ${i}` })

describe('repeating_action_observation (same call, same result, 4×)', () => {
  it.each<{ name: string; activity: ActivityEntry[]; found: boolean }>([
    { name: '4 equal calls with equal results', activity: times(4, A), found: true },
    { name: 'ids, call ids and thoughts differing', activity: times(4, (i) => act('bash', { cmd: 'npm test' }, { output: 'same' }, { id: String(i), call_id: String(i * 7), thought: 'x'.repeat(i) })), found: true },
    { name: 'the same input written with other key order', activity: times(4, (i) => act('edit', i % 2 ? { a: 1, b: [1, { c: 2, d: 3 }] } : { b: [1, { d: 3, c: 2 }], a: 1 })), found: true },
    { name: 'messages in between', activity: [A(), say('hm'), A(), A(), say('hm'), A()], found: true },
    { name: 'only 3', activity: times(3, A), found: false },
    { name: 'one result differs', activity: [A(), A(), act('bash', { cmd: 'npm test' }, { output: 'other' }), A()], found: false },
    { name: 'one input differs', activity: [A(), A(), act('bash', { cmd: 'npm run test' }, { output: 'same' }), A()], found: false },
    { name: 'an older different call before the last 4', activity: [B(), ...times(4, A)], found: true },
    { name: 'the last call differs', activity: [...times(4, A), B()], found: false },
    { name: 'equal calls that failed (that is the error rule)', activity: times(4, (i) => FAIL(i, 'same')), found: false },
  ])('$name → $found', ({ activity, found }) => {
    expect(patterns(activity).includes('repeating_action_observation')).toBe(found)
  })
})

describe('repeating_action_error (same call failing, 3×)', () => {
  it.each<{ name: string; activity: ActivityEntry[]; found: boolean }>([
    { name: '3 equal failing calls', activity: times(3, FAIL), found: true },
    { name: 'different errors, same call', activity: [FAIL(0, 'a'), FAIL(1, 'b'), FAIL(2, 'c')], found: true },
    { name: 'thoughts and ids differ', activity: times(3, (i) => act('bash', { cmd: 'npm test' }, { error: 'e' }, { id: `x${i}`, call_id: `y${i}`, thought: `t${i}` })), found: true },
    { name: 'only 2', activity: times(2, FAIL), found: false },
    { name: 'the middle one succeeded', activity: [FAIL(), A(), FAIL()], found: false },
    { name: 'the last one succeeded', activity: [...times(3, FAIL), A()], found: false },
    { name: 'different calls failing', activity: [FAIL(), act('bash', { cmd: 'npm ci' }, { error: 'e' }), FAIL()], found: false },
  ])('$name → $found', ({ activity, found }) => {
    expect(patterns(activity).includes('repeating_action_error')).toBe(found)
  })
})

describe('monologue (3 messages at the end, no action)', () => {
  it.each<{ name: string; activity: ActivityEntry[]; found: boolean }>([
    { name: '3 messages after an action', activity: [A(), say('a'), say('b'), say('c')], found: true },
    { name: 'only messages', activity: times(5, (i) => say(String(i))), found: true },
    { name: '2 messages', activity: [A(), say('a'), say('b')], found: false },
    { name: 'an action after the messages', activity: [say('a'), say('b'), say('c'), A()], found: false },
    { name: 'an action breaks the run', activity: [say('a'), say('b'), A(), say('c'), say('d')], found: false },
  ])('$name → $found', ({ activity, found }) => {
    expect(patterns(activity).includes('monologue')).toBe(found)
  })

  it('counts the whole run and dates it from its first message', () => {
    const activity = [A(), say('a'), say('b'), say('c'), say('d')]
    expect(detectLoops(activity, T).find((f) => f.pattern === 'monologue')).toMatchObject({ count: 4, since: activity[1]?.at })
  })
})

describe('alternating (A, B, A, B, A, B over 6 actions and results)', () => {
  const ab = (n: number) => times(n, (i) => (i % 2 === 0 ? A(i) : B(i)))
  it.each<{ name: string; activity: ActivityEntry[]; found: boolean }>([
    { name: 'A B A B A B', activity: ab(6), found: true },
    { name: 'B A B A B A after other work', activity: [act('ls', {}), ...times(6, (i) => (i % 2 === 0 ? B(i) : A(i)))], found: true },
    { name: 'ids and thoughts differ on every call', activity: ab(6), found: true },
    { name: 'only 5', activity: ab(5), found: false },
    { name: 'a result of A differs once', activity: [A(), B(), act('bash', { cmd: 'npm test' }, { output: 'new' }), B(), A(), B()], found: false },
    { name: 'a third call breaks it', activity: [A(), B(), A(), act('ls', {}), A(), B()], found: false },
    { name: 'A A A A A A is a repeat, not an alternation', activity: times(6, A), found: false },
  ])('$name → $found', ({ activity, found }) => {
    expect(patterns(activity).includes('alternating')).toBe(found)
  })
})

describe('the scan window', () => {
  it.each<{ name: string; activity: ActivityEntry[]; expected: LoopPattern[] }>([
    { name: 'a loop that ends the last 20', activity: [...times(17, (i) => act('step', { i })), ...times(3, FAIL)], expected: ['repeating_action_error'] },
    // 3 equal failures then 18 other entries: the loop is older than the window, and over.
    { name: 'an old loop the worker left', activity: [...times(3, FAIL), ...times(18, (i) => act('step', { i }))], expected: [] },
    // 4 equal calls, the first of them entry 21 from the end: only 3 are in the window.
    { name: 'a repeat cut by the window', activity: [A(), ...times(17, (i) => say(`m${i}`)), A(), A(), A()], expected: [] },
    { name: 'messages after a repeat (2, not a monologue)', activity: [...times(4, A), say('x'), say('y')], expected: ['repeating_action_observation'] },
  ])('$name → $expected', ({ activity, expected }) => {
    expect(patterns(activity)).toEqual(expected)
  })

  it('reads only the last `scan` entries, whatever scan is set to', () => {
    const activity = [A(), A(), say('x'), A(), A()]
    expect(patterns(activity, { ...T, scan: 5 })).toEqual(['repeating_action_observation'])
    expect(patterns(activity, { ...T, scan: 4 })).toEqual([])
    const cut = [A(), ...times(17, (i) => say(`m${i}`)), A(), A(), A()]
    expect(patterns(cut, { ...T, scan: 21 })).toEqual(['repeating_action_observation'])
  })
})

describe('a finding', () => {
  it('names the call, the count, when it began, and the last error', () => {
    const activity = [A(), ...times(3, (i) => FAIL(i, `Error: Cannot find module 'bcrypt' (${i})`))]
    expect(detectLoops(activity, T)).toEqual([
      {
        pattern: 'repeating_action_error',
        count: 3,
        since: activity[1]?.at,
        evidence: `loop: the same call bash {"cmd":"npm test"} failed 3 times in a row, last with: Error: Cannot find module 'bcrypt' (2)`,
      },
    ])
  })

  it('reports every pattern that holds, in the table order', () => {
    // 4 equal successful calls, then 3 messages.
    expect(patterns([...times(4, A), say('a'), say('b'), say('c')])).toEqual(['repeating_action_observation', 'monologue'])
  })
})
