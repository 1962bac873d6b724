// Validates config/shards.json and the tokenizer module's exports.
import { readFileSync } from 'node:fs'
import * as tokenizer from '../src/tokenize.mjs'

const config = JSON.parse(readFileSync(new URL('../config/shards.json', import.meta.url), 'utf8'))
const problems = []
if (!Number.isInteger(config.shard_count) || config.shard_count < 1) problems.push('config/shards.json: shard_count must be a positive integer')
if (!Array.isArray(config.shards) || config.shards.length !== config.shard_count) problems.push('config/shards.json: shards must list shard_count entries')
for (const [i, shard] of (config.shards ?? []).entries()) {
  if (shard.id !== i) problems.push(`config/shards.json: shards[${i}].id must be ${i}`)
  if (typeof shard.host !== 'string' || !/^[a-z0-9.-]+:\d+$/.test(shard.host)) problems.push(`config/shards.json: shards[${i}].host must be host:port`)
}
const exportsWanted = ['shardFor', 'tokenize']
for (const name of exportsWanted) if (typeof tokenizer[name] !== 'function') problems.push(`src/tokenize.mjs: missing export ${name}`)

if (problems.length > 0) {
  for (const p of problems) console.error(p)
  console.error(`search-indexer: validation failed (${problems.length} problems)`)
  process.exit(1)
}
console.log(`validated config/shards.json: ${config.shard_count} shards`)
console.log(`src/tokenize.mjs exports: ${exportsWanted.join(', ')}`)
