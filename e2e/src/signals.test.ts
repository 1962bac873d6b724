// SIGINT stops a run with its state saved; the run then resumes to completion.
import { readFileSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { WORK_FILES } from './fixtures.js'
import { type TempDir, makeTempDir, runOracle, startOracle } from './helpers.js'

let ws: TempDir | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

async function workspaceWith(files: Record<string, string>): Promise<TempDir> {
  const dir = await makeTempDir({ linkNodeModules: true })
  for (const [file, text] of Object.entries(files)) await dir.write(file, text)
  return dir
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(25)
  }
}

const lines = async (dir: TempDir, file: string): Promise<string[]> =>
  (await readFile(dir.path(file), 'utf8').catch(() => '')).split('\n').filter(Boolean)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A zombie is dead, only not reaped yet.
  return !/\) Z /.test(procStat(pid))
}
function procStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return ''
  }
}

describe('SIGINT', () => {
  it('stops the run (exit 4), saves its state, leaves no process behind, and the run resumes', async () => {
    ws = await workspaceWith(WORK_FILES)
    const run = startOracle(['work', '--jobs', '10', '--ms', '300', '--run-id', 'r1'], { cwd: ws.dir })
    await waitFor(async () => (await lines(ws!, 'executions.log')).length >= 4)
    run.kill('SIGINT')
    const result = await run
    expect(result.exitCode).toBe(4)
    expect(String(result.stderr)).toContain('SIGINT: stopping')

    const state = JSON.parse(await ws.read('.oracle/runs/r1/run.json')) as { status: string; stopReason: { kind: string }; counts: Record<string, number>; jobs: Array<{ id: string; status: string }> }
    expect(state.status).toBe('stopped')
    expect(state.stopReason.kind).toBe('user_abort')
    expect(state.jobs).toHaveLength(10)
    expect(state.counts.skipped).toBeGreaterThan(0)
    const finished = state.jobs.filter((j) => j.status === 'ok' || j.status === 'failed').map((j) => j.id)
    expect(finished.length).toBeGreaterThan(0)
    const journal = (await lines(ws, '.oracle/runs/r1/journal.jsonl')).map((l) => JSON.parse(l).result.id as string)
    expect(journal).toEqual(expect.arrayContaining(finished))

    const before = await lines(ws, 'executions.log')
    const resumed = await runOracle(['work', '--jobs', '10', '--ms', '300', '--run-id', 'r1', '--resume', '--json'], { cwd: ws.dir })
    const final = JSON.parse(resumed.stdout) as { status: string; jobs: Array<{ id: string; status: string; resumed?: boolean }> }
    // Job 3 and 8 fail by design, so the completed run reports failure (exit 1).
    expect(resumed.exitCode).toBe(1)
    expect(final.status).toBe('failed')
    expect(final.jobs.filter((j) => j.status === 'ok')).toHaveLength(8)
    expect(final.jobs.filter((j) => j.resumed).map((j) => j.id).sort()).toEqual([...finished].sort())
    // Jobs that finished before the interrupt were not run again.
    const after = (await lines(ws, 'executions.log')).slice(before.length)
    for (const id of finished) expect(after).not.toContain(id)
  })

  it('stops jobs waiting on child processes and kills those processes', async () => {
    ws = await workspaceWith(WORK_FILES)
    const run = startOracle(['work', '--jobs', '4', '--spawn', '--run-id', 'r2'], { cwd: ws.dir })
    await waitFor(async () => (await readdir(ws!.dir)).filter((f) => f.startsWith('pid-')).length >= 2)
    const pids = await Promise.all((await readdir(ws.dir)).filter((f) => f.startsWith('pid-')).map(async (f) => Number((await ws!.read(f)).trim())))
    expect(pids.every(alive)).toBe(true)
    run.kill('SIGINT')
    const result = await run
    expect(result.exitCode).toBe(4)
    for (const pid of pids) expect(alive(pid)).toBe(false)
    const state = JSON.parse(await ws.read('.oracle/runs/r2/run.json')) as { jobs: Array<{ status: string }> }
    expect(state.jobs.filter((j) => j.status === 'stopped').length).toBeGreaterThanOrEqual(2)
  })
})
