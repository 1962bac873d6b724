// Health check: the retry policy loads and is valid, and the module computes its delays.
import { readFileSync } from 'node:fs'
import { backoffDelays, checkPolicy } from '../src/retry.mjs'

let policy
try {
  policy = JSON.parse(readFileSync(new URL('../config/retry-policy.json', import.meta.url), 'utf8'))
} catch (error) {
  console.error(`billing-api unhealthy: cannot read config/retry-policy.json (${error.message})`)
  process.exit(1)
}
const problems = checkPolicy(policy)
if (problems.length > 0) {
  console.error(`billing-api unhealthy: ${problems.join('; ')}`)
  process.exit(1)
}
console.log(`billing-api healthy: retry policy loaded (${policy.max_attempts} attempts)`)
console.log(`backoff delays: ${backoffDelays(policy).join('/')} ms`)
