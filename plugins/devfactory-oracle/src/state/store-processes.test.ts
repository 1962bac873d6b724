// Two real processes doing read-modify-write increments through the store on one state file: no
// update may be lost. The store's own source is bundled with esbuild (as tsup would) so the
// children run this code, not a copy of it; @oraclekit/kernel stays the built package.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStateStore } from './store.js'

const work = mkdtempSync(join(tmpdir(), 'devfactory-lock-'))
const bundle = join(work, 'store.mjs')
const childScript = join(work, 'child.mjs')

// Each child: wait for "go", then N increments of tasks.counter.count, each with a pause between
// the read and the write (where, without the lock, the other process would slip in). A lock that
// stays taken through the store's 5 attempts is the caller's to retry; the child counts those.
const CHILD = `
const { createStateStore } = await import(process.env.STORE_URL)
const store = createStateStore(process.env.ROOT)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
console.log('ready')
await new Promise((resolve) => process.stdin.once('data', resolve))
const start = Date.now()
let locked = 0
for (let i = 0; i < Number(process.env.N); i++) {
  for (;;) {
    try {
      await store.update(async (state) => {
        const counter = state.tasks.counter ?? { id: 'counter', status: 'in_progress', count: 0, log: [] }
        const next = counter.count + 1
        await sleep(3)
        counter.count = next
        counter.log.push(process.env.TAG)
        state.tasks.counter = counter
      })
      break
    } catch (error) {
      if (error?.code !== 'ORACLE_DEVFACTORY_STATE_LOCKED') throw error
      locked++
    }
  }
  // A pause between updates, as a real worker has: without one the lock (which is not fair)
  // would let one process take all its turns before the other gets in.
  await sleep(5 + Math.floor(Math.random() * 15))
}
console.log(JSON.stringify({ locked, start, end: Date.now() }))
process.stdin.destroy()
`

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./store.ts', import.meta.url))],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        // The kernel stays external, imported by absolute URL: the bundle sits in a temp folder
        // where no node_modules would resolve the package name.
        name: 'kernel-by-url',
        setup(builder) {
          builder.onResolve({ filter: /^@oraclekit\/kernel$/ }, async (args) => {
            // build.resolve runs this hook again; the marked inner call takes the normal path.
            if (args.pluginData === 'kernel') return undefined
            const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'kernel' })
            return { path: pathToFileURL(resolved.path).href, external: true }
          })
        },
      },
    ],
  })
  await writeFile(childScript, CHILD)
}, 60_000)

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

interface Child {
  process: ChildProcessWithoutNullStreams
  ready: Promise<void>
  /** The child's last stdout line, once it exited with 0. */
  done: Promise<string>
}

function runChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [childScript], { env: { ...process.env, STORE_URL: pathToFileURL(bundle).href, ...env } })
  let stdout = ''
  let stderr = ''
  let markReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (stdout.split('\n').includes('ready')) markReady()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<string>((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(stdout.trim().split('\n').at(-1) ?? '') : reject(new Error(`child exited with ${code}: ${stderr}`))))
  })
  // A child that dies before "ready" must not leave the test waiting.
  void done.catch(() => markReady())
  return { process: child, ready, done }
}

describe('two processes updating the same state file', () => {
  const N = 30

  it(`loses no update: 2 × ${N} locked read-increment-writes give ${2 * N}`, async () => {
    const root = join(work, 'workspace')
    let reports: Array<{ start: number; end: number }> = []
    const children = ['A', 'B'].map((tag) => runChild({ ROOT: root, N: String(N), TAG: tag }))
    try {
      // Both start at once, so that their updates really overlap.
      await Promise.all(children.map((child) => child.ready))
      for (const child of children) child.process.stdin.write('go\n')
      reports = (await Promise.all(children.map((child) => child.done))).map((line) => JSON.parse(line) as { start: number; end: number })
    } finally {
      for (const child of children) child.process.kill('SIGKILL')
    }
    const counter = (await createStateStore(root).read()).tasks.counter as unknown as { count: number; log: string[] }
    expect(counter.count).toBe(2 * N)
    expect(counter.log.filter((tag) => tag === 'A')).toHaveLength(N)
    expect(counter.log.filter((tag) => tag === 'B')).toHaveLength(N)
    // The two loops ran at the same time, so they did contend for the lock. (How the turns
    // interleave is up to the lock, which is not fair: one process may take a long run of turns.)
    expect(Math.max(...reports.map((r) => r.start))).toBeLessThan(Math.min(...reports.map((r) => r.end)))
    expect(existsSync(`${createStateStore(root).path}.lock`)).toBe(false)
  }, 120_000)
})
