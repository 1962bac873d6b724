// Writes report/summary.json: revenue per region for each monthly export in data/.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { countOrders, revenueByRegion } from '../src/monthly.mjs'

const dataDir = new URL('../data/', import.meta.url)
const files = readdirSync(dataDir).filter((f) => /^orders-\d{4}-\d{2}\.json$/.test(f)).sort()
const months = files.map((file) => {
  const orders = JSON.parse(readFileSync(new URL(file, dataDir), 'utf8'))
  return { month: file.slice('orders-'.length, -'.json'.length), ...countOrders(orders), revenue_cents_by_region: revenueByRegion(orders) }
})
mkdirSync(new URL('../report/', import.meta.url), { recursive: true })
writeFileSync(new URL('../report/summary.json', import.meta.url), `${JSON.stringify({ product_id: 'legacy-reports', months }, null, 2)}\n`)
console.log('wrote report/summary.json')
for (const m of months) console.log(`${m.month}: orders ${m.orders}, refunds ${m.refunds}, regions ${Object.keys(m.revenue_cents_by_region).length}`)
