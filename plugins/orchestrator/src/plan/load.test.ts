import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { type PlanProblem, loadPlan } from './load.js'
import { topoOrder } from './validate.js'

const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const FIXTURES = fileURLToPath(new URL('./_fixtures/', import.meta.url))
const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A temp workspace holding `files`. */
async function workspace(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'orchestrator-plan-'))
  made.push(root)
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true })
    await writeFile(join(root, file), text)
  }
  return root
}

/** The 1-based line of the first line of `text` containing `needle` (the n-th with `nth`). */
function lineOf(text: string, needle: string, nth = 1): number {
  let seen = 0
  const lines = text.split('\n')
  for (const [i, line] of lines.entries()) if (line.includes(needle) && ++seen === nth) return i + 1
  throw new Error(`"${needle}" not in the text`)
}

/** `A<-B,C`: task A depends on B and C; each task is five lines, its dependencies on the fifth. */
function dagPlan(...specs: string[]): string {
  const tasks = specs.map((spec) => {
    const [id = '', deps = ''] = spec.split('<-')
    return [`  - id: ${id}`, `    title: Task ${id}`, '    type: chore', '    description: ""', `    dependencies: [${deps.split(',').filter(Boolean).join(', ')}]`].join('\n')
  })
  return ['version: 1', 'tasks:', ...tasks, ''].join('\n')
}

const brief = (problems: readonly PlanProblem[]) => problems.map((p) => `${p.file}:${p.line ?? '?'} ${p.path}: ${p.message}`)

describe('DAG shapes', () => {
  it.each([
    ['chain', ['C<-B', 'B<-A', 'A'], ['A', 'B', 'C']],
    ['fan-out', ['A', 'B<-A', 'C<-A', 'D<-A'], ['A', 'B', 'C', 'D']],
    ['diamond', ['D<-B,C', 'B<-A', 'C<-A', 'A'], ['A', 'B', 'C', 'D']],
  ])('%s is valid, in topological order', async (_shape, specs, order) => {
    const root = await workspace({ 'orchestrator.yml': dagPlan(...specs) })
    const { plan, problems } = await loadPlan(root)
    expect(problems).toEqual([])
    expect(topoOrder(plan?.tasks ?? [])).toEqual(order)
  })

  it.each([
    ['cycle of 2', ['A<-B', 'B<-A'], 'A', 'dependency cycle: A → B → A'],
    ['cycle of 3', ['X', 'B<-C', 'C<-D', 'D<-B'], 'B', 'dependency cycle: B → C → D → B'],
    ['cycle of 3 entered late', ['A<-C', 'B<-A', 'C<-B', 'E<-A'], 'A', 'dependency cycle: A → C → B → A'],
  ])('%s is reported once, with its path, at the first task’s dependencies', async (_shape, specs, first, message) => {
    const text = dagPlan(...specs)
    const root = await workspace({ 'orchestrator.yml': text })
    const { plan, problems } = await loadPlan(root)
    expect(plan).toBeUndefined()
    const index = specs.findIndex((s) => s.startsWith(`${first}<-`))
    expect(problems).toEqual([
      { file: 'orchestrator.yml', line: lineOf(text, `- id: ${first}`) + 4, path: `tasks[${index}].dependencies`, message, rule: 'cycle', hint: expect.any(String) },
    ])
  })

  it.each([
    ['self-dependency', ['A', 'B<-A,B'], 'tasks[1].dependencies[1]', 'self_dependency', 'task "B" depends on itself', 'Remove it from its own dependencies.'],
    ['unknown dependency', ['BUILD-1', 'TEST-1<-BUILD-2'], 'tasks[1].dependencies[0]', 'unknown_dependency', 'task "TEST-1" depends on "BUILD-2", which is not a task of this plan', 'Did you mean "BUILD-1"?'],
    ['unknown dependency, nothing close', ['A', 'B<-zzzzzz'], 'tasks[1].dependencies[0]', 'unknown_dependency', 'task "B" depends on "zzzzzz", which is not a task of this plan', undefined],
  ])('%s', async (_shape, specs, path, rule, message, hint) => {
    const text = dagPlan(...specs)
    const root = await workspace({ 'orchestrator.yml': text })
    const { problems } = await loadPlan(root)
    const line = lineOf(text, '- id: ', 2) + 4
    expect(problems).toEqual([{ file: 'orchestrator.yml', line, path, message, rule, ...(hint ? { hint } : {}) }])
  })
})

const TASK = (id: string, extra = '') => `  - id: ${id}\n    title: Task ${id}\n    type: code_change\n    description: ""\n${extra}`

