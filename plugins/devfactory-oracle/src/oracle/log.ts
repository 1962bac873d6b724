// The oracle's own log (the logFile option, JSON lines, at the logLevel option): a pino logger
// writing synchronously to the file, so a line is on disk before the next step runs and a killed
// oracle loses nothing it reported. Secrets are scrubbed as in the kernel's event log: secret-named
// fields at any depth, and credential-shaped text in messages.

import { type Clock, redactFields, redactSecrets } from '@oraclekit/kernel'
import pino, { type Logger } from 'pino'
import type { DevfactoryLog } from '../types.js'

export interface OracleLog {
  readonly logger: Logger & DevfactoryLog
  /** Flushes and closes the file; later calls do nothing. */
  close(): void
}

export function createOracleLog(path: string, options: { level: string; clock: Clock }): OracleLog {
  const destination = pino.destination({ dest: path, sync: true, append: true, mkdir: true })
  const logger = pino(
    {
      level: options.level,
      base: null,
      timestamp: () => `,"time":"${options.clock.iso()}"`,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redactFields(fields) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as typeof args)
        },
      },
    },
    destination,
  )
  let closed = false
  return {
    logger,
    close() {
      if (closed) return
      closed = true
      destination.flushSync()
      destination.end()
    },
  }
}
