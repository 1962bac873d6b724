import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashJson, sha256, sha256File, stableId } from './hash.js'
import { stableLine } from './stable-json.js'

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

describe('sha256', () => {
  it.each([
    ['', EMPTY],
    ['abc', ABC],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['The quick brown fox jumps over the lazy dog', 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592'],
  ])('of %j is the standard vector', (input, digest) => {
    expect(sha256(input)).toBe(digest)
  })

  it('hashes a string as its UTF-8 bytes', () => {
    expect(sha256(new Uint8Array([0x61, 0x62, 0x63]))).toBe(ABC)
    expect(sha256('é☃😀')).toBe(sha256(Buffer.from('é☃😀', 'utf8')))
    expect(sha256('é')).not.toBe(sha256(Buffer.from('é', 'latin1')))
  })

  it('is 64 lower-case hex digits', () => {
    expect(sha256('anything')).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('sha256File', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oraclekit-hash-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('equals sha256 of the file bytes', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff
    const file = join(dir, 'big.bin')
    await writeFile(file, bytes)
    expect(await sha256File(file)).toBe(sha256(bytes))
  })

  it.each([
    ['an empty file', '', EMPTY],
    ['"abc"', 'abc', ABC],
  ])('of %s is the standard vector', async (_what, text, digest) => {
    const file = join(dir, `${digest}.txt`)
    await writeFile(file, text)
    expect(await sha256File(file)).toBe(digest)
  })

  it('rejects for a missing file', async () => {
    await expect(sha256File(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('hashJson', () => {
  it('is sha256 of the stable one-line form', () => {
    const value = { b: [1, 2], a: 'x' }
    expect(stableLine(value)).toBe('{"a":"x","b":[1,2]}')
    expect(hashJson(value)).toBe(sha256('{"a":"x","b":[1,2]}'))
  })

  it('is equal for equal values in different key orders', () => {
    const one = { id: 'a', input: { x: 1, y: [{ q: 1, p: 2 }] }, extra: undefined }
    const two = { input: { y: [{ p: 2, q: 1 }], x: 1 }, id: 'a' }
    expect(hashJson(two)).toBe(hashJson(one))
  })

  it.each([
    ['array order', [1, 2], [2, 1]],
    ['a number and its string', { a: 1 }, { a: '1' }],
    ['null and a missing member', { a: null }, {}],
    ['nesting', { a: { b: 1 } }, { 'a.b': 1 }],
    ['a "__proto__" member', JSON.parse('{"__proto__":{"x":1},"b":2}') as unknown, { b: 2 }],
  ])('tells apart values that differ by %s', (_what, one, two) => {
    expect(hashJson(one)).not.toBe(hashJson(two))
  })
})

describe('stableId', () => {
  it('cannot be forged with separator characters inside a part', () => {
    expect(stableId('p', ['a\u0000string:b'])).not.toBe(stableId('p', ['a', 'b']))
    expect(stableId('p', ['a\u0000string:1:b'])).not.toBe(stableId('p', ['a', 'b']))
  })

  it('is <prefix>-<12 hex digits> by default, the same on every call', () => {
    const id = stableId('job', ['fetch', 'https://example.com', 3])
    expect(id).toMatch(/^job-[0-9a-f]{12}$/)
    expect(stableId('job', ['fetch', 'https://example.com', 3])).toBe(id)
  })

  it('is pinned to its encoding (ids written by earlier runs stay valid)', () => {
    expect(stableId('run', ['a', 1])).toBe(`run-${sha256('string:1:a\u0000number:1:1').slice(0, 12)}`)
  })

  it('takes the length of the hash part', () => {
    const long = stableId('x', ['a'], 64)
    expect(long).toBe(`x-${sha256('string:1:a')}`)
    expect(stableId('x', ['a'], 6)).toBe(long.slice(0, 8))
  })

  it.each([
    ['the split between parts', ['ab', 'c'], ['a', 'bc']],
    ['the type of a part', ['1'], [1]],
    ['the order of parts', ['a', 'b'], ['b', 'a']],
    ['an empty part', ['a'], ['a', '']],
    ['no parts and one empty part', [], ['']],
  ])('differs by %s', (_what, one, two) => {
    expect(stableId('p', one)).not.toBe(stableId('p', two))
  })

  it('differs by prefix only in the prefix', () => {
    expect(stableId('a', ['x']).slice(2)).toBe(stableId('b', ['x']).slice(2))
  })
})
