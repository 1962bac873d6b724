// Smoke test of the contract-test harness: the real @steipete/oracle CLI (installed on demand,
// run with its own Node 24) against the loopback fake OpenAI server.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { execa } from 'execa'
import { type FakeOpenAI, type FakeScript, overloaded, rateLimited, startFakeOpenAI } from './fake-openai.js'
import { type TempDir, makeTempDir } from './helpers.js'
import { type RealOracle, ensureRealOracle, realOracleEnv, writeOracleShim } from './real-oracle.js'

const PROMPT = 'Review the attached release notes and list the risky changes.'
const NOTES = '# Release notes\n\n- Dropped Node 18 support.\n- Renamed `--preview` to `--dry-run`.\n'

let oracle: RealOracle
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  // The first run on a fresh machine installs ~380 MB (oracle and a Node 24 binary).
  oracle = await ensureRealOracle()
}, 900_000)

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(script?: FakeScript): Promise<{ server: FakeOpenAI; temp: TempDir }> {
  const temp = await makeTempDir()
  cleanups.push(() => temp.cleanup())
  const server = await startFakeOpenAI(script)
  cleanups.push(() => server.close())
  await temp.write('work/notes.md', NOTES)
  return { server, temp }
}

/** `oracle --engine api … -f notes.md --write-output out.md` in `<temp>/work`, as a pack step would run it. */
async function ask(server: FakeOpenAI, temp: TempDir) {
  const args = ['--engine', 'api', '--model', 'gpt-5.1', '--base-url', server.url, '--wait', '-p', PROMPT, '-f', 'notes.md', '--write-output', temp.path('work/out.md')]
  const result = await execa(oracle.node, [oracle.script, ...args], { cwd: temp.path('work'), env: realOracleEnv(temp.path('home')), extendEnv: false, reject: false, stdin: 'ignore' })
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) }
}

describe('the real @steipete/oracle', () => {
  it('is installed in e2e/engines/oracle with its own Node 24', async () => {
    expect(oracle.version).toBe('0.21.2')
    expect(oracle.script).toMatch(/e2e\/engines\/oracle\/node_modules\/@steipete\/oracle\/dist\/bin\/oracle-cli\.js$/)
    const node = await execa(oracle.node, ['--version'])
    expect(node.stdout).toMatch(/^v2[4-9]\./)
    const version = await execa(oracle.node, [oracle.script, '--version'], { env: realOracleEnv('/nonexistent'), extendEnv: false })
    expect(version.stdout.trim()).toBe('0.21.2')
  })

  it('runs through a shim, for commands that take an oracle executable', async () => {
    const temp = await makeTempDir()
    cleanups.push(() => temp.cleanup())
    const shim = await writeOracleShim(oracle, temp.dir)
    const result = await execa(shim, ['--version'], { env: realOracleEnv(temp.dir), extendEnv: false })
    expect(result.stdout.trim()).toBe('0.21.2')
  })
})

describe('the real oracle against the fake OpenAI server', () => {
  it('streams an answer into --write-output; one Chat Completions request carries the prompt and the file', async () => {
    const answer = 'Two risky changes:\n\n1. Node 18 support was dropped.\n2. `--preview` is now `--dry-run`.'
    const { server, temp } = await setup(() => answer)
    const run = await ask(server, temp)

    expect(run.exitCode).toBe(0)
    expect(await temp.read('work/out.md')).toBe(`${answer}\n`)
    expect(run.stdout).toContain(`Saved assistant output to ${temp.path('work/out.md')}`)
    expect(run.stdout).toContain('🧿 oracle 0.21.2 — Whispering your tokens to the silicon sage.')
    expect(run.stderr).toBe('')

    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', attempt: 1, retryCount: 0, status: 200 })
    expect(request?.body).toMatchObject({ model: 'gpt-5.1', stream: true })
    expect(request?.headers.authorization).toBeUndefined()
    // The user message is the prompt, then each file with numbered lines.
    expect(request?.prompt.startsWith(`${PROMPT}\n\n### File 1: notes.md\n`)).toBe(true)
    for (const line of NOTES.trimEnd().split('\n').filter(Boolean)) expect(request?.prompt).toContain(line)
  })

  it('survives one 429: the OpenAI SDK retries by itself, so oracle exits 0 after two requests', async () => {
    const { server, temp } = await setup(({ attempt }) => (attempt === 1 ? rateLimited() : 'Recovered.'))
    const run = await ask(server, temp)

    expect(run.exitCode).toBe(0)
    expect(await temp.read('work/out.md')).toBe('Recovered.\n')
    expect(server.requests.map((request) => [request.status, request.retryCount])).toEqual([[429, 0], [200, 1]])
  })

  it('gives up on a persistent 429 after three requests: exit 1, the message on stdout, no output file', async () => {
    const { server, temp } = await setup(() => rateLimited())
    const run = await ask(server, temp)

    expect(run.exitCode).toBe(1)
    expect(server.requests.map((request) => [request.status, request.retryCount])).toEqual([[429, 0], [429, 1], [429, 2]])
    expect(run.stdout.trimEnd().split('\n').slice(-3)).toEqual(['Rate limit reached for requests', 'ERROR: Rate limit reached for requests', 'Transport: api-error — transport error'])
    expect(run.stderr).toBe('')
    expect(temp.exists('work/out.md')).toBe(false)
  })

  it('fails one invocation only after three 429s; attempts count per prompt across invocations', async () => {
    // What a wrapper's own retry sees: oracle exits 1 only once the SDK's three attempts are spent.
    const { server, temp } = await setup(({ attempt }) => (attempt <= 3 ? rateLimited() : 'Fourth time lucky.'))
    const first = await ask(server, temp)
    const second = await ask(server, temp)

    expect([first.exitCode, second.exitCode]).toEqual([1, 0])
    expect(server.requests.map((request) => [request.attempt, request.status, request.retryCount])).toEqual([[1, 429, 0], [2, 429, 1], [3, 429, 2], [4, 200, 0]])
    expect(await temp.read('work/out.md')).toBe('Fourth time lucky.\n')
  })

  it('gives up on a persistent 503 after three requests: exit 1, the message on stdout, no output file', async () => {
    const { server, temp } = await setup(() => overloaded())
    const run = await ask(server, temp)

    expect(run.exitCode).toBe(1)
    expect(server.requests.map((request) => [request.status, request.retryCount])).toEqual([[503, 0], [503, 1], [503, 2]])
    expect(run.stdout.trimEnd().split('\n').slice(-3)).toEqual(['The server is overloaded or not ready yet.', 'ERROR: The server is overloaded or not ready yet.', 'Transport: api-error — transport error'])
    expect(run.stderr).toBe('')
    expect(temp.exists('work/out.md')).toBe(false)
  })
})
