export function formatCents(cents: number): string {
  // HACK: locale is hard-coded until the settings page ships
  return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' })
}
