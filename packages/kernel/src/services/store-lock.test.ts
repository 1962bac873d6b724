// withFileLock across processes: children import the built package, as the CLI and workers do.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { readJsonFile, withFileLock } from './store.js'
import { rejection, useTempDir } from '../_test/helpers.js'

const dir = useTempDir('oraclekit-store-lock-')

const DIST = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'index.js')

async function waitForDist(): Promise<void> {
  // Another build (tsup cleans dist first) may be running; give it time before giving up.
  for (let waited = 0; !existsSync(DIST); waited += 250) {
    if (waited > 60_000) throw new Error(`${DIST} is missing: build the kernel first (cd packages/kernel && npx tsup)`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

interface Child {
  process: ChildProcessWithoutNullStreams
  /** Resolves when the child prints `line`. */
  printed(line: string): Promise<void>
  /** Resolves with the exit code; rejects with the child's stderr when it is not 0. */
  exited(): Promise<void>
}

function runChild(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, KERNEL_URL: pathToFileURL(DIST).href, ...env },
  })
  let stdout = ''
  let stderr = ''
  const waiters: Array<{ line: string; resolve: () => void }> = []
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const waiter of waiters) if (stdout.split('\n').includes(waiter.line)) waiter.resolve()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    process: child,
    printed: (line) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ line, resolve })
        if (stdout.split('\n').includes(line)) resolve()
        void exit.then((code) => reject(new Error(`child exited (${code}) before printing ${line}: ${stderr}`)))
      }),
    exited: async () => {
      const code = await exit
      if (code !== 0) throw new Error(`child exited with ${code}: ${stderr}`)
    },
  }
}

const COUNTER_CHILD = `
const { withFileLock, readJsonFile, writeJsonAtomic } = await import(process.env.KERNEL_URL)
const file = process.env.COUNTER_FILE
const cycle = async () => {
  const current = (await readJsonFile(file)) ?? { count: 0 }
  // A pause between read and write: without the lock, another process would slip in here.
  await new Promise((resolve) => setTimeout(resolve, 2))
  await writeJsonAtomic(file, { count: current.count + 1 })
}
console.log('ready')
await new Promise((resolve) => process.stdin.once('data', resolve))
for (let i = 0; i < Number(process.env.CYCLES); i++) {
  if (process.env.LOCKED === '1') await withFileLock(file, cycle, { retries: 1000 })
  else await cycle()
}
process.stdin.destroy()
`

const HOLDER_CHILD = `
const { withFileLock } = await import(process.env.KERNEL_URL)
await withFileLock(process.env.LOCK_FILE, async () => {
  console.log('locked')
  await new Promise((resolve) => process.stdin.once('end', resolve).resume())
})
`

describe('withFileLock across processes', () => {
  const PROCESSES = 4
  const CYCLES = 25

  beforeAll(waitForDist, 70_000)

  async function race(locked: boolean): Promise<number> {
    const file = join(dir(), 'shared', 'counter.json')
    const children = Array.from({ length: PROCESSES }, () => runChild(COUNTER_CHILD, { COUNTER_FILE: file, CYCLES: String(CYCLES), LOCKED: locked ? '1' : '0' }))
    try {
      // Everyone starts at once, so that the cycles really overlap.
      await Promise.all(children.map((child) => child.printed('ready')))
      for (const child of children) child.process.stdin.write('go\n')
      await Promise.all(children.map((child) => child.exited()))
    } finally {
      for (const child of children) child.process.kill('SIGKILL')
    }
    return ((await readJsonFile<{ count: number }>(file)) ?? { count: 0 }).count
  }

  it(`loses no update: ${PROCESSES} processes × ${CYCLES} locked read-increment-writes`, async () => {
    expect(await race(true)).toBe(PROCESSES * CYCLES)
    expect(existsSync(join(dir(), 'shared', 'counter.json.lock'))).toBe(false)
  }, 120_000)

  it('(control) the same workload without the lock does lose updates', async () => {
    expect(await race(false)).toBeLessThan(PROCESSES * CYCLES)
  }, 120_000)

  it('gives ORACLE_ARTIFACT_LOCKED while another process holds the lock past the retries, and the lock once it lets go', async () => {
    const file = join(dir(), 'held.json')
    const holder = runChild(HOLDER_CHILD, { LOCK_FILE: file })
    try {
      await holder.printed('locked')
      let ran = false
      const started = Date.now()
      const error = await rejection(
        withFileLock(
          file,
          async () => {
            ran = true
          },
          { retries: 3 },
        ),
      )
      expect(error).toMatchObject({ code: 'ORACLE_ARTIFACT_LOCKED', file })
      expect(error.message).toBe(`${file} is locked by another process`)
      expect(ran).toBe(false)
      // It did retry (25 ms, 50 ms, 100 ms at least, before randomisation) rather than fail at once.
      expect(Date.now() - started).toBeGreaterThanOrEqual(150)
      holder.process.stdin.end()
      await holder.exited()
      expect(existsSync(`${file}.lock`)).toBe(false)
      expect(await withFileLock(file, async () => 'free', { retries: 0 })).toBe('free')
    } finally {
      holder.process.kill('SIGKILL')
    }
  }, 60_000)
})
