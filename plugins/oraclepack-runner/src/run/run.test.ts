// `oracle pack run` end to end: the real CLI process, this plugin's build, the kernel's worker
// pool, and an instrumented fake engine that records every call.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CLI_BIN, type PackWorkspace, answersOf, engineCalls, makePack, maxConcurrency, packWorkspace, readJson, runDirOf } from '../_test/harness.js'

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
let ws: PackWorkspace | undefined
afterEach(async () => {
  await ws?.cleanup()
  ws = undefined
})

describe('pack run', () => {
  it('writes run.json, steps.json and one output per step, calling the engine once per step with --wait', async () => {
    ws = await packWorkspace({ steps: 6 })
    const packHash = sha(readFileSync(ws.path('pack.md')))
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--max-parallel', '2'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const runDir = runDirOf(ws)
    expect(runDir.endsWith(`2026-11-21__nogit__${packHash.slice(0, 8)}`)).toBe(true)
    const run = readJson(join(runDir, 'run.json'))
    expect(run).toMatchObject({
      pack_id: `2026-11-21__nogit__${packHash.slice(0, 8)}`,
      pack_path: 'pack.md',
      pack_hash: packHash,
      git_sha: null,
      oracle_version: '0.0.0-fake',
      created_at: '2026-11-21T10:00:00.000Z',
      max_parallel: 2,
      ci: false,
      cache: true,
      status: 'ok',
      steps_total: 6,
      out_dir: 'docs/answers',
      models: ['default'],
    })
    expect(run.oraclekit_version).toMatch(/^\d+\.\d+\.\d+/)
    const steps = readJson(join(runDir, 'steps.json')).steps
    expect(steps.map((s: any) => [s.step_id, s.status, s.attempts, s.output_path])).toEqual([
      ['01', 'ok', 1, 'outputs/01-contracts-interfaces.md'],
      ['02', 'ok', 1, 'outputs/02-invariants.md'],
      ['03', 'ok', 1, 'outputs/03-caching-state.md'],
      ['04', 'ok', 1, 'outputs/04-background-jobs.md'],
      ['05', 'ok', 1, 'outputs/05-observability.md'],
      ['06', 'ok', 1, 'outputs/06-permissions.md'],
    ])
    for (const step of steps) {
      expect(step.output_hash).toBe(sha(readFileSync(join(runDir, step.output_path))))
      expect(step).toMatchObject({ category: expect.any(String), reference: `src/step-${step.step_id}.ts`, command_hash: expect.stringMatching(/^[0-9a-f]{64}$/), cache_key: expect.stringMatching(/^[0-9a-f]{64}$/) })
    }
    const calls = engineCalls(ws.calls)
    expect(calls).toHaveLength(6)
    for (const call of calls) {
      expect(call.args).toContain('--wait')
      const out = call.args[call.args.indexOf('--write-output') + 1] as string
      expect(out.startsWith(join(runDir, 'outputs', '.partial'))).toBe(true)
      // The pack's own out_dir is never written to: answers go to the run directory.
      expect(call.args.join(' ')).not.toContain('docs/answers')
    }
    expect(existsSync(ws.path('docs'))).toBe(false)
    expect(result.stdout).toContain('6/6 ok')
  })

  it('resumes by default: a finished run makes no engine calls, and a damaged answer is restored from the cache', async () => {
    ws = await packWorkspace({ steps: 4 })
    expect((await ws.oracle(['pack', 'run', 'pack.md'])).code).toBe(0)
    const runDir = runDirOf(ws)
    const before = answersOf(runDir)
    const again = await ws.oracle(['pack', 'run', 'pack.md', '--json'])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).counts).toMatchObject({ ok: 4, executed: 0, cached: 0, engine_calls: 0 })
    expect(engineCalls(ws.calls)).toHaveLength(4)

    writeFileSync(join(runDir, 'outputs/02-invariants.md'), 'tampered')
    const repaired = await ws.oracle(['pack', 'run', 'pack.md', '--json'])
    expect(JSON.parse(repaired.stdout).counts).toMatchObject({ ok: 4, cached: 1, engine_calls: 0 })
    expect(answersOf(runDir)).toEqual(before)
    expect(engineCalls(ws.calls)).toHaveLength(4)
  })

  it('a rerun on unchanged inputs answers from the cache with zero engine calls and identical outputs', async () => {
    ws = await packWorkspace({ steps: 5 })
    await ws.oracle(['pack', 'run', 'pack.md'])
    const runDir = runDirOf(ws)
    const before = answersOf(runDir)
    const rerun = await ws.oracle(['pack', 'run', 'pack.md', '--rerun', 'all', '--json'])
    expect(rerun.code).toBe(0)
    expect(JSON.parse(rerun.stdout).counts).toMatchObject({ ok: 5, cached: 5, engine_calls: 0 })
    expect(engineCalls(ws.calls)).toHaveLength(5)
    expect(answersOf(runDir)).toEqual(before)
    expect(readdirSync(ws.path('.oraclepack/cache')).sort()).toEqual(readJson(join(runDir, 'steps.json')).steps.map((s: any) => `${s.cache_key}.md`).sort())
  })

  it('changing an attached file misses the cache for exactly the step that attaches it', async () => {
    ws = await packWorkspace({ steps: 5 })
    await ws.oracle(['pack', 'run', 'pack.md'])
    await ws.write('src/step-03.ts', 'export const step = "changed"\n')
    const rerun = await ws.oracle(['pack', 'run', 'pack.md', '--rerun', 'all', '--json'])
    expect(JSON.parse(rerun.stdout).counts).toMatchObject({ cached: 4, engine_calls: 1 })
    expect(engineCalls(ws.calls).slice(5).map((c) => c.step)).toEqual(['03'])
    expect(engineCalls(ws.calls).filter((c) => c.step === '03')).toHaveLength(2)
  })

  it('--no-cache calls the engine for every selected step', async () => {
    ws = await packWorkspace({ steps: 3 })
    await ws.oracle(['pack', 'run', 'pack.md'])
    const rerun = await ws.oracle(['pack', 'run', 'pack.md', '--rerun', 'all', '--no-cache', '--json'])
    expect(JSON.parse(rerun.stdout).counts).toMatchObject({ cached: 0, engine_calls: 3 })
    expect(engineCalls(ws.calls)).toHaveLength(6)
  })

  it.each([
    { rerun: 'all', expected: ['01', '02', '03', '04', '05'], code: 0 },
    { rerun: '01,03', expected: ['01', '03'], code: 1 }, // step 04 is still failed
    { rerun: '5,2', expected: ['02', '05'], code: 1 },
    { rerun: '4', expected: ['04'], code: 0 },
    { rerun: 'failed', expected: ['04'], code: 0 },
  ])('--rerun $rerun runs exactly $expected', async ({ rerun, expected, code }) => {
    ws = await packWorkspace({ steps: 5, script: { '04': ['fatal', 'ok'] } })
    const first = await ws.oracle(['pack', 'run', 'pack.md'])
    expect(first.code).toBe(1)
    const before = engineCalls(ws.calls).length
    const again = await ws.oracle(['pack', 'run', 'pack.md', '--rerun', rerun, '--no-cache'])
    expect(again.code).toBe(code)
    expect(
      engineCalls(ws.calls)
        .slice(before)
        .map((c) => c.step)
        .sort(),
    ).toEqual(expected)
  })

  it.each([
    ['99', 'the pack has no step 99'],
    ['x', 'not all, failed, or a list of step numbers'],
    ['01,,02', 'not all, failed, or a list of step numbers'],
  ])('--rerun %s is a usage error (exit 2) and runs nothing', async (rerun, message) => {
    ws = await packWorkspace({ steps: 3 })
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--rerun', rerun])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ORACLE_PACK_RERUN_INVALID')
    expect(result.stderr).toContain(message)
    expect(existsSync(ws.path('.oraclepack'))).toBe(false)
  })

  it.each([1, 3])('never runs more than --max-parallel %i engine calls at once', async (limit) => {
    ws = await packWorkspace({ steps: 8, latencyMs: 250 })
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--max-parallel', String(limit)])
    expect(result.code).toBe(0)
    const calls = engineCalls(ws.calls)
    expect(calls).toHaveLength(8)
    expect(maxConcurrency(calls)).toBe(limit)
  })

  it('retries transient failures with backoff and records them; fatal and empty answers fail at once', async () => {
    ws = await packWorkspace({ steps: 5, script: { '02': ['429', 'ok'], '03': ['503', 'timeout', 'ok'], '04': ['fatal'], '05': ['empty'] } })
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--no-cache'])
    expect(result.code).toBe(1)
    const steps = readJson(join(runDirOf(ws), 'steps.json')).steps
    const byId = Object.fromEntries(steps.map((s: any) => [s.step_id, s]))
    expect(byId['01']).toMatchObject({ status: 'ok', attempts: 1, retries: [] })
    expect(byId['02']).toMatchObject({ status: 'ok', attempts: 2, last_error: null })
    expect(byId['02'].retries).toEqual([{ attempt: 1, error: expect.stringContaining('rate_limit'), delay_ms: expect.any(Number) }])
    expect(byId['03']).toMatchObject({ status: 'ok', attempts: 3 })
    expect(byId['03'].retries.map((r: any) => r.error.split(':')[0])).toEqual(['overloaded', 'timeout'])
    expect(byId['04']).toMatchObject({ status: 'failed', attempts: 1 })
    expect(byId['04'].last_error).toContain('Missing file or directory')
    expect(byId['05']).toMatchObject({ status: 'failed', attempts: 1 })
    expect(byId['05'].last_error).toContain('exited 0 but wrote no answer')
    expect(engineCalls(ws.calls).map((c) => c.step).sort()).toEqual(['01', '02', '02', '03', '03', '03', '04', '05'])
    expect(readJson(join(runDirOf(ws), 'run.json')).status).toBe('failed')
    expect(result.stdout).toContain('3/5 ok')
  })

  it('gives up on a step when its retries are spent, naming the exhausted budget', async () => {
    ws = await packWorkspace({ steps: 2, script: { '01': ['429', '429', '429', '429', '429'] }, plugin: { retries: 2 } })
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--json'])
    expect(result.code).toBe(1)
    const step = readJson(join(runDirOf(ws), 'steps.json')).steps[0]
    expect(step).toMatchObject({ status: 'failed', attempts: 3 })
    expect(step.last_error).toContain('retry budget exhausted')
    expect(engineCalls(ws.calls).filter((c) => c.step === '01')).toHaveLength(3)
  })

  it.each([
    { min: '0.5', code: 0 },
    { min: '0.9', code: 1 },
  ])('--min-completion $min with 3 of 4 steps ok exits $code', async ({ min, code }) => {
    ws = await packWorkspace({ steps: 4, script: { '02': ['fatal'] } })
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--min-completion', min, '--json'])
    expect(result.code).toBe(code)
    expect(JSON.parse(result.stdout)).toMatchObject({ completion: 0.75, min_completion: Number(min) })
  })

  it('--ci --non-interactive --json-log streams JSON events only, one per line', async () => {
    ws = await packWorkspace({ steps: 3, script: { '02': ['503', 'ok'] } })
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--ci', '--non-interactive', '--json-log'])
    expect(result.code).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(events[0]).toMatchObject({ event: 'run_started', steps: 3, selected: 3 })
    expect(events.at(-1)).toMatchObject({ event: 'run_finished', status: 'ok', counts: { ok: 3 } })
    expect(events.filter((e) => e.event === 'step_finished')).toHaveLength(3)
    expect(events.find((e) => e.event === 'step_retry')).toMatchObject({ step: '02', attempt: 1 })
    expect(readJson(join(runDirOf(ws), 'run.json')).ci).toBe(true)
  })

  it.each([
    ['a parent path', '../../escape.md'],
    ['an absolute path', '/tmp/escape.md'],
    ['a home path', '~/escape.md'],
    ['out_dir climbing out', '$out_dir/../../../escape.md'],
  ])('refuses a --write-output that is %s (exit 3) before creating anything', async (_, target) => {
    const pack = makePack({ steps: 2 }).replace('"$out_dir/02-invariants.md"', `"${target}"`)
    ws = await packWorkspace({ pack, steps: 2 })
    const result = await ws.oracle(['pack', 'run', 'pack.md'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('ORACLE_PACK_INVALID')
    expect(result.stderr).toMatch(/pack\.md:\d+/)
    expect(existsSync(ws.path('.oraclepack'))).toBe(false)
    expect(engineCalls(ws.calls)).toHaveLength(0)
  })

  it('a missing pack is a usage error (exit 2)', async () => {
    ws = await packWorkspace({ steps: 1 })
    const result = await ws.oracle(['pack', 'run', 'nope.md'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ORACLE_PACK_NOT_FOUND')
  })

  it('names the run after the commit in a git work tree', async () => {
    ws = await packWorkspace({ steps: 1 })
    const { execFileSync } = await import('node:child_process')
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws?.dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).toString().trim()
    git('init', '-q')
    git('add', 'pack.md')
    git('commit', '-qm', 'pack')
    const head = git('rev-parse', 'HEAD')
    expect((await ws.oracle(['pack', 'run', 'pack.md'])).code).toBe(0)
    expect(runDirOf(ws)).toMatch(new RegExp(`2026-11-21__${head.slice(0, 7)}__[0-9a-f]{8}$`))
    expect(readJson(join(runDirOf(ws), 'run.json')).git_sha).toBe(head)
  })

  it('resume redoes a step whose attached file changed since its answer, and only that one', async () => {
    ws = await packWorkspace({ steps: 3 })
    await ws.oracle(['pack', 'run', 'pack.md'])
    const before = readJson(join(runDirOf(ws), 'steps.json')).steps
    await ws.write('src/step-02.ts', 'export const step = "edited"\n')
    const again = await ws.oracle(['pack', 'run', 'pack.md', '--json'])
    expect(JSON.parse(again.stdout).counts).toMatchObject({ ok: 3, executed: 1, engine_calls: 1 })
    expect(engineCalls(ws.calls).slice(3).map((c) => c.step)).toEqual(['02'])
    const after = readJson(join(runDirOf(ws), 'steps.json')).steps
    expect(after[1].cache_key).not.toBe(before[1].cache_key)
    expect([after[0].cache_key, after[2].cache_key]).toEqual([before[0].cache_key, before[2].cache_key])
  })

  it('a failed rerun of a finished step leaves no stale answer behind', async () => {
    ws = await packWorkspace({ steps: 2, script: { '01': ['ok', 'fatal'] } })
    expect((await ws.oracle(['pack', 'run', 'pack.md'])).code).toBe(0)
    const result = await ws.oracle(['pack', 'run', 'pack.md', '--rerun', '01', '--no-cache'])
    expect(result.code).toBe(1)
    const step = readJson(join(runDirOf(ws), 'steps.json')).steps[0]
    expect(step).toMatchObject({ status: 'failed', output_hash: null })
    expect(existsSync(join(runDirOf(ws), step.output_path))).toBe(false)
    expect(existsSync(join(runDirOf(ws), 'outputs/.partial'))).toBe(false)
  })

  it('a step past stepTimeoutMs is stopped and failed, not retried', async () => {
    ws = await packWorkspace({ steps: 2, script: { '02': ['hang'] }, plugin: { stepTimeoutMs: 1000 } })
    const result = await ws.oracle(['pack', 'run', 'pack.md'])
    expect(result.code).toBe(1)
    const step = readJson(join(runDirOf(ws), 'steps.json')).steps[1]
    expect(step).toMatchObject({ status: 'failed', attempts: 1, retries: [] })
    expect(step.last_error).toContain('stepTimeoutMs')
    expect(engineCalls(ws.calls).filter((c) => c.step === '02')).toHaveLength(1)
  })

  it.each([
    { flag: [], run: { maxParallel: 1 }, plugin: {}, expected: 1 },
    { flag: [], run: { maxParallel: 1 }, plugin: { maxParallel: 3 }, expected: 3 },
    { flag: ['--max-parallel', '2'], run: { maxParallel: 1 }, plugin: { maxParallel: 3 }, expected: 2 },
  ])('parallelism: --max-parallel > the plugin option > the kernel run.maxParallel ($expected)', async ({ flag, run, plugin, expected }) => {
    ws = await packWorkspace({ steps: 1, run, plugin })
    expect((await ws.oracle(['pack', 'run', 'pack.md', ...flag])).code).toBe(0)
    expect(readJson(join(runDirOf(ws), 'run.json')).max_parallel).toBe(expected)
  })

  it('on a terminal, shows a live line: done / running / failed, elapsed and ETA', async () => {
    ws = await packWorkspace({ steps: 4, latencyMs: 400, script: { '03': ['fatal'] } })
    const { spawnSync } = await import('node:child_process')
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_BIN)} pack run pack.md --max-parallel 2`
    const env: NodeJS.ProcessEnv = { ...process.env, FAKE_ORACLE_DIR: ws.calls, FAKE_ORACLE_LATENCY_MS: '400', FAKE_ORACLE_SCRIPT: JSON.stringify({ '03': ['fatal'] }), TERM: 'xterm' }
    delete env.FORCE_COLOR
    delete env.ORACLE_CI
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ws.dir, env, encoding: 'utf8' })
    expect(result.status).toBe(1)
    const lines = result.stdout.split('\r\x1b[2K').filter((part) => part.startsWith('pack ') && part.includes(' done · '))
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.at(-1)).toMatch(/^pack \S+: 4\/4 done · 0 running · 1 failed · \d+s elapsed/)
    expect(lines.some((line) => /: [123]\/4 done · \d running · [01] failed · \d+s elapsed · ETA \d+s/.test(line))).toBe(true)
    // The summary follows, on a cleared line.
    expect(result.stdout).toContain('3/4 ok')
  })
})
