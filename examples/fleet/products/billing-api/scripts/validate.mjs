// Validates the config files and the retry module's exports.
import { readFileSync } from 'node:fs'
import * as retry from '../src/retry.mjs'

const read = (name) => JSON.parse(readFileSync(new URL(`../config/${name}`, import.meta.url), 'utf8'))
const problems = []

const policy = read('retry-policy.json')
problems.push(...retry.checkPolicy(policy).map((p) => `config/retry-policy.json: ${p}`))

const plans = read('plans.json')
const ids = new Set()
for (const [i, plan] of plans.entries()) {
  if (typeof plan.id !== 'string' || ids.has(plan.id)) problems.push(`config/plans.json[${i}]: id missing or duplicated`)
  ids.add(plan.id)
  if (!Number.isInteger(plan.amount_cents) || plan.amount_cents <= 0) problems.push(`config/plans.json[${i}]: amount_cents must be a positive integer`)
  if (!['month', 'year'].includes(plan.interval)) problems.push(`config/plans.json[${i}]: interval must be month or year`)
}

const exportsWanted = ['backoffDelays', 'checkPolicy', 'shouldRetry']
for (const name of exportsWanted) if (typeof retry[name] !== 'function') problems.push(`src/retry.mjs: missing export ${name}`)

if (problems.length > 0) {
  for (const p of problems) console.error(p)
  console.error(`billing-api: validation failed (${problems.length} problems)`)
  process.exit(1)
}
console.log('validated 2 config files: retry-policy.json, plans.json')
console.log(`retry policy: ${policy.max_attempts} attempts, retry on ${policy.retry_on.join(', ')}`)
console.log(`plans: ${plans.length} (${plans.map((p) => p.id).join(', ')})`)
console.log(`src/retry.mjs exports: ${exportsWanted.join(', ')}`)
