// Validates data/catalog.json and the cart module's exports.
import { readFileSync } from 'node:fs'
import * as cart from '../src/cart.mjs'

const catalog = JSON.parse(readFileSync(new URL('../data/catalog.json', import.meta.url), 'utf8'))
const problems = []
const skus = new Set()
for (const [i, product] of catalog.entries()) {
  if (typeof product.sku !== 'string' || !/^[a-z0-9-]+$/.test(product.sku)) problems.push(`data/catalog.json[${i}]: sku must be lower-case letters, digits and dashes`)
  if (skus.has(product.sku)) problems.push(`data/catalog.json[${i}]: duplicate sku ${product.sku}`)
  skus.add(product.sku)
  if (typeof product.name !== 'string' || product.name === '') problems.push(`data/catalog.json[${i}]: name missing`)
  if (!Number.isInteger(product.price_cents) || product.price_cents <= 0) problems.push(`data/catalog.json[${i}]: price_cents must be a positive integer`)
}
const exportsWanted = ['cartTotal', 'formatCents', 'priceLines']
for (const name of exportsWanted) if (typeof cart[name] !== 'function') problems.push(`src/cart.mjs: missing export ${name}`)

if (problems.length > 0) {
  for (const p of problems) console.error(p)
  console.error(`web-app: validation failed (${problems.length} problems)`)
  process.exit(1)
}
console.log(`validated data/catalog.json: ${catalog.length} products, skus unique`)
console.log(`src/cart.mjs exports: ${exportsWanted.join(', ')}`)
