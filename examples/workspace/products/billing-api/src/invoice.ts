export interface Invoice {
  id: string
  cents: number
}

// TODO: round half-even once finance confirms the rule
export function total(invoices: Invoice[]): number {
  return invoices.reduce((sum, invoice) => sum + invoice.cents, 0)
}
