// Health check: every shard's last heartbeat must be ok. Reads the heartbeats recorded in
// config/shards.json, so the example is deterministic; a real check would query each host.
import { readFileSync } from 'node:fs'

const config = JSON.parse(readFileSync(new URL('../config/shards.json', import.meta.url), 'utf8'))
const down = config.shards.filter((shard) => shard.last_heartbeat !== 'ok')
console.log(`checked ${config.shards.length} shards`)
if (down.length > 0) {
  for (const shard of down) console.error(`index shard ${shard.id} ${shard.last_heartbeat} (${shard.host})`)
  console.error(`search-indexer unhealthy: ${down.length} of ${config.shards.length} shards down`)
  process.exit(1)
}
console.log('search-indexer healthy: all shards ok')
