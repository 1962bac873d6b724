// "A run killed at any instant resumes to the same result": SIGKILL the CLI at random moments of
// a run, resume until it completes, and compare with a run that was never interrupted.
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WORK_FILES } from './fixtures.js'
import { type TempDir, makeTempDir, runOracle, startOracle } from './helpers.js'

interface JobOutcome {
  id: string
  status: string
  failureKind?: string
  output?: unknown
}

const ARGS = ['work', '--jobs', '12', '--ms', '60']

let ws: TempDir
let reference: JobOutcome[]

const outcome = (stdout: string): { status: string; jobs: JobOutcome[] } => {
  const run = JSON.parse(stdout) as { status: string; jobs: JobOutcome[] }
  return { status: run.status, jobs: run.jobs.map(({ id, status, failureKind, output }) => ({ id, status, failureKind, output })) }
}

beforeAll(async () => {
  ws = await makeTempDir({ linkNodeModules: true })
  for (const [file, text] of Object.entries(WORK_FILES)) await ws.write(file, text)
  const result = await runOracle([...ARGS, '--run-id', 'reference', '--json'], { cwd: ws.dir })
  reference = outcome(result.stdout).jobs
  expect(reference).toHaveLength(12)
})
afterAll(() => ws.cleanup())

describe('SIGKILL at any instant', () => {
  // Seeded so a failure can be reproduced: the kill delays are the same on every run.
  let seed = 20261121
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const delays = Array.from({ length: 8 }, () => Math.round(150 + random() * 600))
  const journaled: number[] = []

  it.each(delays.map((delay, i) => ({ i, delay })))('kill after $delay ms (case $i) resumes to the reference result', async ({ i, delay }) => {
    const runId = `killed-${i}`
    const child = startOracle([...ARGS, '--run-id', runId], { cwd: ws.dir })
    await sleep(delay)
    child.kill('SIGKILL')
    await child
    const journal = await ws.read(`.oracle/runs/${runId}/journal.jsonl`).catch(() => '')
    journaled.push(journal.split('\n').filter(Boolean).length)

    // Resume, killing again on the first attempt, until a resume completes.
    let final: { status: string; jobs: JobOutcome[] } | undefined
    for (let attempt = 0; attempt < 5 && !final; attempt++) {
      if (attempt === 0) {
        const again = startOracle([...ARGS, '--run-id', runId, '--resume'], { cwd: ws.dir })
        await sleep(Math.round(delay / 2))
        again.kill('SIGKILL')
        await again
        continue
      }
      const resumed = await runOracle([...ARGS, '--run-id', runId, '--resume', '--json'], { cwd: ws.dir })
      if (resumed.stdout.trim().startsWith('{')) final = outcome(resumed.stdout)
    }
    expect(final?.jobs).toEqual(reference)
    expect(final?.status).toBe('failed')
  })

  it('landed mid-run: some kills left a partial journal', () => {
    expect(journaled).toHaveLength(delays.length)
    expect(journaled.some((n) => n > 0 && n < 12)).toBe(true)
  })
})
