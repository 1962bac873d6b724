// The roadmap: products named under its Now / Next / Later headings, each in the most urgent lane
// that names it. A product is named by its id or by the id of one of its dossiers.

import { readFile } from 'node:fs/promises'
import { compareCodeUnits, resolveInside, toPosixRelative } from '@oraclekit/kernel'
import { artifactInvalid } from '../errors.js'
import type { Dossier, RoadmapEntry, RoadmapLane } from '../types.js'
import { type Context, errorCode, fencedLines, splitLines } from './markdown.js'

const LANES: ReadonlyArray<readonly [RoadmapLane, RegExp]> = [
  ['now', /\b(now|current|in progress|this sprint|active)\b/i],
  ['next', /\b(next|up next|soon|planned)\b/i],
  ['later', /\b(later|backlog|someday|future|icebox)\b/i],
]
const LANE_RANK: Readonly<Record<RoadmapLane, number>> = { now: 0, next: 1, later: 2 }

// Runs of id characters joined by dots: every product id and dossier id a line can name is one
// of their dot-joined stretches, so a line is looked up word by word, never product by product.
const WORD_RUN = /[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*/g
const MAX_ID_LENGTH = 200

/** One entry per product the roadmap names, in its most urgent lane, by product id; no file, no entries. */
export async function readRoadmap(ctx: Context, file: string, dossiers: ReadonlyMap<string, Dossier>): Promise<RoadmapEntry[]> {
  const absolute = resolveInside(ctx.rootDir, file)
  const path = toPosixRelative(ctx.rootDir, absolute)
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return []
    throw artifactInvalid(path, `cannot be read (${errorCode(error)})`)
  }
  const best = new Map<string, RoadmapEntry>()
  for (const entry of laneEntries(ctx, path, splitLines(text), dossiers)) {
    const kept = best.get(entry.product_id)
    if (!kept || LANE_RANK[entry.lane] < LANE_RANK[kept.lane]) best.set(entry.product_id, entry)
  }
  return [...best.values()].sort((a, b) => compareCodeUnits(a.product_id, b.product_id))
}

/** Every (line, product) pair under a lane heading, in file order. */
function laneEntries(ctx: Context, path: string, lines: readonly string[], dossiers: ReadonlyMap<string, Dossier>): RoadmapEntry[] {
  const fenced = fencedLines(lines)
  const entries: RoadmapEntry[] = []
  let lane: { name: RoadmapLane; level: number } | undefined
  for (const [i, raw] of lines.entries()) {
    let text = fenced[i] ? '' : raw.trim()
    const heading = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(text)
    if (heading) {
      text = heading[2] ?? ''
      const level = heading[1]?.length ?? 1
      const name = LANES.find(([, pattern]) => pattern.test(text))?.[0]
      if (name) lane = { name, level }
      // a sub-heading stays in its lane (and may name a product); a sibling heading ends it
      else if (lane && level <= lane.level) lane = undefined
      if (name || !lane) continue
    }
    if (!lane || text === '') continue
    for (const product_id of productsNamed(ctx, text, dossiers)) {
      entries.push({ product_id, lane: lane.name, text: withoutListMarker(text), source: `${path}:${i + 1}` })
    }
  }
  return entries
}

function productsNamed(ctx: Context, text: string, dossiers: ReadonlyMap<string, Dossier>): Set<string> {
  const found = new Set<string>()
  for (const [run] of text.matchAll(WORD_RUN)) {
    const words = run.split('.')
    for (let start = 0; start < words.length; start++) {
      let candidate = ''
      for (let end = start; end < words.length && candidate.length <= MAX_ID_LENGTH; end++) {
        candidate = end === start ? (words[end] ?? '') : `${candidate}.${words[end] ?? ''}`
        const product = ctx.products.has(candidate) ? candidate : dossiers.get(candidate)?.product_id
        if (product) found.add(product)
      }
    }
  }
  return found
}

function withoutListMarker(text: string): string {
  return text.replace(/^(?:[-*+]|\d+[.)])\s+/, '').replace(/^\[[ xX]\]\s+/, '')
}
