import type { DestinationStream } from 'pino'

/**
 * Where log lines go on the console (always stderr; stdout carries results). With --ci they stay
 * JSON lines; otherwise pino-pretty renders them for people.
 */
export async function createConsoleStream(options: { ci: boolean; color: boolean }): Promise<DestinationStream> {
  if (options.ci) {
    return { write: (line: string) => void process.stderr.write(line) }
  }
  const { default: pretty } = await import('pino-pretty')
  return pretty({
    destination: 2,
    sync: true,
    colorize: options.color,
    translateTime: 'HH:MM:ss',
    ignore: 'runId,event,plugin,job,intent,status,attempts,durationMs,jobs,resumed,maxParallel',
    singleLine: true,
    messageFormat: (log, messageKey) => {
      const plugin = typeof log.plugin === 'string' ? `[${log.plugin}] ` : ''
      const job = typeof log.job === 'string' && log.event === 'intent_log' ? `${log.job}: ` : ''
      return `${plugin}${job}${String(log[messageKey] ?? '')}`
    },
  })
}
