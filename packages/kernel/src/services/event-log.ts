import type { DestinationStream, Level, LevelWithSilent, Logger } from 'pino'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Clock } from './clock.js'
import { REDACTED, redactFields, redactSecrets } from './redact.js'

export type { Logger } from 'pino'
export type LogLevel = LevelWithSilent

export interface EventLogOptions {
  clock: Clock
  /** Level of the console stream (default `info`). */
  level?: LogLevel
  /** Where readable output goes; the CLI passes a pretty or plain stream. Omit for none. */
  console?: DestinationStream
  /** Extra field paths to redact, in pino's `redact` syntax (secret-named fields always are). */
  redact?: readonly string[]
}

/** The event log: one pino logger fanned out to the console and to per-run JSONL sinks. */
export interface EventLog {
  readonly logger: Logger
  /** Appends every event at `info` or above (or the console level, if lower) to a JSONL file. */
  addSink(path: string): () => void
}

const LEVEL_VALUES: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity }

export async function createEventLog(options: EventLogOptions): Promise<EventLog> {
  // Imported here, not at the top: commands that never log (help, version) skip its cost.
  const { default: pino } = await import('pino')
  const consoleLevel = options.level ?? 'info'
  const sinkLevel: Level = LEVEL_VALUES[consoleLevel] < LEVEL_VALUES.info ? (consoleLevel as Level) : 'info'
  const streams = pino.multistream([], { dedupe: false })
  if (options.console && consoleLevel !== 'silent') streams.add({ level: consoleLevel as Level, stream: options.console })
  const clock = options.clock
  // The logger's level is the lowest any stream takes: with no run sink attached, the console's.
  // A line no stream takes is then never built (pino's level methods are no-ops below the level);
  // at `info` with no sink, each job's lines cost ~30 µs for nothing. Child loggers that set no
  // level of their own follow the root's (pino children inherit it through their prototype).
  const withSinks: LogLevel = LEVEL_VALUES[consoleLevel] < LEVEL_VALUES[sinkLevel] ? consoleLevel : sinkLevel
  const withoutSinks: LogLevel = options.console ? consoleLevel : 'silent'
  let sinks = 0
  const logger = pino(
    {
      level: withoutSinks,
      base: null,
      timestamp: () => `,"time":"${clock.iso()}"`,
      // Secret-named fields and credential-shaped text are hidden by redactFields (a key-name rule,
      // at any depth): pino's wildcard redact paths cost ~12 µs per line, this ~1 µs.
      ...(options.redact && options.redact.length > 0 ? { redact: { paths: [...options.redact], censor: REDACTED } } : {}),
      formatters: { log: (fields) => redactFields(fields) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as typeof args
          method.apply(this, scrubbed)
        },
      },
    },
    streams,
  )
  return {
    logger,
    addSink(path) {
      mkdirSync(dirname(path), { recursive: true })
      // Synchronous appends: an event is in the file before the next line of the run executes,
      // so a process killed at any instant loses nothing it reported.
      const destination = pino.destination({ dest: path, sync: true, append: true })
      const added = streams.add({ level: sinkLevel, stream: destination })
      const id = (added as unknown as { lastId: number }).lastId
      if (sinks++ === 0) logger.level = withSinks
      let removed = false
      return () => {
        if (removed) return
        removed = true
        if (--sinks === 0) logger.level = withoutSinks
        streams.remove(id)
        destination.flushSync()
        destination.end()
      }
    },
  }
}
