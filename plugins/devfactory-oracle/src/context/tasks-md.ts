// A spec's tasks.md → its tasks. The rules (docs/decisions.md has the why):
//
// - A task is a GFM task-list item: `- [ ] 1.2 Title` (open) or `- [x] …` (complete), at any
//   indentation; an item indented under another is its subtask.
// - Its id is the numbered prefix (`1.2`, `3.`, `4)` → `1.2`, `3`, `4`), or else a slug of the title.
//   A second task with the same id in the file gets `-2`, `-3`… and a warning.
// - Its layer, the first that applies:
//   1. a marker in its own line: `[database]`, `[backend]`, `[frontend]` or `[testing]`;
//   2. a marker on the task it is nested under (nearest first);
//   3. the nearest heading above it that names a layer (`## Database`, `### Frontend tasks`);
//   4. a layer word in the title of its top-level task (its own title when it is one), the
//      earliest in the text: database|db|schema|migration, backend|api|server|endpoint,
//      frontend|ui|client|component|page, test|testing|qa|e2e;
//   5. `backend`.
// - `(depends on 1.1, 2.3)` (also `after:` / `needs:`) in the line names task ids it waits for.

import type { TaskInfo, TaskLayer } from '../types.js'
import { plain, scanMarkdown } from './markdown.js'

/** A parsed task with what the loader keeps beside TaskInfo. */
export interface ParsedTask extends TaskInfo {
  /** The id of the task it is nested under. */
  parent?: string
  /** Ids named in `(depends on …)`. */
  dependsOn: string[]
}

const LAYER_WORDS: Array<[TaskLayer, RegExp]> = [
  ['database', /\b(?:database|db|schemas?|migrations?)\b/i],
  ['backend', /\b(?:backend|back-end|api|server|endpoints?)\b/i],
  ['frontend', /\b(?:frontend|front-end|ui|client|components?|pages?)\b/i],
  ['testing', /\b(?:tests?|testing|qa|e2e)\b/i],
]
const MARKER = /\s*\[(database|backend|frontend|testing)\]\s*/i
const DEPENDS = /\s*\((?:depends on|after|needs):?\s*([^)]*)\)\s*/i
const NUMBER = /^(\d+(?:\.\d+)*)[.)]?\s+(.*)$/

/** The layer a heading or a title names (the earliest layer word in it), if any. */
export function layerOf(text: string): TaskLayer | undefined {
  let best: { layer: TaskLayer; at: number } | undefined
  for (const [layer, words] of LAYER_WORDS) {
    const at = words.exec(text)?.index
    if (at !== undefined && (best === undefined || at < best.at)) best = { layer, at }
  }
  return best?.layer
}

export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '')
}

interface Open {
  indent: number
  task: ParsedTask
  marker?: TaskLayer
  topTitle: string
}

/** Parses tasks.md; `warnings` name duplicate ids (with their lines). */
export function parseTasksMd(text: string, file: string): { tasks: ParsedTask[]; warnings: string[] } {
  const tasks: ParsedTask[] = []
  const warnings: string[] = []
  const seen = new Set<string>()
  const headingLayers: Array<{ level: number; layer?: TaskLayer }> = []
  let open: Open[] = []

  for (const entry of scanMarkdown(text)) {
    if (entry.kind === 'heading') {
      while ((headingLayers.at(-1)?.level ?? 0) >= entry.level) headingLayers.pop()
      const layer = layerOf(plain(entry.text))
      headingLayers.push({ level: entry.level, ...(layer ? { layer } : {}) })
      open = []
      continue
    }
    if (entry.kind !== 'checkbox') continue
    while (open.length > 0 && (open.at(-1)?.indent ?? 0) >= entry.indent) open.pop()

    let rest = plain(entry.text)
    const marker = MARKER.exec(rest)
    if (marker) rest = `${rest.slice(0, marker.index)} ${rest.slice(marker.index + marker[0].length)}`.trim()
    const depends = DEPENDS.exec(rest)
    if (depends) rest = `${rest.slice(0, depends.index)} ${rest.slice(depends.index + depends[0].length)}`.trim()
    const numbered = NUMBER.exec(rest)
    const title = (numbered ? numbered[2] : rest)?.trim() || rest
    const baseId = numbered?.[1] ?? (slugOf(title) || `task-${entry.line}`)
    let id = baseId
    for (let n = 2; seen.has(id); n++) id = `${baseId}-${n}`
    if (id !== baseId) warnings.push(`${file}:${entry.line}: task id "${baseId}" is used twice; this one is "${id}"`)
    seen.add(id)

    const own = marker?.[1]?.toLowerCase() as TaskLayer | undefined
    const parent = open.at(-1)
    const topTitle = open[0]?.topTitle ?? title
    const layer =
      own ??
      [...open].reverse().find((o) => o.marker)?.marker ??
      [...headingLayers].reverse().find((h) => h.layer)?.layer ??
      layerOf(topTitle) ??
      'backend'
    const task: ParsedTask = {
      id,
      title,
      layer,
      status: entry.checked ? 'complete' : 'pending',
      line: entry.line,
      ...(parent ? { parent: parent.task.id } : {}),
      dependsOn: depends?.[1] ? depends[1].split(/\s*(?:,|\band\b|\s)\s*/).filter((d) => d !== '') : [],
    }
    tasks.push(task)
    open.push({ indent: entry.indent, task, ...(own ? { marker: own } : {}), topTitle })
  }
  return { tasks, warnings }
}

/** TaskInfo without the loader's extra fields, for the context object. */
export function toTaskInfo(task: ParsedTask): TaskInfo {
  return { id: task.id, title: task.title, layer: task.layer, status: task.status, line: task.line, ...(task.assignedTo ? { assignedTo: task.assignedTo } : {}) }
}
