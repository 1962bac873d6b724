import { describe, expect, it } from 'vitest'
import { type DagNode, findCycles, globToRegExp, matchesGlob, topoOrder } from './validate.js'

/** `A<-B,C` : task A depends on B and C. */
const dag = (...specs: string[]): DagNode[] =>
  specs.map((spec) => {
    const [id = '', deps = ''] = spec.split('<-')
    return { id, dependencies: deps === '' ? [] : deps.split(',') }
  })

describe('topoOrder', () => {
  it.each([
    ['single', dag('A'), ['A']],
    ['chain', dag('C<-B', 'B<-A', 'A'), ['A', 'B', 'C']],
    ['fan-out', dag('A', 'B<-A', 'C<-A', 'D<-A'), ['A', 'B', 'C', 'D']],
    ['fan-in', dag('D<-A,B,C', 'A', 'B', 'C'), ['A', 'B', 'C', 'D']],
    ['diamond', dag('A', 'B<-A', 'C<-A', 'D<-B,C'), ['A', 'B', 'C', 'D']],
    ['diamond listed backwards', dag('D<-B,C', 'C<-A', 'B<-A', 'A'), ['A', 'C', 'B', 'D']],
    ['ties by plan order', dag('Z', 'Y', 'X<-Z'), ['Z', 'Y', 'X']],
    ['unknown dependency ignored', dag('A<-nope', 'B<-A'), ['A', 'B']],
    ['cycle left out', dag('A', 'B<-C', 'C<-B', 'D<-A'), ['A', 'D']],
    ['behind a cycle left out', dag('A<-B', 'B<-A', 'C<-A'), []],
  ])('%s', (_name, tasks, order) => {
    expect(topoOrder(tasks)).toEqual(order)
  })
})

describe('findCycles', () => {
  it.each([
    ['none in a diamond', dag('A', 'B<-A', 'C<-A', 'D<-B,C'), []],
    ['cycle of 2', dag('A<-B', 'B<-A'), [['A', 'B']]],
    ['cycle of 3, started at the first listed', dag('X', 'B<-C', 'A<-B', 'C<-A'), [['B', 'C', 'A']]],
    ['two cycles', dag('A<-B', 'B<-A', 'C<-D', 'D<-E', 'E<-C'), [['A', 'B'], ['C', 'D', 'E']]],
    ['self-dependency left to its own rule', dag('A<-A', 'B<-A'), []],
    ['unknown ids ignored', dag('A<-ghost'), []],
  ])('%s', (_name, tasks, cycles) => {
    expect(findCycles(tasks)).toEqual(cycles)
  })
})

describe('forbidden path globs', () => {
  it.each([
    ['secrets/key.pem', 'secrets/**', true],
    ['secrets', 'secrets/**', true],
    ['secrets/a/b/c', 'secrets', true],
    ['./secrets/a', 'secrets/', true],
    ['src/secrets.ts', 'secrets/**', false],
    ['a/.env', '**/.env', true],
    ['.env', '**/.env', true],
    ['src/a.gen.ts', 'src/*.gen.ts', true],
    ['src/deep/a.gen.ts', 'src/*.gen.ts', false],
    ['src/deep/a.gen.ts', 'src/**/*.gen.ts', true],
    ['v1.txt', 'v?.txt', true],
    ['v10.txt', 'v?.txt', false],
    ['dist/x.js', 'dist', true],
    ['distribution/x.js', 'dist', false],
    ['a+b/c', 'a+b/*', true],
  ])('%s vs %s: %s', (path, glob, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected)
  })

  it.each([
    ['a/b/x.md', true],
    ['a/q/r/b/x.md', true],
    ['a/b/c/x.md', false],
    ['a/x.md', false],
  ])('a/**/b/*.md covers %s: %s', (path, expected) => {
    expect(globToRegExp('a/**/b/*.md').test(path)).toBe(expected)
  })
})
