import assert from 'node:assert/strict'
import { test } from 'node:test'
import { shardFor, tokenize } from '../src/tokenize.mjs'

test('tokens are lower-cased, deduplicated, without stop words', () => {
  assert.deepEqual(tokenize('The Billing API and the Billing UI'), ['billing', 'api', 'ui'])
  assert.deepEqual(tokenize('  '), [])
})

test('a document always routes to the same shard, within range', () => {
  for (const id of ['doc-1', 'doc-2', 'invoice-42']) {
    const shard = shardFor(id, 3)
    assert.equal(shard, shardFor(id, 3))
    assert.ok(shard >= 0 && shard < 3)
  }
})
