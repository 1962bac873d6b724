// The product documents and the SRD, read into the shapes of types.ts. Each reader is a plain
// function of the text, so the loader's caching and these rules can be tested apart.

import type { RoadmapEntry, TechStackInfo } from '../types.js'
import { clip } from '../text.js'
import { plain, scanMarkdown, splitSections } from './markdown.js'

/**
 * roadmap.md: each level-1 or level-2 heading starts a phase (Agent OS writes `## Phase 1: …`,
 * with `###` sub-headings inside a phase); its items are the checkboxes under it. Checkboxes
 * before any heading go to a phase named "Roadmap". Phases without items are left out.
 */
export function parseRoadmap(text: string): RoadmapEntry[] {
  const phases: RoadmapEntry[] = []
  let current: RoadmapEntry = { phase: 'Roadmap', items: [] }
  for (const entry of scanMarkdown(text)) {
    if (entry.kind === 'heading' && entry.level <= 2) {
      if (current.items.length > 0) phases.push(current)
      current = { phase: plain(entry.text), items: [] }
    } else if (entry.kind === 'checkbox') {
      // Agent OS ends an item with its size, e.g. `S` or `XL`; it is no part of the title.
      current.items.push({ title: plain(entry.text.replace(/\s+`(?:XS|S|M|L|XL)`\s*$/, '')), done: entry.checked })
    }
  }
  if (current.items.length > 0) phases.push(current)
  return phases
}

/** tech-stack.md: the `- Key: value` bullets (bold markers ignored), in order, and the text as written. */
export function parseTechStack(text: string): TechStackInfo {
  const entries: TechStackInfo['entries'] = []
  for (const entry of scanMarkdown(text)) {
    if (entry.kind !== 'bullet') continue
    const match = /^([^:]{1,60}?)\s*:\s+(.+)$/.exec(plain(entry.text))
    if (match?.[1] && match[2]) entries.push({ key: match[1].trim(), value: match[2].trim() })
  }
  return { raw: text, entries }
}

/** The bullets of the SRD's section(s) whose heading says "dependencies" or "depends on". */
export function specDependencies(srd: string): string[] {
  const out: string[] = []
  for (const section of splitSections(srd)) {
    if (!/\b(?:dependencies|depends on)\b/i.test(section.heading)) continue
    for (const entry of scanMarkdown(section.text)) if (entry.kind === 'bullet' || entry.kind === 'checkbox') out.push(plain(entry.text))
  }
  return out
}

/** How much of the SRD a task's requirements may take when no section names the task. */
export const WHOLE_SRD_MAX_CHARS = 6000

/**
 * The SRD text for a task: the sections (heading to next heading) that name the task's title, or
 * say "task <id>", or name its parent task's title; else the whole SRD, clipped.
 */
export function requirementsFor(srd: string, task: { id: string; title: string }, parentTitle?: string): string {
  const sections = splitSections(srd).filter((s) => s.level > 0)
  const wanted = [task.title, parentTitle].filter((t): t is string => t !== undefined && t.length >= 4).map((t) => t.toLowerCase())
  // "task 2" must not match "task 2.4": the id ends where no word character or ".<char>" follows.
  const idPattern = new RegExp(`\\btask\\s+${task.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\.?\\w)`, 'i')
  const matching = sections.filter((s) => {
    const text = s.text.toLowerCase()
    return idPattern.test(s.text) || wanted.some((t) => text.includes(t))
  })
  if (matching.length > 0) return matching.map((s) => s.text).join('\n\n')
  return clip(srd.trim(), WHOLE_SRD_MAX_CHARS)
}

/**
 * mission-lite.md stands in for the mission in prompts; without one, the mission's opening
 * paragraphs up to about 800 characters stand in for it.
 */
export function missionLiteOf(missionLite: string | undefined, mission: string): string {
  if (missionLite !== undefined && missionLite.trim() !== '') return missionLite.trim()
  const paragraphs = mission.trim().split(/\n\s*\n/)
  let out = ''
  for (const paragraph of paragraphs) {
    if (out !== '' && out.length + paragraph.length > 800) break
    out = out === '' ? paragraph : `${out}\n\n${paragraph}`
  }
  return clip(out, 800)
}
