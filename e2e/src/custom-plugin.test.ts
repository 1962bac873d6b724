// docs/writing-a-plugin.md, followed by a user: its files in an empty project outside the
// repository, the built packages installed from their tarballs, the commands it shows, run.
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORACLE_BIN, REPO_ROOT, type TempDir, childEnv, extractBlocks, makeTempDir, readDoc } from './helpers.js'

const blocks = extractBlocks(await readDoc('writing-a-plugin.md'))
const files = blocks.filter((b) => b.title && !b.title.endsWith('output'))
const expected = (title: string): string => blocks.find((b) => b.title === title)?.code ?? ''

let project: TempDir
let packs: TempDir

async function oracle(...args: string[]) {
  // `npx oracle` in the project, as the tutorial says.
  const result = await execa('npx', ['--no-install', 'oracle', ...args], { cwd: project.dir, env: childEnv(), extendEnv: false, reject: false, stdin: 'ignore', stripFinalNewline: false })
  // npm itself may warn about the machine's npmrc; only oracle's own output counts.
  const stderr = String(result.stderr).split('\n').filter((line) => !line.startsWith('npm warn')).join('\n')
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr }
}

beforeAll(async () => {
  packs = await makeTempDir()
  await execa('npm', ['pack', '--silent', '--pack-destination', packs.dir, '-w', '@oraclekit/kernel', '-w', '@oraclekit/cli'], { cwd: REPO_ROOT })
  const tarballs = await readdir(packs.dir)
  const tarball = (name: string) => join(packs.dir, tarballs.find((t) => t.startsWith(`oraclekit-${name}-`)) as string)
  project = await makeTempDir()
  for (const block of files) await project.write(block.title as string, block.code)
  // The packages are not on the registry yet: install the ones just built, like a user would.
  const pkg = JSON.parse(await project.read('package.json')) as { devDependencies: Record<string, string> }
  pkg.devDependencies['@oraclekit/cli'] = `file:${tarball('cli')}`
  pkg.devDependencies['@oraclekit/kernel'] = `file:${tarball('kernel')}`
  await project.write('package.json', JSON.stringify(pkg, null, 2))
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project.dir })
}, 300_000)

afterAll(async () => {
  await project?.cleanup()
  await packs?.cleanup()
})

describe('writing-a-plugin.md, run as a user would', () => {
  it('has the project files it tells the reader to write', () => {
    expect(files.map((b) => b.title)).toEqual(
      expect.arrayContaining(['package.json', 'plugins/todo-scan/scan-file.ts', 'plugins/todo-scan/index.ts', 'oracle.config.ts', 'src/app.ts', 'test/todo-scan.check.mjs']),
    )
  })

  it('lives outside the repository and uses the installed CLI', async () => {
    expect(project.dir.startsWith(REPO_ROOT)).toBe(false)
    const bin = await readFile(join(project.dir, 'node_modules/@oraclekit/cli/package.json'), 'utf8')
    expect(JSON.parse(bin).bin.oracle).toBe('./bin/oracle.js')
    expect(join(project.dir, 'node_modules/.bin/oracle')).not.toBe(ORACLE_BIN)
  })

  it('lists the plugin exactly as the tutorial shows', async () => {
    const result = await oracle('plugins')
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(expected('plugins output'))
  })

  it('shows the command in --help and documents its flag', async () => {
    const help = await oracle('--help')
    expect(help.stdout).toMatch(/todos \[dir\]\s+List TODO\/FIXME comments, one worker-thread job per file\s+\[todo-scan\]/)
    const commandHelp = await oracle('todos', '--help')
    expect(commandHelp.stdout).toContain('--max-files <n>')
    expect(commandHelp.stdout).toContain('From plugin todo-scan.')
  })

  it('runs the command, its intent in worker threads, with the output the tutorial shows', async () => {
    const result = await oracle('todos', 'src')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(expected('todos output'))
    const report = JSON.parse(await project.read('.oracle/todos.json')) as { todos: Array<{ file: string; line: number }> }
    expect(report.todos.map((t) => `${t.file}:${t.line}`)).toEqual(['src/app.ts:2', 'src/app.ts:6'])
    const runs = await readdir(project.path('.oracle/runs'))
    expect(runs).toHaveLength(1)
    const events = (await project.read(`.oracle/runs/${runs[0]}/events.jsonl`)).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const scanned = events.find((e) => e.event === 'intent_log' && e.msg === 'scanned')
    // threadId 0 is the main thread: the intent ran in a worker.
    expect(scanned?.threadId).toBeGreaterThan(0)
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['run_started', 'job_finished', 'run_finished']))
  })

  it('prints the returned data with --json', async () => {
    const result = await oracle('todos', 'src', '--json')
    expect(JSON.parse(result.stdout)).toEqual({
      report: '.oracle/todos.json',
      todos: [
        { file: 'src/app.ts', line: 2, marker: 'TODO', text: '// TODO: localise the greeting' },
        { file: 'src/app.ts', line: 6, marker: 'FIXME', text: '// FIXME: remove once the new router ships' },
      ],
    })
  })

  it('runs the intent on its own with `oracle intent run`', async () => {
    const command = blocks.find((b) => b.lang === 'sh' && b.code.includes('intent run'))?.code.trim() as string
    const args = command.replace(/^npx oracle /, '').match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'|'$/g, ''))
    const result = await oracle(...args)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('job todo.scan-file: ok')
    expect(result.stdout).toContain('"marker":"TODO"')
  })

  it('passes the plugin check the tutorial writes with @oraclekit/kernel/testing', async () => {
    const result = await execa('node', ['test/todo-scan.check.mjs'], { cwd: project.dir, env: childEnv(), extendEnv: false, reject: false })
    expect(String(result.stderr)).toBe('')
    expect(result.exitCode).toBe(0)
    expect(String(result.stdout)).toBe('todo-scan: ok')
  })

  it('refuses a directory outside the workspace with a coded error and exit 3', async () => {
    const result = await oracle('todos', '../elsewhere')
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('ORACLE_PATH_OUTSIDE_ROOT')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('reports a misspelt plugin option with its line, as the tutorial says', async () => {
    const config = await project.read('oracle.config.ts')
    await project.write('oracle.config.ts', config.replace("todoScan({ markers: ['TODO', 'FIXME'] })", "todoScan({ markrs: ['TODO'] } as never)"))
    try {
      const result = await oracle('todos', 'src')
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain('ORACLE_CONFIG_INVALID')
      expect(result.stderr).toMatch(/oracle\.config\.ts:5:\d+ plugins\[0\]\.options\.markrs: unknown key "markrs"/)
      expect(result.stderr).toContain('Did you mean "markers"?')
    } finally {
      await project.write('oracle.config.ts', config)
    }
  })
})

describe('the tutorial and the example workspace', () => {
  it.each(['plugins/todo-scan/index.ts', 'plugins/todo-scan/scan-file.ts'])('show the same %s', async (file) => {
    const fromDoc = files.find((b) => b.title === file)?.code
    expect(fromDoc).toBe(await readFile(join(REPO_ROOT, 'examples/workspace', file), 'utf8'))
  })
})
