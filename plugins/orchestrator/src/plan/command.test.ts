import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CommandContext, ExitCode, OracleError } from '@oraclekit/kernel'
import { afterAll, describe, expect, it } from 'vitest'
import { run } from '../commands/validate.js'

const SEED = fileURLToPath(new URL('./_fixtures/seed-4/', import.meta.url))
const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

const context = (rootDir: string, options: Record<string, unknown> = {}) => ({ options, kernel: { rootDir } }) as unknown as CommandContext

async function failure(promise: Promise<unknown>): Promise<OracleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OracleError)
  return error as OracleError
}

describe('oracle orchestrate plan validate', () => {
  it('prints the counts and the order of a valid plan', async () => {
    const result = await run(context(SEED))
    expect(result.exitCode).toBe(ExitCode.ok)
    expect(result.text?.split('\n')).toEqual([
      'valid: 1 tasks, 2 shards, 1 gates',
      expect.stringMatching(/^plan: orchestrator\.yml \(sha256 [0-9a-f]{12}\)$/),
      'gates: apply_patch',
      'order:',
      '  1. EXC-001 Central exception handling',
    ])
    expect(result.data).toMatchObject({ file: 'orchestrator.yml', tasks: 1, shards: 2, gates: ['apply_patch'], order: ['EXC-001'], problems: [] })
  })

  it('takes --file', async () => {
    const result = await run(context(SEED, { file: 'minimal.yml' }))
    expect(result.text).toContain('valid: 1 tasks, 0 shards, 0 gates')
  })

  it('lists every problem with its file and line', async () => {
    const root = await mkdtemp(join(tmpdir(), 'orchestrator-cmd-'))
    made.push(root)
    const text = ['version: 1', 'tasks:', '  - id: A', '    title: A', '    type: chore', '    description: ""', '    dependencies: [B, A]', '    acceptance: ["Exit code: x"]', ''].join('\n')
    await writeFile(join(root, 'orchestrator.yml'), text)
    const error = await failure(run(context(root)))
    expect(error.code).toBe('ORACLE_ORCHESTRATE_PLAN_INVALID')
    expect(error.exitCode).toBe(ExitCode.invalidInput)
    expect(error.message).toBe('3 problem(s) in orchestrator.yml')
    expect(error).toMatchObject({ file: 'orchestrator.yml', line: 7 })
    expect(error.problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`)).toEqual([
      'orchestrator.yml:7 tasks[0].dependencies[0]: task "A" depends on "B", which is not a task of this plan',
      'orchestrator.yml:7 tasks[0].dependencies[1]: task "A" depends on itself',
      'orchestrator.yml:8 tasks[0].acceptance[0]: malformed acceptance string "Exit code: x": the exit code must be a number 0..255 (got "")',
    ])
  })

  it('names --file when the plan is missing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'orchestrator-cmd-'))
    made.push(root)
    const error = await failure(run(context(root, { file: 'plans/missing.yml' })))
    expect(error.code).toBe('ORACLE_ORCHESTRATE_PLAN_INVALID')
    expect(error.exitCode).toBe(ExitCode.invalidInput)
    expect(error.file).toBe('plans/missing.yml')
    expect(error.hint).toContain('--file')
  })
})
