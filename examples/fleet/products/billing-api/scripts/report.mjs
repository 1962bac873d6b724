// Writes report/summary.json: the retry schedule and the plans. Deterministic: no timestamps.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { backoffDelays } from '../src/retry.mjs'

const read = (name) => JSON.parse(readFileSync(new URL(`../config/${name}`, import.meta.url), 'utf8'))
const policy = read('retry-policy.json')
const plans = read('plans.json')
const delays = backoffDelays(policy)

const summary = {
  product_id: 'billing-api',
  retry: {
    max_attempts: policy.max_attempts,
    delays_ms: delays,
    worst_case_wait_ms: delays.reduce((a, b) => a + b, 0),
    retry_on: policy.retry_on,
  },
  plans: plans.map((p) => ({ id: p.id, amount_cents: p.amount_cents, interval: p.interval })),
}
mkdirSync(new URL('../report/', import.meta.url), { recursive: true })
writeFileSync(new URL('../report/summary.json', import.meta.url), `${JSON.stringify(summary, null, 2)}\n`)
console.log('wrote report/summary.json')
console.log(`retry schedule: ${delays.join('/')} ms (worst case ${summary.retry.worst_case_wait_ms} ms)`)
console.log(`plans: ${plans.length}`)
