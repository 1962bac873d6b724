// Validates the order exports in data/ and the report module's exports.
import { readFileSync, readdirSync } from 'node:fs'
import * as monthly from '../src/monthly.mjs'

const dataDir = new URL('../data/', import.meta.url)
const files = readdirSync(dataDir).filter((f) => /^orders-\d{4}-\d{2}\.json$/.test(f)).sort()
const problems = []
if (files.length === 0) problems.push('data/: no orders-YYYY-MM.json export')
let rows = 0
for (const file of files) {
  const orders = JSON.parse(readFileSync(new URL(file, dataDir), 'utf8'))
  const ids = new Set()
  for (const [i, order] of orders.entries()) {
    if (typeof order.id !== 'string' || ids.has(order.id)) problems.push(`data/${file}[${i}]: id missing or duplicated`)
    ids.add(order.id)
    if (!['amer', 'apac', 'emea'].includes(order.region)) problems.push(`data/${file}[${i}]: unknown region ${order.region}`)
    if (!Number.isInteger(order.amount_cents) || order.amount_cents === 0) problems.push(`data/${file}[${i}]: amount_cents must be a non-zero integer`)
  }
  rows += orders.length
}
const exportsWanted = ['countOrders', 'revenueByRegion']
for (const name of exportsWanted) if (typeof monthly[name] !== 'function') problems.push(`src/monthly.mjs: missing export ${name}`)

if (problems.length > 0) {
  for (const p of problems) console.error(p)
  console.error(`legacy-reports: validation failed (${problems.length} problems)`)
  process.exit(1)
}
console.log(`validated order exports: ${files.join(', ')} (files: ${files.length}, rows: ${rows})`)
console.log(`src/monthly.mjs exports: ${exportsWanted.join(', ')}`)
