// Change events for the artifact folders: fs.watch (recursive) on each folder that exists, the
// parent folder for a single file, and a once-a-second stat of the roots so a folder that appears
// (or is replaced) later gets watched too. A watcher that fails (no inotify slots left, say) is
// dropped and its root is polled instead: a change event every second, which the live model
// turns into a rebuild that bumps nothing when nothing changed.

import { type FSWatcher, statSync, watch } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'

export interface Watcher {
  /** Looks at the roots again (arms new ones). */
  rearm(): void
  close(): void
}

/** `dir:<inode>`, `file` or `none`: a folder deleted and made again is a new one to watch. */
type Kind = string

function kindOf(path: string): Kind {
  try {
    const info = statSync(path)
    return info.isDirectory() ? `dir:${info.ino}` : info.isFile() ? 'file' : 'none'
  } catch {
    return 'none'
  }
}

const inside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/'))
}

export function watchRoots(rootDir: string, roots: readonly string[], onChange: () => void, pollMs = 1000): Watcher {
  // Folders inside another root are covered by its recursive watch.
  const paths = [...new Set(roots.map((r) => join(rootDir, r)))].sort()
  const unique = paths.filter((p) => !paths.some((other) => other !== p && inside(p, other) && kindOf(other).startsWith('dir')))
  const armed = new Map<string, { kind: Kind; watcher?: FSWatcher; failed?: boolean }>()
  let closed = false

  const arm = (path: string, kind: Kind): { kind: Kind; watcher?: FSWatcher; failed?: boolean } => {
    if (kind === 'none') return { kind }
    try {
      const watcher =
        kind.startsWith('dir')
          ? watch(path, { recursive: true, persistent: false }, () => onChange())
          : watch(dirname(path), { persistent: false }, (_event, name) => {
              if (name === null || name.toString() === basename(path)) onChange()
            })
      const entry: { kind: Kind; watcher?: FSWatcher; failed?: boolean } = { kind, watcher }
      watcher.on('error', () => {
        watcher.close()
        entry.watcher = undefined
        entry.failed = true
      })
      return entry
    } catch {
      return { kind, failed: true }
    }
  }

  const check = (): void => {
    if (closed) return
    let changed = false
    for (const path of unique) {
      const kind = kindOf(path)
      const entry = armed.get(path)
      if (entry && entry.kind === kind) {
        if (entry.failed) changed = true
        continue
      }
      entry?.watcher?.close()
      armed.set(path, arm(path, kind))
      if (entry) changed = true
    }
    if (changed) onChange()
  }

  check()
  const timer = setInterval(check, pollMs)
  timer.unref()
  return {
    rearm: check,
    close() {
      closed = true
      clearInterval(timer)
      for (const entry of armed.values()) entry.watcher?.close()
      armed.clear()
    },
  }
}
