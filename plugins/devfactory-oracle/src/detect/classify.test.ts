// The classification table, row by row, and the precedence between rows.

import { describe, expect, it } from 'vitest'
import type { StuckClassification } from '../types.js'
import { type ClassifyInput, classify } from './classify.js'
import type { LoopFinding, LoopPattern } from './loops.js'

const loop = (pattern: LoopPattern): LoopFinding => ({ pattern, count: 3, since: '2026-11-20T10:00:00Z', evidence: pattern })
const input = (over: Partial<ClassifyInput>): ClassifyInput => ({ loops: [], errors: [], messages: [], ...over })

describe('the error patterns', () => {
  it.each<[string, StuckClassification]>([
    ["Error: Cannot find module 'bcrypt'", 'missing_dependency'],
    ['Error [ERR_MODULE_NOT_FOUND]: Cannot find package "zod"', 'missing_dependency'],
    ["ModuleNotFoundError: No module named 'requests'", 'missing_dependency'],
    ['sh: 1: prisma: command not found', 'missing_dependency'],
    ['npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found in registry', 'missing_dependency'],
    ['npm error code E404', 'missing_dependency'],
    ['npm ERR! code ERESOLVE unable to resolve dependency tree', 'missing_dependency'],
    ['Error: EACCES: permission denied, open /var/lib/x', 'environment_issue'],
    ['ENOSPC: no space left on device', 'environment_issue'],
    ['connect ECONNREFUSED 127.0.0.1:5432', 'environment_issue'],
    ['Error: listen EADDRINUSE: address already in use :::3000', 'environment_issue'],
    ['Port 5173 is already in use', 'environment_issue'],
    ['Navigation timeout of 30000 ms exceeded', 'environment_issue'],
    ['the command timed out after 600 s', 'environment_issue'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'environment_issue'],
    ["TypeError: Cannot read properties of undefined (reading 'id')", 'technical_error'],
    ['AssertionError: expected 2 to equal 3', 'technical_error'],
  ])('%s → %s', (error, classification) => {
    expect(classify(input({ errors: [error] })).classification).toBe(classification)
  })
})

describe('the message patterns', () => {
  it.each<[string, StuckClassification]>([
    ['The spec is unclear about the session length.', 'unclear_requirements'],
    ['Which one should I use, JWT or sessions?', 'unclear_requirements'],
    ['The password rules are not specified anywhere.', 'unclear_requirements'],
    ['I need clarification on the roles.', 'unclear_requirements'],
    ['This requirement is ambiguous.', 'unclear_requirements'],
    ['Let me think about the next step.', 'technical_error'],
  ])('%s → %s', (message, classification) => {
    expect(classify(input({ messages: [message] })).classification).toBe(classification)
  })
})

describe('the table', () => {
  it.each<{ row: string; given: Partial<ClassifyInput>; classification: StuckClassification; confidence: number }>([
    { row: '1 once', given: { errors: ["Cannot find module 'x'"] }, classification: 'missing_dependency', confidence: 0.75 },
    { row: '1 twice', given: { errors: ["Cannot find module 'x'", "Cannot find module 'y'"] }, classification: 'missing_dependency', confidence: 0.9 },
    { row: '1 in an error loop', given: { errors: ["Cannot find module 'x'"], loops: [loop('repeating_action_error')] }, classification: 'missing_dependency', confidence: 0.9 },
    { row: '1 the same text twice is once', given: { errors: ["Cannot find module 'x'", "Cannot find module 'x'"] }, classification: 'missing_dependency', confidence: 0.75 },
    { row: '2', given: { errors: ['ECONNREFUSED'] }, classification: 'environment_issue', confidence: 0.75 },
    { row: '3', given: { messages: ['which one?'] }, classification: 'unclear_requirements', confidence: 0.6 },
    { row: '3 in a monologue', given: { messages: ['which one?'], loops: [loop('monologue')] }, classification: 'unclear_requirements', confidence: 0.8 },
    { row: '4 repeat', given: { loops: [loop('repeating_action_observation')] }, classification: 'infinite_loop', confidence: 0.9 },
    { row: '4 alternating', given: { loops: [loop('alternating')] }, classification: 'infinite_loop', confidence: 0.9 },
    { row: '5', given: { loops: [loop('monologue')], messages: ['thinking'] }, classification: 'infinite_loop', confidence: 0.7 },
    { row: '6', given: { loops: [loop('repeating_action_error')], errors: ['TypeError: x'] }, classification: 'technical_error', confidence: 0.85 },
    { row: '7', given: { errors: ['TypeError: x'] }, classification: 'technical_error', confidence: 0.6 },
    { row: '8', given: { heartbeatStale: true }, classification: 'environment_issue', confidence: 0.5 },
    { row: '9', given: {}, classification: 'technical_error', confidence: 0.3 },
  ])('row $row → $classification at $confidence', ({ given, classification, confidence }) => {
    expect(classify(input(given))).toMatchObject({ classification, confidence })
  })

  it.each<{ name: string; given: Partial<ClassifyInput>; classification: StuckClassification }>([
    { name: 'a missing module beats the environment', given: { errors: ['ETIMEDOUT', "Cannot find module 'x'"] }, classification: 'missing_dependency' },
    { name: 'an environment error beats unclear words', given: { errors: ['EACCES'], messages: ['unclear'] }, classification: 'environment_issue' },
    { name: 'unclear words beat a loop', given: { messages: ['not specified'], loops: [loop('repeating_action_observation')] }, classification: 'unclear_requirements' },
    { name: 'a named cause beats a stale heartbeat', given: { errors: ['TypeError'], heartbeatStale: true }, classification: 'technical_error' },
  ])('$name', ({ given, classification }) => {
    expect(classify(input(given)).classification).toBe(classification)
  })

  it('quotes what matched, clipped, as evidence', () => {
    const long = `Error: Cannot find module 'bcrypt'\n${'    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)\n'.repeat(10)}`
    const [evidence] = classify(input({ errors: [long] })).evidence
    expect(evidence).toMatch(/^missing_dependency: error matched "Cannot find module" in: Error: Cannot find module 'bcrypt' at Module/)
    expect(evidence?.length).toBeLessThan(260)
  })
})