describe('every problem kind, with file:line', () => {
  it.each<[string, Record<string, string>, string, string, string, string]>([
    // [name, files, rule, file, line needle (in that file), message part]
    ['YAML syntax', { 'orchestrator.yml': 'version: 1\ntasks:\n  - id: [A\n' }, 'syntax', 'orchestrator.yml', '', 'not valid YAML'],
    ['schema: unknown key', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    dependecies: []\n')}` }, 'schema', 'orchestrator.yml', 'dependecies', 'unknown key "dependecies"'],
    ['schema: bad type', { 'orchestrator.yml': `version: 1\ntasks:\n  - id: A\n    title: T\n    type: coding\n    description: ""\n` }, 'schema', 'orchestrator.yml', 'type: coding', 'must be one of'],
    ['schema: version', { 'orchestrator.yml': 'version: 2\ntasks: []\n' }, 'schema', 'orchestrator.yml', 'version: 2', 'must be one of 1'],
    ['schema: command form', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    commands:\n      test: { run: make, retryable: { attempts: 11 } }\n')}` }, 'schema', 'orchestrator.yml', 'test: { run', ''],
    ['schema: timebox', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    constraints:\n      timebox: 2 hours\n')}` }, 'schema', 'orchestrator.yml', 'timebox:', ''],
    ['duplicate task id', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A')}${TASK('A')}` }, 'duplicate_id', 'orchestrator.yml', '- id: A\n2', 'duplicate id "A"'],
    ['task and shard share ids', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    shards:\n      - id: B\n        title: S\n')}${TASK('B')}` }, 'duplicate_id', 'orchestrator.yml', '- id: B\n2', 'duplicate id "B"'],
    ['dependency on a shard', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    shards:\n      - id: A1\n        title: S\n')}${TASK('B', '    dependencies:\n      - A1\n')}` }, 'unknown_dependency', 'orchestrator.yml', '- A1', 'a shard of task "A"'],
    ['malformed acceptance', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    acceptance:\n      - "Done when: fine"\n      - "Tests pass:"\n')}` }, 'acceptance', 'orchestrator.yml', 'Tests pass:', 'malformed acceptance string "Tests pass:"'],
    ['malformed shard acceptance', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    shards:\n      - id: A1\n        title: S\n        acceptance: ["File exists: ../x"]\n')}` }, 'acceptance', 'orchestrator.yml', 'File exists: ../x', 'must not leave the project'],
    ['forbidden preferred path (task glob)', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    paths:\n      preferred:\n        - src/ok.ts\n        - secrets/key.pem\n    constraints:\n      forbidden_paths: ["secrets/**"]\n')}` }, 'forbidden_path', 'orchestrator.yml', '- secrets/key.pem', 'preferred path "secrets/key.pem" is forbidden by "secrets/**" (forbidden_paths of the task)'],
    ['forbidden checked path (plan glob)', { 'orchestrator.yml': `version: 1\nconstraints:\n  forbidden_paths: ["**/*.lock"]\ntasks:\n${TASK('A', '    acceptance:\n      - "File exists: deps/Cargo.lock"\n')}` }, 'forbidden_path', 'orchestrator.yml', 'File exists: deps', 'checked path "deps/Cargo.lock" is forbidden by "**/*.lock" (forbidden_paths of the plan)'],
    ['empty command', { 'orchestrator.yml': `version: 1\ntasks:\n${TASK('A', '    commands:\n      lint: "   "\n')}` }, 'command', 'orchestrator.yml', 'lint:', 'command "lint" is empty'],
    ['include names no file', { 'orchestrator.yml': 'version: 1\ninclude:\n  - tasks/missing.yml\ntasks: []\n' }, 'include', 'orchestrator.yml', '- tasks/missing.yml', 'included file tasks/missing.yml not found'],
    ['include glob matches nothing', { 'orchestrator.yml': 'version: 1\ninclude:\n  - tasks/*.yml\n' }, 'include', 'orchestrator.yml', '- tasks/*.yml', 'matches no .yml, .yaml or .json file'],
    ['include leaves the folder', { 'orchestrator.yml': 'version: 1\ninclude:\n  - ../other.yml\n' }, 'include', 'orchestrator.yml', '- ../other.yml', 'must be a path under the plan'],
    ['include glob in a folder', { 'orchestrator.yml': 'version: 1\ninclude:\n  - "*/a.yml"\n' }, 'include', 'orchestrator.yml', '- "*/a.yml"', 'only be used in the file name'],
    ['problem inside an included YAML file', { 'orchestrator.yml': 'version: 1\ninclude: [tasks/*.yml]\n', 'tasks/a.yml': `tasks:\n${TASK('A', '    acceptance: ["Exit code x: make"]\n')}` }, 'acceptance', 'tasks/a.yml', 'Exit code x', 'the exit code must be a number'],
    ['schema problem inside an included JSON file', { 'orchestrator.yml': 'version: 1\ninclude: [tasks/b.json]\n', 'tasks/b.json': '{\n  "tasks": [\n    {\n      "id": "B",\n      "title": "T",\n      "type": "chore"\n    }\n  ]\n}\n' }, 'schema', 'tasks/b.json', '    {', 'missing required key "description"'],
    ['JSON syntax inside an included file', { 'orchestrator.yml': 'version: 1\ninclude: [tasks/c.json]\n', 'tasks/c.json': '{\n  "tasks": [\n    1,\n  ]\n}\n' }, 'syntax', 'tasks/c.json', '  ]', 'not valid JSON'],
    ['cycle across files', { 'orchestrator.yml': `version: 1\ninclude: [tasks/a.yml]\ntasks:\n${TASK('A', '    dependencies: [B]\n')}`, 'tasks/a.yml': `tasks:\n${TASK('B', '    dependencies: [A]\n')}` }, 'cycle', 'orchestrator.yml', 'dependencies: [B]', 'dependency cycle: A → B → A'],
    ['duplicate id across files', { 'orchestrator.yml': `version: 1\ninclude: [tasks/a.yml]\ntasks:\n${TASK('A')}`, 'tasks/a.yml': `tasks:\n${TASK('A')}` }, 'duplicate_id', 'tasks/a.yml', '- id: A', 'duplicate id "A"'],
    ['an included file may not include', { 'orchestrator.yml': 'version: 1\ninclude: [tasks/a.yml]\n', 'tasks/a.yml': 'include: [b.yml]\ntasks: []\n' }, 'schema', 'tasks/a.yml', 'include:', 'unknown key "include"'],
  ])('%s', async (_name, files, rule, file, needle, message) => {
    const root = await workspace(files)
    const { plan, problems } = await loadPlan(root)
    expect(plan).toBeUndefined()
    const problem = problems.find((p) => p.rule === rule)
    expect(problem, brief(problems).join('\n')).toBeDefined()
    expect(problem?.file).toBe(file)
    expect(problem?.message).toContain(message)
    const [text = '', nth = '1'] = needle.split('\n')
    if (text !== '') expect(problem?.line).toBe(lineOf(files[file] as string, text, Number(nth)))
    else expect(problem?.line).toBeGreaterThan(0)
  })

  it('reports a key written twice in YAML', async () => {
    const text = `version: 1\ntasks:\n${TASK('A', '    type: docs\n')}`
    const { problems } = await loadPlan(await workspace({ 'orchestrator.yml': text }))
    expect(brief(problems)).toEqual([`orchestrator.yml:${lineOf(text, 'type: docs')} (root): not valid YAML: Map keys must be unique`])
  })

  it('reports the problems of every file at once', async () => {
    const files = {
      'orchestrator.yml': `version: 1\ninclude: [tasks/*.yml]\ntasks:\n${TASK('A', '    bogus: 1\n')}`,
      'tasks/a.yml': 'tasks:\n  - id: B\n    title: T\n    description: ""\n    type: nope\n',
      'tasks/b.yml': 'tasks: {}\n',
    }
    const { problems } = await loadPlan(await workspace(files))
    expect(brief(problems)).toEqual([
      'orchestrator.yml:8 tasks[0].bogus: unknown key "bogus"',
      'tasks/a.yml:5 tasks[0].type: must be one of "code_change", "docs", "test", "release", "deploy", "chore", "investigation", "decision" (got string "nope")',
      'tasks/b.yml:1 tasks: must be an array (got an object)',
    ])
  })

  it.each([
    ['orchestrator.yml', 'missing', 'file not found'],
    ['plan.toml', 'file_type', 'not a plan file: .toml'],
    ['../plan.yml', 'path', 'points outside'],
  ])('%s: %s', async (file, rule, message) => {
    const { plan, problems } = await loadPlan(await workspace({}), file)
    expect(plan).toBeUndefined()
    expect(problems).toEqual([expect.objectContaining({ file, path: '(root)', rule, message: expect.stringContaining(message) })])
  })
})

describe('resolving', () => {
  it('resolves the seed 4 example plan', async () => {
    const { plan, problems } = await loadPlan(join(FIXTURES, 'seed-4'))
    expect(problems).toEqual([])
    const text = await readFile(join(FIXTURES, 'seed-4/orchestrator.yml'), 'utf8')
    expect(plan).toMatchObject({ file: 'orchestrator.yml', project: { name: 'codex-agentic', root: '.' }, approvals: ['apply_patch', 'deploy'] })
    expect(plan?.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(plan?.tasks).toEqual([
      {
        id: 'EXC-001',
        title: 'Central exception handling',
        type: 'code_change',
        description: 'Add a central error type and mapping so CLI exits with consistent codes/messages.',
        paths: ['codex-agentic/src/error.rs', 'codex-agentic/src/lib.rs'],
        commands: [
          { name: 'lint', argv: ['cargo', 'clippy', '--', '-D', 'warnings'], timeoutMs: 600_000, retries: 0, backoffMs: 500 },
          { name: 'test', argv: ['cargo', 'test', '--package', 'codex-agentic'], timeoutMs: 600_000, retries: 0, backoffMs: 500 },
          { name: 'build', argv: ['cargo', 'build', '--release', '-p', 'codex-agentic'], timeoutMs: 600_000, retries: 0, backoffMs: 500 },
        ],
        checks: [
          { kind: 'tests_pass', text: 'Tests pass: cargo test --package codex-agentic', argv: ['cargo', 'test', '--package', 'codex-agentic'] },
          { kind: 'file_exists', text: 'File exists: codex-agentic/src/error.rs', path: 'codex-agentic/src/error.rs' },
          { kind: 'contains', text: 'Contains: enum AppError', needle: 'enum AppError' },
        ],
        dependencies: [],
        shards: [
          { id: 'EXC-001A', title: 'Define AppError enum', checks: [{ kind: 'contains', text: 'Contains: impl std::error::Error for AppError', needle: 'impl std::error::Error for AppError' }] },
          { id: 'EXC-001B', title: 'Map anyhow::Error to AppError', checks: [] },
        ],
        approvals: ['apply_patch'],
        forbiddenPaths: [],
        timeboxMs: 0,
        source: `orchestrator.yml:${lineOf(text, '- id: EXC-001')}`,
      },
    ])
  })

  it('loads the seed 4 minimal plan (Appendix A)', async () => {
    const { plan, problems } = await loadPlan(join(FIXTURES, 'seed-4'), 'minimal.yml')
    expect(problems).toEqual([])
    expect(plan?.tasks.map((t) => [t.id, t.checks[0]?.kind])).toEqual([['DOC-001', 'file_exists']])
  })

  it('accepts the plan the actionizer emits (its golden fixture) with zero problems', async () => {
    const golden = join(REPO, 'plugins/actionizer/src/_fixtures/golden/tickets')
    const { plan, problems } = await loadPlan(golden)
    expect(brief(problems)).toEqual([])
    expect(plan?.tasks.length).toBeGreaterThan(0)
    expect(plan?.tasks.every((t) => t.checks.length > 0)).toBe(true)
  })

  it('gives a JSON plan the same PlanSpec and hash as its YAML', async () => {
    const yaml = await readFile(join(FIXTURES, 'seed-4/orchestrator.yml'), 'utf8')
    const root = await workspace({ 'orchestrator.yml': yaml, 'orchestrator.json': `${JSON.stringify(parse(yaml), null, 2)}\n` })
    const fromYaml = await loadPlan(root, 'orchestrator.yml')
    const fromJson = await loadPlan(root, 'orchestrator.json')
    expect(fromJson.problems).toEqual([])
    const strip = (plan: typeof fromYaml.plan) => ({ ...plan, file: undefined, tasks: plan?.tasks.map((t) => ({ ...t, source: t.source.replace(/^[^:]+/, 'FILE').replace(/\d+$/, 'N') })) })
    expect(strip(fromJson.plan)).toEqual(strip(fromYaml.plan))
    expect(fromJson.plan?.hash).toBe(fromYaml.plan?.hash)
    expect(fromJson.plan?.tasks[0]?.source).toMatch(/^orchestrator\.json:\d+$/)
  })

  it('changes the hash when an included file changes', async () => {
    const files = { 'orchestrator.yml': 'version: 1\ninclude: [tasks/*.yml]\n', 'tasks/a.yml': `tasks:\n${TASK('A')}` }
    const before = await loadPlan(await workspace(files))
    const after = await loadPlan(await workspace({ ...files, 'tasks/a.yml': `tasks:\n${TASK('A', '    acceptance: ["Contains: x"]\n')}` }))
    expect(before.plan?.hash).toBeDefined()
    expect(after.plan?.hash).not.toBe(before.plan?.hash)
  })

  it('resolves includes in order, with each task’s source file and line', async () => {
    const files = {
      'plans/orchestrator.yml': `version: 1\ninclude:\n  - tasks/*.yml\n  - extra.json\ntasks:\n${TASK('MAIN')}`,
      'plans/tasks/b.yml': `tasks:\n${TASK('B', '    dependencies: [A]\n')}`,
      'plans/tasks/a.yml': `version: 1\ntasks:\n${TASK('A', '    dependencies: [MAIN]\n')}`,
      'plans/tasks/notes.md': 'not a plan',
      'plans/extra.json': '{ "tasks": [\n  { "id": "C", "title": "C", "type": "docs", "description": "", "dependencies": ["B"] }\n] }\n',
    }
    const { plan, problems } = await loadPlan(await workspace(files), 'plans/orchestrator.yml')
    expect(problems).toEqual([])
    expect(plan?.tasks.map((t) => [t.id, t.source])).toEqual([
      ['MAIN', 'plans/orchestrator.yml:6'],
      ['A', 'plans/tasks/a.yml:3'],
      ['B', 'plans/tasks/b.yml:2'],
      ['C', 'plans/extra.json:2'],
    ])
    expect(topoOrder(plan?.tasks ?? [])).toEqual(['MAIN', 'A', 'B', 'C'])
  })

  it.each([
    ['code_change', ['own', 'review', 'apply_patch']],
    ['deploy', ['own', 'review', 'deploy']],
    ['release', ['own', 'review', 'deploy', 'tag']],
    ['docs', ['own', 'review']],
    ['chore', ['own', 'review']],
  ])('a %s task waits for %j', async (type, approvals) => {
    const text = `version: 1\norchestrator:\n  approvals:\n    required: [apply_patch, deploy, tag, review]\ntasks:\n  - id: T\n    title: T\n    type: ${type}\n    description: ""\n    approvals:\n      required: [own, review]\n`
    const { plan, problems } = await loadPlan(await workspace({ 'orchestrator.yml': text }))
    expect(problems).toEqual([])
    expect(plan?.tasks[0]?.approvals).toEqual(approvals)
  })

  it.each([
    ['"make"', { argv: ['make'], timeoutMs: 600_000, retries: 0, backoffMs: 500 }],
    ['{ run: "make all", timeout_ms: 5000 }', { argv: ['make', 'all'], timeoutMs: 5000, retries: 0, backoffMs: 500 }],
    ['{ run: make, retryable: true }', { argv: ['make'], timeoutMs: 600_000, retries: 2, backoffMs: 500 }],
    ['{ run: make, retryable: false }', { argv: ['make'], timeoutMs: 600_000, retries: 0, backoffMs: 500 }],
    ['{ run: make, retryable: { attempts: 4, backoff_ms: 100 } }', { argv: ['make'], timeoutMs: 600_000, retries: 4, backoffMs: 100 }],
    ['{ run: "cat my\\\\ file" }', { argv: ['cat', 'my file'], timeoutMs: 600_000, retries: 0, backoffMs: 500 }],
  ])('command %s', async (command, spec) => {
    const text = `version: 1\ntasks:\n${TASK('A', `    commands:\n      build: ${command}\n`)}`
    const { plan, problems } = await loadPlan(await workspace({ 'orchestrator.yml': text }))
    expect(brief(problems)).toEqual([])
    expect(plan?.tasks[0]?.commands).toEqual([{ name: 'build', ...spec }])
  })

  it.each([
    ['timebox: 90s', 90_000],
    ['timebox: 30m', 1_800_000],
    ['timebox: 2h', 7_200_000],
    ['timebox: 1h30m', 5_400_000],
    ['timebox_ms: 1234', 1234],
    ['{ timebox: 2h, timebox_ms: 5 }', 5],
    ['style: terse', 0],
  ])('constraints %s → timeboxMs %i', async (constraint, ms) => {
    const body = constraint.startsWith('{') ? `    constraints: ${constraint}\n` : `    constraints:\n      ${constraint}\n`
    const text = `version: 1\nconstraints:\n  forbidden_paths: [dist/**]\ntasks:\n${TASK('A', `${body}`)}`
    const { plan, problems } = await loadPlan(await workspace({ 'orchestrator.yml': text }))
    expect(brief(problems)).toEqual([])
    expect(plan?.tasks[0]).toMatchObject({ timeboxMs: ms, forbiddenPaths: ['dist/**'] })
  })
})
