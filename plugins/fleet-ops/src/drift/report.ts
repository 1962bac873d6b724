// A drift report as files: stable JSON for machines, Markdown for people. Same report and
// checkedAt, same bytes: items sorted by kind then key, keys sorted, no clock read here.

import { stableStringify } from '@oraclekit/kernel/intent'
import { type DriftItem, type DriftReport, compareItems, driftExitCode } from './probe.js'

/** The JSON document of one product's drift check (dash/drift/<product_id>.json). */
export interface DriftDocument {
  schema_version: 1
  product_id: string
  checked_at: string
  /** Terraform's contract: 0 no drift, 1 error, 2 drift. */
  exit_code: 0 | 1 | 2
  /** checked counts every probe, the ignored ones too. */
  summary: { checked: number; drift: number; errors: number; ignored: number }
  items: DriftItem[]
  errors: DriftItem[]
  ignored: DriftItem[]
}

export function driftDocument(productId: string, report: DriftReport, checkedAt: string): DriftDocument {
  const sorted = (items: readonly DriftItem[]) => [...items].sort(compareItems).map((item) => ({ ...item }))
  return {
    schema_version: 1,
    product_id: productId,
    checked_at: checkedAt,
    exit_code: driftExitCode(report),
    summary: {
      checked: report.items.length + report.errors.length + report.ignored.length,
      drift: report.items.filter((item) => item.status === 'drift').length,
      errors: report.errors.length,
      ignored: report.ignored.length,
    },
    items: sorted(report.items),
    errors: sorted(report.errors),
    ignored: sorted(report.ignored),
  }
}

export function renderDriftJson(productId: string, report: DriftReport, checkedAt: string): string {
  return stableStringify(driftDocument(productId, report, checkedAt))
}

/** One line: "No drift", "Drift: N item(s)" or "Error: …" (an error wins, as in the exit code). */
export function driftVerdict(report: DriftReport): string {
  const drift = report.items.filter((item) => item.status === 'drift').length
  const [first] = [...report.errors].sort(compareItems)
  if (first) {
    const also = drift > 0 ? `; drift: ${drift} item(s)` : ''
    return `Error: ${report.errors.length} item(s) could not be checked (${first.kind}:${first.key}: ${first.actual})${also}`
  }
  return drift > 0 ? `Drift: ${drift} item(s)` : 'No drift'
}

/** Why a drift_check job did not end ok (evidence.json `reason`), or null when it did. */
export function driftReason(report: DriftReport): string | null {
  const code = driftExitCode(report)
  if (code === 0) return null
  const verdict = driftVerdict(report)
  return code === 1 ? `error: ${verdict.slice('Error: '.length)}` : `drift: ${verdict.slice('Drift: '.length)}`
}

export function renderDriftMarkdown(productId: string, report: DriftReport, checkedAt: string): string {
  const doc = driftDocument(productId, report, checkedAt)
  const checked = [...doc.items, ...doc.errors].sort(compareItems)
  const lines = [
    `# Drift: ${escapeCell(productId)}`,
    '',
    `**${escapeCell(driftVerdict(report))}**`,
    '',
    `Checked at ${checkedAt}: ${doc.summary.checked} probe(s), ${doc.summary.drift} drift, ${doc.summary.errors} error(s), ${doc.summary.ignored} ignored. Exit code ${doc.exit_code}.`,
    '',
    ...table(checked, 'Nothing was checked.'),
    '',
    '## Ignored',
    '',
    ...table(doc.ignored, 'None.'),
  ]
  return `${lines.join('\n')}\n`
}

function table(items: readonly DriftItem[], empty: string): string[] {
  if (items.length === 0) return [empty]
  return [
    '| kind | key | expected | actual | status |',
    '| --- | --- | --- | --- | --- |',
    ...items.map((item) => `| ${[item.kind, item.key, item.expected, item.actual, item.status].map(escapeCell).join(' | ')} |`),
  ]
}

/** Keeps a value inside its table cell: backslashes, pipes and backticks escaped, control characters (line breaks) as one space. */
export function escapeCell(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/`/g, '\\`')
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
  )
}
