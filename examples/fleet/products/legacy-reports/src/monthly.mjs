// Monthly revenue report from the legacy order export.

/** Revenue in cents per region, regions sorted by name; refunds are negative amounts. */
export function revenueByRegion(orders) {
  const totals = {}
  for (const order of orders) totals[order.region] = (totals[order.region] ?? 0) + order.amount_cents
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)))
}

/** The number of orders and refunds in an export. */
export function countOrders(orders) {
  const refunds = orders.filter((o) => o.amount_cents < 0).length
  return { orders: orders.length - refunds, refunds }
}
