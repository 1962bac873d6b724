import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countOrders, revenueByRegion } from '../src/monthly.mjs'

const orders = [
  { id: 'a', region: 'emea', amount_cents: 1000 },
  { id: 'b', region: 'amer', amount_cents: 500 },
  { id: 'c', region: 'emea', amount_cents: -250 },
]

test('revenue is summed per region, refunds subtracted, regions sorted', () => {
  const revenue = revenueByRegion(orders)
  assert.deepEqual(revenue, { amer: 500, emea: 750 })
  assert.deepEqual(Object.keys(revenue), ['amer', 'emea'])
})

test('refunds are counted apart from orders', () => {
  assert.deepEqual(countOrders(orders), { orders: 2, refunds: 1 })
})
