import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cartTotal, formatCents, priceLines } from '../src/cart.mjs'

const catalog = [
  { sku: 'tee', name: 'T-shirt', price_cents: 1900 },
  { sku: 'mug', name: 'Mug', price_cents: 1200 },
]

test('totals are summed in cents and the discount is applied', () => {
  assert.deepEqual(cartTotal([{ sku: 'tee', quantity: 2 }, { sku: 'mug', quantity: 1 }], catalog, 500), {
    subtotal_cents: 5000,
    discount_cents: 500,
    total_cents: 4500,
  })
})

test('a discount never takes the total below zero', () => {
  assert.equal(cartTotal([{ sku: 'mug', quantity: 1 }], catalog, 5000).total_cents, 0)
})

test('unknown skus and bad quantities are rejected', () => {
  assert.throws(() => priceLines([{ sku: 'hat', quantity: 1 }], catalog), /unknown sku: hat/)
  assert.throws(() => priceLines([{ sku: 'tee', quantity: 0 }], catalog), /bad quantity/)
})

test('cents are formatted with two decimals', () => {
  assert.equal(formatCents(4505), '45.05')
  assert.equal(formatCents(0), '0.00')
})
