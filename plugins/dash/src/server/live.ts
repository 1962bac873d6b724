// The model the server answers from, kept current: a change under an artifact folder (fs.watch,
// debounced) rebuilds it, and when any view's data differs the version goes up and listeners
// (the SSE clients) hear of it. A touched file that changes nothing bumps nothing. A slow timer
// rebuilds too, for what watching misses (a folder that appears later, a file system without
// events) and for the passing of time (what is due depends on now).

import type { Clock } from '@oraclekit/kernel'
import { type ModelSource, buildModel } from '../model/model.js'
import type { DashModel } from '../model/types.js'
import { type Snapshot, createSnapshot } from '../site/snapshot.js'
import { type Watcher, watchRoots } from './watch.js'

export interface LiveModelOptions {
  source: Omit<ModelSource, 'now'>
  clock: Clock
  /** Workspace-relative folders (and files) whose changes matter. */
  roots: readonly string[]
  /** Wait this long after a change for more before rebuilding (default 100 ms). */
  debounceMs?: number
  /** Rebuild this often even without an event (default 30 s). */
  refreshMs?: number
  /** A rebuild that threw (a bug, or an unreadable folder); the last good model stays. */
  onError?: (error: unknown) => void
}

export interface LiveModel {
  current(): Snapshot
  /** Called with the new version after each change. */
  subscribe(listener: (version: number) => void): () => void
  /** Rebuilds now; true when the version went up. */
  refresh(): Promise<boolean>
  close(): void
}

export async function createLiveModel(options: LiveModelOptions): Promise<LiveModel> {
  const { source, clock } = options
  let version = 1
  let now = clock.now()
  let model: DashModel = await buildModel({ ...source, now })
  let text = JSON.stringify(model)
  let snapshot = createSnapshot(model, { version, now, rootDir: source.rootDir })
  const listeners = new Set<(version: number) => void>()
  let running: Promise<boolean> | undefined
  let again = false
  let closed = false

  const rebuild = async (): Promise<boolean> => {
    const at = clock.now()
    const next = await buildModel({ ...source, now: at })
    const nextText = JSON.stringify(next)
    if (nextText === text || closed) return false
    model = next
    text = nextText
    now = at
    version++
    snapshot = createSnapshot(model, { version, now, rootDir: source.rootDir })
    for (const listener of listeners) listener(version)
    return true
  }

  const refresh = async (): Promise<boolean> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      let changed = false
      do {
        again = false
        try {
          changed = (await rebuild()) || changed
        } catch (error) {
          options.onError?.(error)
        }
      } while (again && !closed)
      running = undefined
      return changed
    })()
    return running
  }

  let timer: NodeJS.Timeout | undefined
  const schedule = (): void => {
    if (closed) return
    clearTimeout(timer)
    timer = setTimeout(() => void refresh(), options.debounceMs ?? 100)
  }
  const watcher: Watcher = watchRoots(source.rootDir, options.roots, schedule)
  const tick = setInterval(() => {
    watcher.rearm()
    void refresh()
  }, options.refreshMs ?? 30_000)
  tick.unref()

  return {
    current: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    refresh,
    close() {
      closed = true
      clearTimeout(timer)
      clearInterval(tick)
      watcher.close()
      listeners.clear()
    },
  }
}
