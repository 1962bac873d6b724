// Properties over many runs built from the real answers: no duplicate ids ever, the same inputs
// give the same artifacts, and changing one answer changes only the tasks that come from it.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type TempWorkspace, createTempWorkspace } from '@oraclekit/kernel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionizeRun } from './actionize.js'
import { EXAMPLE_ANSWERS, type StepOverride, TICKETS, runFiles } from './_test/run-fixture.js'
import { actionKey } from './tasks.js'
import type { ActionTask } from './types.js'

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SOURCES = [TICKETS, EXAMPLE_ANSWERS]
const ANSWERS = SOURCES.flatMap((dir) => readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')))

/** Random damage: failed steps, empty answers, and answers swapped in from other runs. */
function overrides(rand: () => number): Record<string, StepOverride> {
  const out: Record<string, StepOverride> = {}
  for (let i = 1; i <= 20; i++) {
    const id = String(i).padStart(2, '0')
    const roll = rand()
    if (roll < 0.1) out[id] = { status: 'failed' }
    else if (roll < 0.15) out[id] = { answer: '' }
    else if (roll < 0.4) out[id] = { answer: ANSWERS[Math.floor(rand() * ANSWERS.length)] as string }
  }
  return out
}

let ws: TempWorkspace
beforeAll(async () => {
  ws = await createTempWorkspace({ prefix: 'actionizer-props-' })
})
afterAll(() => ws.cleanup())

async function actionizeWith(name: string, over: Record<string, StepOverride>, source = TICKETS): Promise<{ tasks: ActionTask[]; files: Record<string, string> }> {
  for (const [file, text] of Object.entries(runFiles(source, over))) await ws.write(`${name}/${file}`, text)
  const result = await actionizeRun(`${name}/run`, ws.dir, ws.dir)
  return { tasks: result.tasks, files: result.files }
}

describe.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i', (seed) => {
  it('ids are unique and well-formed; a second run is identical', async () => {
    const over = overrides(random(seed))
    const first = await actionizeWith(`s${seed}a`, over)
    const ids = first.tasks.map((t) => t.task_id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^OP3-[0-9a-f]{8}-\d{2}-\d{2}$/)
    const second = await actionizeWith(`s${seed}b`, over)
    expect(second.files).toEqual(first.files)
  })

  it('changing one answer changes only the tasks of its step (and conflicts it takes part in)', async () => {
    const rand = random(seed * 7919)
    const over = overrides(rand)
    const before = await actionizeWith(`s${seed}c`, over)
    const step = String(1 + Math.floor(rand() * 20)).padStart(2, '0')
    const after = await actionizeWith(`s${seed}d`, { ...over, [step]: { answer: `### Direct answer\n- Replace \`src/x${seed}.ts\` with a table-driven parser.\n` } })
    // Conflicts, duplicates merged into one task, and "also raised by" notes come from two
    // answers at once: they may change with either.
    const shared = new Set([...before.tasks, ...after.tasks].filter((t) => t.step_id === step).map(actionKey))
    const view = (tasks: ActionTask[]) =>
      tasks
        .filter((t) => t.step_id !== step && t.status !== 'conflict' && !shared.has(actionKey(t)))
        .map((t) => JSON.stringify({ ...t, notes: t.notes.filter((n) => !n.startsWith('Also raised by')) }))
    expect(view(after.tasks)).toEqual(view(before.tasks))
  })
})
