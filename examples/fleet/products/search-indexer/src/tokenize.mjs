// Tokenizing and shard routing for the search index.

const STOP_WORDS = new Set(['a', 'an', 'and', 'of', 'the', 'to'])

/** Lower-cased word tokens without stop words, in order of first appearance, deduplicated. */
export function tokenize(text) {
  const tokens = text.toLowerCase().match(/[a-z0-9]+/g) ?? []
  return [...new Set(tokens.filter((t) => !STOP_WORDS.has(t)))]
}

/** The shard (0-based) a document id is stored on: a stable string hash modulo the shard count. */
export function shardFor(docId, shardCount) {
  let hash = 0
  for (const char of docId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return hash % shardCount
}
