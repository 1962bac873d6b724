import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../_test/intent-workspace.js'
import { findJobProcesses, isAlive, killJobProcesses } from './kill-tree.js'
import { MARKER_ENV } from './protocol.js'

// These tests read /proc, as the runner does on Linux.
const linux = process.platform === 'linux'

let dir: string
const started = new Set<number>()

/** Starts `sh -c script` the way ctx.exec does: detached (its own process group), with the job's marker. */
function spawnJob(script: string, marker: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', env: { ...process.env, ...env, [MARKER_ENV]: marker } })
  if (child.pid === undefined) throw new Error('spawn failed')
  started.add(child.pid)
  return child
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    if (pid > 0) started.add(pid)
    return pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kill-tree-'))
})
afterEach(() => {
  // Whatever a failed test left behind.
  for (const pid of started) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL')
      } catch {
        // gone
      }
    }
  }
  started.clear()
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe.runIf(linux)('findJobProcesses', () => {
  it('finds the reported process and all its children, and nothing for an unknown marker', async () => {
    const marker = randomUUID()
    const root = spawnJob('sleep 300 & sleep 300 & wait', marker).pid as number
    const found = await waitFor('two children', () => {
      const pids = findJobProcesses([root])
      return pids.length === 3 && pids
    })
    expect(found).toContain(root)
    const children = found.filter((pid) => pid !== root)
    for (const pid of children) expect(parentOf(pid)).toBe(root)
    // Every process of the job carries the marker, so the marker alone finds them too.
    expect(findJobProcesses([], marker)).toEqual(found)
    expect(findJobProcesses([], randomUUID())).toEqual([])
    expect(findJobProcesses([root], randomUUID())).toEqual(found)
  })

  it('finds a re-parented grandchild in its own session by its marker only', async () => {
    const marker = randomUUID()
    const grandchildFile = join(dir, `grandchild-${marker}`)
    // The subshell starts the grandchild in a new session and exits: the grandchild is re-parented
    // and no longer in the job's process group.
    const root = spawnJob('(setsid sleep 300 & echo $! > "$OUT"); sleep 300 & wait', marker, { OUT: grandchildFile }).pid as number
    const grandchild = await waitFor('the grandchild pid', () => readPid(grandchildFile))
    await waitFor('the re-parenting', () => isAlive(grandchild) && parentOf(grandchild) !== root && findJobProcesses([root]).length === 2)
    expect(findJobProcesses([root])).not.toContain(grandchild)
    const all = findJobProcesses([root], marker)
    expect(all).toContain(root)
    expect(all).toContain(grandchild)
    expect(all).toHaveLength(3)
  })

  it('never lists the current process, and drops dead pids', async () => {
    const child = spawnJob('exit 0', randomUUID())
    await new Promise((done) => child.once('exit', done))
    expect(findJobProcesses([process.pid, child.pid as number])).toEqual([])
  })
})

describe.runIf(linux)('killJobProcesses', () => {
  it('stops a whole tree, including a re-parented grandchild, without waiting out the grace', async () => {
    const marker = randomUUID()
    const grandchildFile = join(dir, `grandchild-${marker}`)
    const root = spawnJob('(setsid sleep 300 & echo $! > "$OUT"); sleep 300 & sleep 300 & wait', marker, { OUT: grandchildFile }).pid as number
    const grandchild = await waitFor('the grandchild pid', () => readPid(grandchildFile))
    const tree = await waitFor('the tree', () => {
      const pids = findJobProcesses([root], marker)
      return pids.length === 4 && pids
    })
    expect(tree).toContain(grandchild)

    const begun = Date.now()
    const signalled = await killJobProcesses([root], marker, 10_000)
    expect(Date.now() - begun).toBeLessThan(5_000) // SIGTERM was enough: no need to wait 10 s
    expect(signalled).toEqual(tree)
    for (const pid of tree) expect(isAlive(pid), `pid ${pid}`).toBe(false)
    expect(findJobProcesses([root], marker)).toEqual([])
  })

  it('SIGKILLs processes that ignore SIGTERM once the grace is over', async () => {
    const marker = randomUUID()
    // `; :` keeps the shell from exec-ing sleep, so there are two processes ignoring TERM.
    const root = spawnJob('trap "" TERM; sleep 300; :', marker).pid as number
    const tree = await waitFor('the sleep child', () => {
      const pids = findJobProcesses([root])
      return pids.length === 2 && pids
    })
    const graceMs = 300
    const begun = Date.now()
    const signalled = await killJobProcesses([root], marker, graceMs)
    const elapsed = Date.now() - begun
    expect(elapsed).toBeGreaterThanOrEqual(graceMs - 20)
    expect(elapsed).toBeLessThan(graceMs + 3_000)
    expect(signalled).toEqual(tree)
    for (const pid of tree) expect(isAlive(pid), `pid ${pid}`).toBe(false)
  })

  it('finds the processes by marker alone when no pid was reported', async () => {
    const marker = randomUUID()
    const root = spawnJob('sleep 300 & wait', marker).pid as number
    const tree = await waitFor('the tree', () => {
      const pids = findJobProcesses([root])
      return pids.length === 2 && pids
    })
    expect(await killJobProcesses([], marker, 1_000)).toEqual(tree)
    for (const pid of tree) expect(isAlive(pid)).toBe(false)
  })

  it('returns at once when there is nothing to stop', async () => {
    const begun = Date.now()
    expect(await killJobProcesses([], randomUUID(), 10_000)).toEqual([])
    expect(await killJobProcesses([], undefined, 10_000)).toEqual([])
    expect(Date.now() - begun).toBeLessThan(2_000)
  })
})

describe('isAlive', () => {
  it('is true for a running process and false for one that is gone', async () => {
    expect(isAlive(process.pid)).toBe(true)
    const child = spawnJob('exit 0', randomUUID())
    await new Promise((done) => child.once('exit', done))
    expect(isAlive(child.pid as number)).toBe(false)
  })

  it.runIf(linux)('treats a zombie (dead, not yet reaped) as dead', async () => {
    const zombieFile = join(dir, `zombie-${randomUUID()}`)
    // The shell starts a short-lived child, then becomes a `sleep` that never reaps it.
    spawnJob('sleep 0 & echo $! > "$OUT"; exec sleep 300', randomUUID(), { OUT: zombieFile })
    const zombie = await waitFor('the zombie pid', () => readPid(zombieFile))
    await waitFor('the zombie state', () => readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z '))
    expect(() => process.kill(zombie, 0)).not.toThrow()
    expect(isAlive(zombie)).toBe(false)
  })
})
