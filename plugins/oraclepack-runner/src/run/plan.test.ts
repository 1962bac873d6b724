import { describe, expect, it } from 'vitest'
import { engineArgs, outputName, routing, slugify } from './plan.js'

describe('engineArgs', () => {
  it.each([
    { argv: ['oracle', '-p', 'q', '--write-output', 'docs/01-x.md'], extra: [], out: ['-p', 'q', '--wait'] },
    { argv: ['oracle', '--write-output=docs/01-x.md', '-p', 'q'], extra: [], out: ['-p', 'q', '--wait'] },
    { argv: ['oracle', '--no-wait', '-p', 'q', '--wait'], extra: [], out: ['-p', 'q', '--wait'] },
    { argv: ['oracle', '-f', 'a.ts', 'b.ts', '-p', 'q'], extra: ['--engine', 'api'], out: ['--engine', 'api', '-f', 'a.ts', 'b.ts', '-p', 'q', '--wait'] },
  ])('$argv → $out', ({ argv, extra, out }) => {
    expect(engineArgs(argv, { args: extra })).toEqual(out)
  })
})

describe('outputName', () => {
  it.each([
    ['01', 'docs/oracle/01-permissions-sanitize.md', 'permissions', 'outputs/01-permissions-sanitize.md'],
    ['02', '$out_dir/answer.md', 'invariants', 'outputs/02-answer.md'],
    ['03', 'x/03_Caching State.MD', undefined, 'outputs/03-caching-state.md'],
    ['04', undefined, 'failure modes', 'outputs/04-failure-modes.md'],
    ['05', undefined, undefined, 'outputs/05-answer.md'],
    ['06', 'out/06-.md', 'UX flows', 'outputs/06-ux-flows.md'],
  ])('step %s writing %s (category %s) → %s', (id, write, category, expected) => {
    expect(outputName({ id, fields: category ? { category } : {} }, write)).toBe(expected)
  })

  it('slugs are short, lower-case and safe', () => {
    expect(slugify('Ünïcode & Spaces / ../../etc')).toBe('unicode-spaces-etc')
    expect(slugify('x'.repeat(100))).toHaveLength(60)
  })
})

describe('routing', () => {
  it('collects models and engines from the flags, sorted; default when none', () => {
    const plan = (args: string[]) => ({ args }) as never
    expect(routing([plan(['--model', 'gpt-5.1', '-e', 'api']), plan(['--models=b,a']), plan(['-m', 'gpt-5.1'])])).toEqual({ models: ['a', 'b', 'gpt-5.1'], providers: ['api'] })
    expect(routing([plan(['-p', 'q'])])).toEqual({ models: ['default'], providers: ['default'] })
  })
})
