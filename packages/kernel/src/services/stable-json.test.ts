import { describe, expect, it } from 'vitest'
import { compareCodeUnits, stableLine, stableStringify } from './stable-json.js'

describe('stableStringify', () => {
  it('sorts keys by code unit ("B" < "a" < "b"), at every depth', () => {
    const value = { b: 1, a: { z: true, B: [{ y: 2, x: 1 }], a: null }, B: 'up' }
    expect(stableStringify(value)).toBe(
      [
        '{',
        '  "B": "up",',
        '  "a": {',
        '    "B": [',
        '      {',
        '        "x": 1,',
        '        "y": 2',
        '      }',
        '    ],',
        '    "a": null,',
        '    "z": true',
        '  },',
        '  "b": 1',
        '}',
        '',
      ].join('\n'),
    )
  })

  it('orders by UTF-16 code unit, not by locale', () => {
    // "é" (U+00E9) sorts after "z"; an astral character (surrogates D83D DE00) before U+FF5E.
    const value = { é: 1, z: 2, '\uFF5E': 3, '\uD83D\uDE00': 4, Z: 5, _: 6 }
    expect(stableLine(value)).toBe('{"Z":5,"_":6,"z":2,"é":1,"\uD83D\uDE00":4,"\uFF5E":3}')
  })

  it('writes integer-like keys in one order whatever the insertion order', () => {
    // JavaScript objects always list integer-like keys first, ascending: "9" comes before "10".
    expect(stableLine({ a: 0, '10': 1, '9': 2 })).toBe(stableLine({ '9': 2, a: 0, '10': 1 }))
  })

  it('keeps arrays in their order', () => {
    expect(stableLine([3, 1, 2, 'b', 'a'])).toBe('[3,1,2,"b","a"]')
  })

  it('writes a top-level undefined as null, so its hash is defined', () => {
    expect(stableStringify(undefined)).toBe('null\n')
    expect(stableLine(undefined)).toBe('null')
  })

  it('drops undefined members and turns undefined array items into null', () => {
    expect(stableLine({ a: undefined, b: [undefined, 1, { c: undefined, d: 2 }], e: 3 })).toBe('{"b":[null,1,{"d":2}],"e":3}')
  })

  it('ends with exactly one newline and indents by two spaces unless told', () => {
    expect(stableStringify({ a: 1 })).toBe('{\n  "a": 1\n}\n')
    expect(stableStringify({ a: [1] }, 4)).toBe('{\n    "a": [\n        1\n    ]\n}\n')
    expect(stableStringify({ a: 1 }, 0)).toBe('{"a":1}\n')
    expect(stableStringify('x')).toBe('"x"\n')
  })

  it('gives identical bytes for the same value built in different key orders', () => {
    const one = { id: 'job-1', input: { url: 'https://x', retries: 2, headers: { b: '2', a: '1' } }, tags: ['x', 'y'] }
    const two = { tags: ['x', 'y'], input: { headers: { a: '1', b: '2' }, retries: 2, url: 'https://x' }, id: 'job-1' }
    expect(stableStringify(two)).toBe(stableStringify(one))
    expect(stableLine(two)).toBe(stableLine(one))
  })

  it('round-trips: parsing the output gives the value back', () => {
    const value = { b: [1, 'two', { three: 3 }], a: { nested: { deep: [null, true, false] } }, n: -1.5e-7, s: 'quote " and \\ and \n' }
    expect(JSON.parse(stableStringify(value))).toEqual(value)
  })

  it('uses toJSON the way JSON.stringify does, then sorts its result', () => {
    const value = { when: new Date('2024-05-01T12:00:00Z'), custom: { toJSON: () => ({ z: 1, a: 2 }) } }
    expect(stableLine(value)).toBe('{"custom":{"a":2,"z":1},"when":"2024-05-01T12:00:00.000Z"}')
  })

  it('keeps a "__proto__" member of parsed JSON as a member', () => {
    const value: unknown = JSON.parse('{"b":2,"__proto__":{"x":1}}')
    expect(stableLine(value)).toBe('{"__proto__":{"x":1},"b":2}')
    expect(stableLine(value)).not.toBe(stableLine({ b: 2 }))
  })

  it('does not change the value it is given', () => {
    const value = { b: 1, a: [{ d: 1, c: undefined }] }
    stableStringify(value)
    expect(Object.keys(value)).toEqual(['b', 'a'])
    expect(Object.keys(value.a[0]!)).toEqual(['d', 'c'])
  })
})

describe('stableLine', () => {
  it('is one line without a final newline', () => {
    const line = stableLine({ b: { d: [1, 2], c: 'x\ny' }, a: 1 })
    expect(line).toBe('{"a":1,"b":{"c":"x\\ny","d":[1,2]}}')
    expect(line).not.toContain('\n')
  })
})

describe('compareCodeUnits', () => {
  it.each([
    ['B', 'a', -1],
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['', 'a', -1],
    ['a', 'ab', -1],
    ['Z', 'a', -1],
    ['10', '9', -1],
    ['é', 'z', 1],
    ['\uD83D\uDE00', '\uFF5E', -1],
  ])('compare(%j, %j) = %i', (a, b, expected) => {
    expect(Math.sign(compareCodeUnits(a, b))).toBe(expected)
  })

  it('sorts a list the way Array.prototype.sort does without a comparator', () => {
    const keys = ['b', 'B', 'a', 'é', '_', '1', 'A', '~', '\uFF5E', '\uD83D\uDE00']
    expect([...keys].sort(compareCodeUnits)).toEqual([...keys].sort())
    expect([...keys].sort(compareCodeUnits)).toEqual(['1', 'A', 'B', '_', 'a', 'b', '~', 'é', '\uD83D\uDE00', '\uFF5E'])
  })
})
