// `oracle devfactory watch [--once] [--interval <ms>]`: seed 3's monitor loop. Every check:
// refresh the context, settle pending guidance, detect stuck workers, intervene on each (the
// engine's rules decide what, and when to wait). What the check meets on disk (a broken state
// file, a missing API key) is logged and the loop goes on; SIGINT/SIGTERM end it after the
// current check, with the log closed and exit 0.

import { setTimeout as sleep } from 'node:timers/promises'
import { type CommandContext, type CommandResult, ExitCode, errorUsage, resolveInside } from '@oraclekit/kernel'
import { errorWatchRunning } from '../errors.js'
import { checkData, checkLines, interventionLine } from '../oracle/describe.js'
import { createOracleLog } from '../oracle/log.js'
import { type CheckReport, createOracle } from '../oracle/oracle.js'
import { type WatchFile, isWatchRunning, readWatchFile, watchFilePath, writeWatchFile } from '../oracle/watch-file.js'
import type { DevfactoryOptions } from '../options.js'
import type { DevfactoryLog } from '../types.js'

interface Flags {
  once?: boolean
  interval?: number
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as DevfactoryOptions
  const once = ctx.options.once === true
  const interval = ctx.options.interval ?? options.checkInterval
  if (!Number.isInteger(interval) || interval < 1) throw errorUsage(`--interval must be a whole number of milliseconds, at least 1 (got ${interval})`)
  const { rootDir, clock } = ctx.kernel
  const watchFile = watchFilePath(options.dir)
  const other = await readWatchFile(rootDir, options.dir)
  if (isWatchRunning(other) && other.pid !== process.pid) throw errorWatchRunning(other.pid, watchFile)

  const oracleLog = createOracleLog(resolveInside(rootDir, options.logFile), { level: options.logLevel, clock })
  const log = oracleLog.logger
  const note = (line: string) => ctx.ui.note?.(`${clock.iso().slice(11, 19)} ${line}`)
  const oracle = createOracle({ rootDir, options, clock, env: process.env, log })
  const stateFile = `${options.dir.replace(/\/+$/, '')}/beast/state.json`
  const heartbeat: WatchFile = { version: 1, pid: process.pid, state: 'running', startedAt: clock.iso(), checkInterval: interval, checks: 0 }
  const totals = { checks: 0, interventions: 0, failed: 0 }
  const shown = new Map<string, string>()
  let lastError: string | undefined
  let report: CheckReport | undefined

  log.info({ pid: process.pid, once, checkInterval: interval, state: stateFile, apiKeySet: oracle.apiKeySet, takeover: options.takeoverCommand ? 'configured' : 'none' }, 'Oracle awakening')
  if (!once) note(`Oracle awakening: watching ${stateFile} every ${interval} ms; log ${options.logFile}`)
  if (!oracle.apiKeySet) {
    const message = `no Anthropic API key (${options.apiKeyEnv} is not set): guidance is skipped; detection, escalations and takeovers go on`
    log.warn({ code: 'ORACLE_DEVFACTORY_NO_API_KEY', apiKeyEnv: options.apiKeyEnv }, message)
    if (!once) note(message)
  }
  try {
    if (!once) await writeWatchFile(rootDir, options.dir, heartbeat)
    for (;;) {
      try {
        report = await oracle.check()
      } catch (error) {
        // A bug or an unreadable disk: logged with its stack; the long-running watch goes on.
        log.error({ error: String(error), stack: (error as Error)?.stack }, 'check failed unexpectedly (internal error)')
        if (once) throw error
        note(`check failed unexpectedly: ${String(error)}; next check in ${interval} ms`)
        report = undefined
      }
      totals.checks += 1
      if (report) {
        logReport(log, report)
        totals.interventions += report.interventions.filter((i) => i.result && !i.result.skipped).length
        totals.failed += report.failed
        if (!once) lastError = noteReport(report, note, shown, lastError, interval)
      }
      if (once) break
      heartbeat.checks = totals.checks
      heartbeat.lastCheckAt = report?.at ?? clock.iso()
      if (report?.error) heartbeat.lastError = { code: report.error.code, message: report.error.message }
      else delete heartbeat.lastError
      await writeWatchFile(rootDir, options.dir, heartbeat)
      if (ctx.signal.aborted) break
      await sleep(interval, undefined, { signal: ctx.signal }).catch(() => undefined)
      if (ctx.signal.aborted) break
    }
  } finally {
    if (!once) {
      await writeWatchFile(rootDir, options.dir, { ...heartbeat, state: 'stopped', stoppedAt: clock.iso() }).catch((error: unknown) => log.warn({ error: String(error) }, `could not update ${watchFile}`))
    }
    log.info({ checks: totals.checks, interventions: totals.interventions, failed: totals.failed }, 'Oracle resting')
    if (!once) note(`Oracle resting after ${totals.checks} check(s)`)
    oracleLog.close()
  }

