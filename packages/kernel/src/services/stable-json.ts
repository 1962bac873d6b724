/**
 * JSON with object keys sorted by code unit at every depth, `undefined` members dropped, two-space
 * indentation and a final newline: the same value always gives the same bytes.
 */
export function stableStringify(value: unknown, indent = 2): string {
  return `${JSON.stringify(sortKeys(value) ?? null, null, indent)}\n`
}

/** The single-line form, for JSONL records and content hashes. */
export function stableLine(value: unknown): string {
  // undefined (or a function) has no JSON form: it is written as null, like an array hole.
  return JSON.stringify(sortKeys(value) ?? null)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)))
  if (value === null || typeof value !== 'object') return value
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return sortKeys((value as { toJSON(): unknown }).toJSON())
  }
  // No prototype: a "__proto__" key (JSON.parse makes it an own member) must stay a member.
  const out: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(value).sort(compareCodeUnits)) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined) out[key] = sortKeys(member)
  }
  return out
}

/** Code-unit order, the tie-break every deterministic ordering in OracleKit uses. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
