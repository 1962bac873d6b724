// The product-document readers as tables: roadmap phases, tech-stack entries, spec dependencies,
// the SRD section of a task, and the mission-lite stand-in.

import { describe, expect, it } from 'vitest'
import { WHOLE_SRD_MAX_CHARS, missionLiteOf, parseRoadmap, parseTechStack, requirementsFor, specDependencies } from './product.js'

describe('parseRoadmap', () => {
  it.each([
    { name: 'items before any heading', text: '- [ ] A\n- [x] B', phases: [{ phase: 'Roadmap', items: [{ title: 'A', done: false }, { title: 'B', done: true }] }] },
    { name: '### headings stay in their phase', text: '# Roadmap\n## Phase 1\n### Must have\n- [ ] A `M`\n### Nice\n- [x] B', phases: [{ phase: 'Phase 1', items: [{ title: 'A', done: false }, { title: 'B', done: true }] }] },
    { name: 'phases without items are left out', text: '## Phase 1\nText only\n## Phase 2\n- [ ] C', phases: [{ phase: 'Phase 2', items: [{ title: 'C', done: false }] }] },
    { name: 'plain bullets are not items', text: '## P\n- note\n- [ ] real', phases: [{ phase: 'P', items: [{ title: 'real', done: false }] }] },
    { name: 'an empty file', text: '', phases: [] },
  ])('$name', ({ text, phases }) => {
    expect(parseRoadmap(text)).toEqual(phases)
  })
})

describe('parseTechStack', () => {
  it.each([
    ['- **Framework:** Fastify', [{ key: 'Framework', value: 'Fastify' }]],
    ['- Database: PostgreSQL 17', [{ key: 'Database', value: 'PostgreSQL 17' }]],
    ['* Hosting: Fly.io: eu-west', [{ key: 'Hosting', value: 'Fly.io: eu-west' }]],
    ['- just a note', []],
    ['Framework: not a bullet', []],
    ['```\n- In: code\n```', []],
  ])('%s', (text, entries) => {
    expect(parseTechStack(text)).toEqual({ raw: text, entries })
  })
})

describe('specDependencies', () => {
  it.each([
    ['# SRD\n## Dependencies\n- `spec-a`\n- spec-b\n## Other\n- not one', ['spec-a', 'spec-b']],
    ['## External Dependencies\n- bcrypt 5', ['bcrypt 5']],
    ['## Depends on\n1. spec-c', ['spec-c']],
    ['## Overview\n- nothing', []],
  ])('%s → %j', (srd, deps) => {
    expect(specDependencies(srd)).toEqual(deps)
  })
})

describe('requirementsFor', () => {
  const SRD = '# SRD\nIntro.\n## Login endpoint\nPOST /login.\n## Sessions\nSee task 2.4 for expiry.\n## Login page\nA form.'
  it.each([
    { name: 'the section naming the title', task: { id: '9', title: 'Login page' }, expected: '## Login page\nA form.' },
    { name: '"task <id>" in a section', task: { id: '2.4', title: 'Expire them' }, expected: '## Sessions\nSee task 2.4 for expiry.' },
    { name: 'the parent title', task: { id: '2.1', title: 'Write the tests' }, parent: 'Login endpoint', expected: '## Login endpoint\nPOST /login.' },
    { name: 'an id that is only part of a number', task: { id: '2', title: 'Something else' }, expected: SRD },
    { name: '"task <id>" at the end of a sentence', task: { id: '2', title: 'Other' }, srd: '## A\nDone in task 2.\n## B\nx', expected: '## A\nDone in task 2.' },
  ])('$name', ({ task, parent, srd, expected }: { task: { id: string; title: string }; parent?: string; srd?: string; expected: string }) => {
    expect(requirementsFor(srd ?? SRD, task, parent)).toBe(expected)
  })

  it('clips the whole SRD when nothing matches', () => {
    const long = `# SRD\n${'word '.repeat(5000)}`
    expect(requirementsFor(long, { id: '1', title: 'Nothing here' }).length).toBeLessThanOrEqual(WHOLE_SRD_MAX_CHARS)
  })
})

describe('missionLiteOf', () => {
  it.each([
    { name: 'mission-lite.md when there', lite: '  Short.  ', mission: 'Long.', expected: 'Short.' },
    { name: 'the mission when mission-lite.md is blank', lite: '\n', mission: 'Para one.\n\nPara two.', expected: 'Para one.\n\nPara two.' },
    { name: 'the opening paragraphs up to 800 characters', lite: undefined, mission: `${'a'.repeat(500)}\n\n${'b'.repeat(500)}`, expected: 'a'.repeat(500) },
  ])('$name', ({ lite, mission, expected }) => {
    expect(missionLiteOf(lite, mission)).toBe(expected)
  })
})
