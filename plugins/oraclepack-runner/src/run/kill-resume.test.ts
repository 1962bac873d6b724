// A run killed with SIGKILL at any instant resumes to the same result: no completed step runs
// again, and the manifest is never torn (it is always the previous or the next whole version).
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { type PackWorkspace, answersOf, engineCalls, packWorkspace, readJson, runDirOf } from '../_test/harness.js'

let ws: PackWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

function okSteps(runDir: string): string[] {
  // Parsing must succeed at every instant: a torn file would throw here.
  const steps = readJson(join(runDir, 'steps.json')).steps as Array<{ step_id: string; status: string }>
  return steps.filter((s) => s.status === 'ok').map((s) => s.step_id)
}

describe('pack run killed with SIGKILL', () => {
  it.each([
    { after: 1, label: 'after the first answer' },
    { after: 4, label: 'mid-way' },
    { after: 7, label: 'near the end' },
  ])('resumes without re-running a completed step when killed $label', async ({ after }) => {
    // A clean run of the same pack, for the expected answers.
    const clean = await packWorkspace({ steps: 8 })
    expect((await clean.oracle(['pack', 'run', 'pack.md', '--no-cache'])).code).toBe(0)
    const expected = answersOf(runDirOf(clean))
    await clean.cleanup()

    // The last step is slow, so that "near the end" is never "after the end" on a busy machine.
    ws = await packWorkspace({ steps: 8, latencyMs: 150, script: { '08': ['slow'] } })
    const child = ws.start(['pack', 'run', 'pack.md', '--max-parallel', '2'])
    const exited = new Promise((resolve) => child.on('exit', resolve))
    let done: string[] = []
    for (let i = 0; i < 400; i++) {
      await sleep(10)
      try {
        done = okSteps(runDirOf(ws))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || /expected one run/.test((error as Error).message)) continue
        throw error
      }
      if (done.length >= after) break
    }
    child.kill('SIGKILL')
    await exited
    const runDir = runDirOf(ws)
    const killedAt = okSteps(runDir)
    expect(killedAt.length).toBeGreaterThanOrEqual(after)
    expect(killedAt.length).toBeLessThan(8)
    // Let the engine processes the killed run left behind finish: they are not ours to wait for.
    await sleep(400)
    const before = engineCalls(ws.calls).length

    const resumed = await ws.oracle(['pack', 'run', 'pack.md', '--max-parallel', '2', '--no-cache', '--json'])
    expect(resumed.code).toBe(0)
    const rerunSteps = engineCalls(ws.calls)
      .slice(before)
      .map((c) => c.step)
    for (const step of killedAt) expect(rerunSteps).not.toContain(step)
    expect(new Set(rerunSteps).size).toBe(8 - killedAt.length)
    expect(okSteps(runDir)).toHaveLength(8)
    expect(answersOf(runDir)).toEqual(expected)
    expect(readJson(join(runDir, 'run.json'))).toMatchObject({ status: 'ok', sessions: 2 })
  })
})
