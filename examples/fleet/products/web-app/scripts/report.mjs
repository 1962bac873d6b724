// Writes report/summary.json: the catalog's size and price range, and a sample cart.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cartTotal, formatCents } from '../src/cart.mjs'

const catalog = JSON.parse(readFileSync(new URL('../data/catalog.json', import.meta.url), 'utf8'))
const prices = catalog.map((p) => p.price_cents)
const sample = cartTotal([{ sku: 'tee-black-m', quantity: 2 }, { sku: 'mug-white', quantity: 1 }], catalog, 500)

const summary = {
  product_id: 'web-app',
  catalog: { products: catalog.length, min_price: formatCents(Math.min(...prices)), max_price: formatCents(Math.max(...prices)) },
  sample_cart: { subtotal: formatCents(sample.subtotal_cents), discount: formatCents(sample.discount_cents), total: formatCents(sample.total_cents) },
}
mkdirSync(new URL('../report/', import.meta.url), { recursive: true })
writeFileSync(new URL('../report/summary.json', import.meta.url), `${JSON.stringify(summary, null, 2)}\n`)
console.log('wrote report/summary.json')
console.log(`catalog: ${catalog.length} products, ${summary.catalog.min_price} to ${summary.catalog.max_price}`)
console.log(`sample cart total: ${summary.sample_cart.total}`)
