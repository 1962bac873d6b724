import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The writer runs the built package in its own process, so that SIGKILL can stop it at any
// instant of writeFileAtomic: in the temp-file write, the fsync, the rename or the directory fsync.
const DIST = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'index.js')
const SIZE = 4 * 1024 * 1024
const ITERATIONS = 25
const MAX_DELAY_MS = 50

const payload = (name: 'A' | 'B'): Buffer => Buffer.concat([Buffer.from(`payload ${name}\n`), Buffer.alloc(SIZE, name.toLowerCase())])
const PAYLOADS = { A: payload('A'), B: payload('B') }

// Markers go to a pipe, which Node writes synchronously on Linux and macOS: when the writer dies,
// everything it printed before dying reaches the parent. "w" = a write started, "d" = it finished.
const WRITER = `
const { writeFileAtomic } = await import(process.env.KERNEL_URL)
const size = Number(process.env.SIZE)
const payloads = ['A', 'B'].map((name) => Buffer.concat([Buffer.from('payload ' + name + '\\n'), Buffer.alloc(size, name.toLowerCase())]))
let next = Number(process.env.FIRST)
await writeFileAtomic(process.env.TARGET, payloads[next++ % 2])
process.stdout.write('ready\\n')
for (;;) {
  process.stdout.write('w\\n')
  await writeFileAtomic(process.env.TARGET, payloads[next++ % 2])
  process.stdout.write('d\\n')
}
`

interface Kill {
  /** Whether the writer was inside writeFileAtomic when it died. */
  midWrite: boolean
  signal: NodeJS.Signals | null
}

async function killWriterAfterReady(target: string, first: number, delayMs: number): Promise<Kill> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER], {
    env: { ...process.env, KERNEL_URL: pathToFileURL(DIST).href, TARGET: target, SIZE: String(SIZE), FIRST: String(first) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let scheduled = false
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (!scheduled && stdout.startsWith('ready\n')) {
      scheduled = true
      setTimeout(() => child.kill('SIGKILL'), delayMs)
    }
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (...args) => resolve(args)))
  if (!stdout.startsWith('ready\n')) throw new Error(`the writer died before its first write (exit ${code}): ${stderr}`)
  const markers = stdout.trim().split('\n')
  return { midWrite: markers.at(-1) === 'w', signal }
}

function describeBytes(bytes: Buffer): string {
  if (bytes.equals(PAYLOADS.A)) return 'A'
  if (bytes.equals(PAYLOADS.B)) return 'B'
  return `torn: ${bytes.length} bytes, starting ${JSON.stringify(bytes.subarray(0, 12).toString('latin1'))}, ending ${JSON.stringify(bytes.subarray(-4).toString('latin1'))}`
}

describe('writeFileAtomic killed mid-write', () => {
  let dir: string

  beforeAll(async () => {
    // Another build (tsup cleans dist first) may be running; give it time before giving up.
    for (let waited = 0; !existsSync(DIST); waited += 250) {
      if (waited > 60_000) throw new Error(`${DIST} is missing: build the kernel first (cd packages/kernel && npx tsup)`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    dir = await mkdtemp(join(tmpdir(), 'oraclekit-atomic-kill-'))
  }, 70_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it(
    `an atomic write killed with SIGKILL mid-write leaves the old or the new file, never a torn one (${ITERATIONS} kills)`,
    async () => {
      const target = join(dir, 'artifact.bin')
      const seen: string[] = []
      let midWrites = 0
      for (let i = 0; i < ITERATIONS; i++) {
        const kill = await killWriterAfterReady(target, i % 2, Math.floor(Math.random() * (MAX_DELAY_MS + 1)))
        expect(kill.signal).toBe('SIGKILL')
        if (kill.midWrite) midWrites++
        seen.push(describeBytes(await readFile(target)))
        // A killed write leaves its temp file next to the target; clear them so the disk does not fill.
        for (const name of await readdir(dir)) if (name !== 'artifact.bin') await rm(join(dir, name), { force: true })
      }
      expect(seen.filter((what) => what !== 'A' && what !== 'B')).toEqual([])
      // The test proves something only if kills landed inside writes, not just between them.
      expect(midWrites).toBeGreaterThan(0)
    },
    180_000,
  )
})
