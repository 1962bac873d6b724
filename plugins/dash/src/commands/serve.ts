// `oracle dash [--port] [--host]`: serves the dashboard until SIGINT/SIGTERM, then closes the
// event streams, the watchers and the server before returning.

import { type CommandContext, type CommandResult, ExitCode } from '@oraclekit/kernel'
import type { DashOptions } from '../options.js'
import { createLiveModel } from '../server/live.js'
import { startServer } from '../server/server.js'
import { modelSource, watchedRoots } from './source.js'

interface Flags {
  port?: number
  host?: string
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const options = ctx.pluginOptions as DashOptions
  const host = ctx.options.host ?? options.host
  const port = ctx.options.port ?? options.port
  const source = modelSource(ctx.kernel, options)
  const live = await createLiveModel({
    source,
    clock: ctx.kernel.clock,
    roots: watchedRoots(source.paths),
    onError: (error) => ctx.logger.error({ err: error }, 'dash: rebuilding the model failed; the last one is still served'),
  })
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await startServer({ live, host, port, onError: (error) => ctx.logger.error({ err: error }, 'dash: a request failed') })
  } catch (error) {
    live.close()
    throw error
  }
  // ui.note (stderr) is newer than ui.line; a context without it gets the line on stdout.
  const ui = ctx.ui as typeof ctx.ui & { note?: (text: string) => void }
  const note = (text: string) => (ui.note ? ui.note(text) : ui.line(text))
  ctx.ui.line(`dash: serving ${server.url} (read-only; Ctrl-C to stop)`)
  if (!LOOPBACK.test(host)) note(`warning: listening on ${host}: anyone who can reach this address can read the workspace's artifacts`)
  await untilAborted(ctx.signal)
  await server.close()
  live.close()
  return { exitCode: ExitCode.ok, data: { url: server.url, stopped: true }, text: 'dash: stopped' }
}
