// Checkout cart: totals in integer cents from a catalog, with a flat discount code.

/** The cart's lines priced from the catalog; throws on an unknown sku or a bad quantity. */
export function priceLines(items, catalog) {
  return items.map(({ sku, quantity }) => {
    const product = catalog.find((p) => p.sku === sku)
    if (!product) throw new Error(`unknown sku: ${sku}`)
    if (!Number.isInteger(quantity) || quantity < 1) throw new Error(`bad quantity for ${sku}: ${quantity}`)
    return { sku, quantity, line_cents: product.price_cents * quantity }
  })
}

/** Subtotal, discount and total in cents; a discount never takes the total below zero. */
export function cartTotal(items, catalog, discountCents = 0) {
  const subtotal = priceLines(items, catalog).reduce((sum, line) => sum + line.line_cents, 0)
  const discount = Math.min(discountCents, subtotal)
  return { subtotal_cents: subtotal, discount_cents: discount, total_cents: subtotal - discount }
}

/** `1234` → `"12.34"`. */
export const formatCents = (cents) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
