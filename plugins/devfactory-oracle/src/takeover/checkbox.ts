// Ticks a task's checkbox in tasks.md after a successful takeover: `- [ ]` → `- [x]` on one
// line, every other byte unchanged. The agent may have edited tasks.md (added lines above), so
// the line the context loader saw is checked against the task before it is trusted.

export type CheckboxOutcome = 'ticked' | 'already_ticked' | 'not_found'

export interface TickResult {
  outcome: CheckboxOutcome
  text: string
  /** 1-based line that was (or already is) ticked. */
  line?: number
}

const UNCHECKED = /^(\s*[-*+]\s+\[) \]/
const CHECKED = /^\s*[-*+]\s+\[[xX]\]/

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * True when a line names the task: its id as a whole token (`1.2` is in "1.2 Add" and "1.2. Add",
 * not in "1.2.1" or "1.20"), or its title.
 */
function mentions(line: string, taskId: string, title: string | undefined): boolean {
  const id = new RegExp(`(^|[^A-Za-z0-9_.-])${escapeRegExp(taskId)}(?=$|[^A-Za-z0-9_.-]|\\.(?![A-Za-z0-9]))`)
  return id.test(line) || (title !== undefined && title.trim().length >= 3 && line.includes(title.trim()))
}

/**
 * Order of trust: the given line when it is an unchecked box naming the task; else the one
 * unchecked box in the file naming it; else the given line when it is an unchecked box and no
 * other line names the task (ids may not appear in the text at all). Anything else: not found.
 */
export function tickCheckbox(text: string, line: number | undefined, taskId: string, title?: string): TickResult {
  const lines = text.split('\n')
  const at = line !== undefined && line >= 1 && line <= lines.length ? line - 1 : undefined
  const atLine = at === undefined ? undefined : (lines[at] as string)
  const tick = (index: number): TickResult => {
    const copy = [...lines]
    copy[index] = (copy[index] as string).replace(UNCHECKED, '$1x]')
    return { outcome: 'ticked', text: copy.join('\n'), line: index + 1 }
  }
  if (at !== undefined && atLine !== undefined && UNCHECKED.test(atLine) && mentions(atLine, taskId, title)) return tick(at)
  const named = lines.flatMap((l, i) => (mentions(l, taskId, title) && (UNCHECKED.test(l) || CHECKED.test(l)) ? [i] : []))
  const open = named.filter((i) => UNCHECKED.test(lines[i] as string))
  if (open.length === 1) return tick(open[0] as number)
  if (open.length === 0 && named.length === 1) return { outcome: 'already_ticked', text, line: (named[0] as number) + 1 }
  if (named.length === 0 && at !== undefined && atLine !== undefined) {
    if (UNCHECKED.test(atLine)) return tick(at)
    if (CHECKED.test(atLine)) return { outcome: 'already_ticked', text, line: at + 1 }
  }
  return { outcome: 'not_found', text }
}