  if (!once) {
    return {
      exitCode: ExitCode.ok,
      data: { checks: totals.checks, interventions: totals.interventions, failed: totals.failed, log: options.logFile },
      text: `Oracle resting after ${totals.checks} check(s): ${totals.interventions} intervention(s), ${totals.failed} failed; log ${options.logFile}`,
    }
  }
  const last = report as CheckReport
  // One check for CI: a check that could not run is its error (a broken state file: exit 3).
  if (last.error) throw last.error
  const exitCode = last.apiKeyMissing ? ExitCode.usage : last.failed > 0 ? ExitCode.failed : ExitCode.ok
  const lines = checkLines(last)
  if (last.apiKeyMissing) lines.push(`guidance was due but ${options.apiKeyEnv} is not set (exit 2); export it, or set the apiKeyEnv option`)
  return { exitCode, data: checkData(last), text: lines.join('\n') }
}

function logReport(log: DevfactoryLog, report: CheckReport): void {
  const error = report.error
  if (error) {
    log.error({ code: error.code, file: error.file, line: error.line, problems: error.problems?.slice(0, 10), hint: error.hint }, error.message)
    return
  }
  const level = report.stuck.length > 0 || report.resolved.length > 0 ? 'info' : 'debug'
  log[level]({ workers: report.workers, stuck: report.stuck.length, resolved: report.resolved.length, failed: report.failed, contextChanged: report.contextChanged }, 'check done')
  for (const entry of report.interventions) {
    log[entry.error || (entry.result && !entry.result.success && !entry.result.skipped) ? 'warn' : 'info'](
      { worker: entry.stuck.worker, task: entry.stuck.taskId, type: entry.result?.type, recordId: entry.result?.recordId, skipped: entry.result?.skipped, noApiKey: entry.noApiKey },
      interventionLine(entry),
    )
  }
}

/**
 * Notes for the person watching: only what changed since the last check, so a worker waiting on
 * its guidance, or a state file that stays broken, is said once. Returns the current error line.
 */
function noteReport(report: CheckReport, note: (line: string) => void, shown: Map<string, string>, lastError: string | undefined, interval: number): string | undefined {
  if (report.error) {
    const line = `${report.error.message} (${report.error.code}); still watching, next check in ${interval} ms`
    if (line !== lastError) note(line)
    return line
  }
  if (lastError !== undefined) note('state readable again')
  for (const change of report.resolved) note(`${change.id} on ${change.taskId}: ${change.outcome} (${change.reason})`)
  const now = new Set<string>()
  for (const entry of report.interventions) {
    const key = `${entry.stuck.worker} ${entry.stuck.taskId}`
    now.add(key)
    const line = interventionLine(entry)
    // The duration grows every check: compare what was found and done, not how long.
    const gist = line.replace(/, stuck [^→]*→/, ' →')
    if (shown.get(key) !== gist) note(line)
    shown.set(key, gist)
  }
  for (const key of [...shown.keys()]) if (!now.has(key)) shown.delete(key)
  return undefined
}
