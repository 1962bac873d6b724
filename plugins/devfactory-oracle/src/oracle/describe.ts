// A check as people read it (one line per event) and as `--json` prints it.

import { formatDuration } from '../detect/detector.js'
import type { StuckWorker } from '../types.js'
import type { CheckIntervention, CheckReport } from './oracle.js'

export const verdictText = (stuck: StuckWorker): string => `${stuck.classification} (${stuck.confidence.toFixed(2)}), stuck ${formatDuration(stuck.stuckDuration)}`

/** What was done for one stuck worker, after the arrow. */
export function outcomeText(entry: CheckIntervention): string {
  if (entry.noApiKey) return 'guidance skipped: no API key'
  if (entry.error) return `failed: ${entry.error.message} (${entry.error.code})`
  const result = entry.result
  if (!result) return 'nothing done'
  if (result.skipped) return result.error ? `skipped: ${result.error}` : `waiting: ${result.reason}`
  const record = result.recordId ? ` (${result.recordId})` : ''
  if (!result.success) return `${result.type} failed: ${result.error ?? result.reason}${record}`
  switch (result.type) {
    case 'guidance':
      return `guidance ${result.guidancePath}${record}`
    case 'escalation':
      return `escalated to a person: ${result.reason}; note ${result.notePath}${result.guidancePath ? `, guidance ${result.guidancePath}` : ''}${record}`
    case 'takeover':
      return `taken over and completed; log ${result.takeover?.logPath}${record}`
  }
}

export const interventionLine = (entry: CheckIntervention): string => `${entry.stuck.worker} on ${entry.stuck.taskId}: ${verdictText(entry.stuck)} → ${outcomeText(entry)}`

/** The report of one check, a line per event; the first line counts. */
export function checkLines(report: CheckReport): string[] {
  if (report.error) return [`check at ${report.at}: could not run: ${report.error.message} (${report.error.code})`]
  const lines = [`check at ${report.at}: ${report.workers} worker(s), ${report.stuck.length === 0 ? 'none stuck' : `${report.stuck.length} stuck`}`]
  for (const change of report.resolved) lines.push(`${change.id} on ${change.taskId}: ${change.outcome} (${change.reason})`)
  lines.push(...report.interventions.map(interventionLine))
  return lines
}

/** The report for `--json`: plain data, the error as its code, message and place. */
export function checkData(report: CheckReport) {
  return {
    at: report.at,
    workers: report.workers,
    contextChanged: report.contextChanged,
    resolved: report.resolved,
    interventions: report.interventions.map((entry) => ({
      worker: entry.stuck.worker,
      taskId: entry.stuck.taskId,
      classification: entry.stuck.classification,
      confidence: entry.stuck.confidence,
      stuckDuration: entry.stuck.stuckDuration,
      evidence: entry.stuck.evidence,
      outcome: outcomeText(entry),
      ...(entry.result ? { result: entry.result } : {}),
      ...(entry.noApiKey ? { noApiKey: true } : {}),
      ...(entry.error ? { error: entry.error } : {}),
    })),
    failed: report.failed,
    apiKeyMissing: report.apiKeyMissing,
    ...(report.error ? { error: { code: report.error.code, message: report.error.message, ...(report.error.file ? { file: report.error.file } : {}), ...(report.error.line === undefined ? {} : { line: report.error.line }) } } : {}),
  }
}
