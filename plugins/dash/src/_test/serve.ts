// Test helper: the live model and server over a folder, as `oracle dash` starts them.

import { watchedRoots } from '../commands/source.js'
import { type LiveModel, createLiveModel } from '../server/live.js'
import { type DashServer, startServer } from '../server/server.js'
import { clock, sourceOf } from './workspace.js'

export interface Served {
  url: string
  live: LiveModel
  server: DashServer
  close(): Promise<void>
}

export async function serveDir(dir: string): Promise<Served> {
  const source = sourceOf(dir)
  const live = await createLiveModel({ source, clock, roots: watchedRoots(source.paths), debounceMs: 50 })
  const server = await startServer({ live, host: '127.0.0.1', port: 0 })
  return {
    url: server.url,
    live,
    server,
    async close() {
      await server.close()
      live.close()
    },
  }
}
