// The agent handoff for a code_change task: everything the agent needs to act without asking
// back (seed 4, "Interaction Model"), with an index of the hinted files built before any search,
// so the agent starts from symbols rather than from grep. Deterministic: same tree, same text.

import { mkdir, readFile, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { writeFileAtomic } from '@oraclekit/kernel/intent'
import type { Check, TaskSpec } from '../types.js'
import { expandPaths, insideWorkspace, isGlob, normalizePath } from './glob.js'

/** Files indexed at most, over all path hints. */
export const INDEX_MAX_FILES = 50
/** Symbols listed at most per file. */
export const INDEX_MAX_SYMBOLS = 30
/** Files larger than this are listed with their size only. */
const INDEX_MAX_BYTES = 1024 * 1024

export interface HandoffInput {
  rootDir: string
  task: TaskSpec
  runId: string
  /** The plan file the task comes from, workspace-relative. */
  file: string
}

/** A declared symbol: its kind as written (`function`, `class`, `def`, `fn`…) and its name. */
export interface IndexSymbol {
  kind: string
  name: string
}

// One light pattern per language family; group 1 is the kind, group 2 the name.
const SYMBOL_PATTERNS: Array<{ extensions: string[]; patterns: RegExp[] }> = [
  {
    extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
    patterns: [/^export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(function|class|const|let|interface|type|enum)\*?\s+([A-Za-z_$][\w$]*)/gm],
  },
  { extensions: ['.py'], patterns: [/^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/gm] },
  { extensions: ['.go'], patterns: [/^(func)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/gm, /^(type)\s+([A-Za-z_]\w*)/gm] },
  { extensions: ['.rs'], patterns: [/^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?(fn|struct|enum|trait)\s+([A-Za-z_]\w*)/gm] },
]

/** The symbols a file declares, by a light regex for its language; sorted, unique, bounded. */
export function extractSymbols(path: string, text: string, limit = INDEX_MAX_SYMBOLS): { symbols: IndexSymbol[]; more: number } {
  const family = SYMBOL_PATTERNS.find((entry) => entry.extensions.includes(extname(path)))
  if (!family) return { symbols: [], more: 0 }
  const seen = new Map<string, IndexSymbol>()
  for (const pattern of family.patterns) {
    for (const match of text.matchAll(pattern)) {
      const symbol = { kind: match[1] as string, name: match[2] as string }
      seen.set(`${symbol.name}\0${symbol.kind}`, symbol)
    }
  }
  const sorted = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, symbol]) => symbol)
  return { symbols: sorted.slice(0, limit), more: Math.max(0, sorted.length - limit) }
}

function checkLine(check: Check): string {
  return check.kind === 'manual' ? `- ${check.text} _(manual: not checked automatically)_` : `- ${check.text}`
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms} ms`
}

async function indexSection(rootDir: string, hints: string[]): Promise<string[]> {
  if (hints.length === 0) return ['_No path hints: start from the description._']
  const files = await expandPaths(rootDir, hints, INDEX_MAX_FILES + 1)
  const lines: string[] = []
  for (const file of files.slice(0, INDEX_MAX_FILES)) {
    const info = await stat(join(rootDir, file))
    lines.push(`### ${file} (${info.size} bytes)`)
    if (info.size > INDEX_MAX_BYTES) continue
    const { symbols, more } = extractSymbols(file, await readFile(join(rootDir, file), 'utf8'))
    for (const symbol of symbols) lines.push(`- \`${symbol.kind} ${symbol.name}\``)
    if (more > 0) lines.push(`- … and ${more} more`)
  }
  if (files.length > INDEX_MAX_FILES) lines.push(`_Index stops at ${INDEX_MAX_FILES} files._`)
  // hints that name nothing yet are files to create
  const missing: string[] = []
  for (const hint of [...hints].sort()) {
    const path = insideWorkspace(rootDir, normalizePath(hint))
    if (path === undefined) missing.push(`- ${hint} _(outside the workspace: not indexed)_`)
    else if (!isGlob(path) && !(await stat(join(rootDir, path)).catch(() => undefined))) missing.push(`- ${hint} _(does not exist yet)_`)
  }
  return lines.length === 0 && missing.length === 0 ? ['_The hinted paths hold no files._'] : [...lines, ...(missing.length > 0 ? ['', '### Not indexed', ...missing] : [])]
}

/** The handoff's Markdown. */
export async function renderHandoff({ rootDir, task, runId, file }: HandoffInput): Promise<string> {
  const lines = [
    `# Handoff: ${task.id} — ${task.title}`,
    '',
    `Run \`${runId}\` · plan \`${file}\` (${task.source}) · type \`${task.type}\``,
    '',
    '## Task',
    '',
    task.description.trim() || '_No description._',
    '',
    '## Where to work',
    '',
    ...(task.paths.length > 0 ? task.paths.map((path) => `- \`${path}\``) : ['_No path hints._']),
    '',
    '## Constraints',
    '',
    `- Forbidden paths: ${task.forbiddenPaths.length > 0 ? task.forbiddenPaths.map((path) => `\`${path}\``).join(', ') : 'none'}`,
    `- Timebox: ${task.timeboxMs > 0 ? `${formatMs(task.timeboxMs)} for the whole task, commands and checks included` : 'none'}`,
    '',
    '## Acceptance',
    '',
    ...(task.checks.length > 0 ? task.checks.map(checkLine) : ['_No task-level checks._']),
  ]
  for (const shard of task.shards) {
    lines.push('', `### Shard ${shard.id} — ${shard.title}`, '', ...(shard.checks.length > 0 ? shard.checks.map(checkLine) : ['_No checks._']))
  }
  lines.push('', '## Build and test', '', ...(task.commands.length > 0 ? task.commands.map((command) => `- ${command.name}: \`${command.argv.join(' ')}\``) : ['_No commands._']))
  lines.push('', '## Index (built index-first)', '', 'Files under the path hints, with the symbols they declare. Read these before searching.', '', ...(await indexSection(rootDir, task.paths)))
  return `${lines.join('\n')}\n`
}

/** Writes `.codex/handoff/<task_id>.md`; returns that workspace-relative path. */
export async function writeHandoff(input: HandoffInput): Promise<string> {
  const path = `.codex/handoff/${input.task.id.replace(/[^\w.-]/g, '_')}.md`
  const target = join(input.rootDir, path)
  await mkdir(dirname(target), { recursive: true })
  await writeFileAtomic(target, await renderHandoff(input))
  return path
}
