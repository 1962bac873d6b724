// The documentation stays true: flags, commands and error codes are documented, config examples
// load, the README's quick start exists, and relative links resolve.
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { BUILTINS, GLOBAL_OPTIONS } from '@oraclekit/cli'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, type TempDir, extractBlocks, makeTempDir, readDoc, runOracle } from './helpers.js'

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !/\.test(-d)?\.ts$/.test(e.name) && !e.parentPath.includes('_test'))
    .map((e) => join(e.parentPath, e.name))
}

describe('docs/cli.md', () => {
  it('documents every global flag and every flag of every built-in command', async () => {
    const doc = await readDoc('cli.md')
    const flags = [...Object.keys(GLOBAL_OPTIONS), ...BUILTINS.flatMap((b) => Object.keys(b.definition.options ?? {}))]
    const missing = flags.filter((flag) => !doc.includes(`\`--${flag}`))
    expect(missing).toEqual([])
    for (const [name, def] of Object.entries(GLOBAL_OPTIONS)) if (def.short) expect(doc).toContain(`\`-${def.short}\`, \`--${name}\``)
  })

  it('documents every built-in command', async () => {
    const doc = await readDoc('cli.md')
    for (const builtin of BUILTINS) expect(doc).toContain(`### \`oracle ${builtin.definition.name}`)
  })

  it('lists what --help prints', async () => {
    const help = await runOracle(['--help'], { cwd: REPO_ROOT })
    const doc = await readDoc('cli.md')
    const printed = [...help.stdout.matchAll(/--([a-z-]+)/g)].map((m) => m[1] as string)
    expect(printed.length).toBeGreaterThan(5)
    for (const flag of printed) expect(doc).toContain(`--${flag}`)
  })
})

describe('docs/errors.md', () => {
  it('documents every error code the kernel and the CLI can raise', async () => {
    const doc = await readDoc('errors.md')
    const files = [...(await sources(join(REPO_ROOT, 'packages/kernel/src'))), ...(await sources(join(REPO_ROOT, 'packages/cli/src')))]
    const codes = new Set<string>()
    for (const file of files) for (const match of (await readFile(file, 'utf8')).matchAll(/'(ORACLE_[A-Z0-9_]+)'/g)) codes.add(match[1] as string)
    expect(codes.size).toBeGreaterThan(10)
    expect([...codes].filter((code) => !doc.includes(`\`${code}\``))).toEqual([])
  })
})

describe('docs/configuration.md', () => {
  let ws: TempDir
  beforeAll(async () => {
    ws = await makeTempDir({ linkNodeModules: true })
  })
  afterAll(() => ws.cleanup())

  it('has config examples that load and validate', async () => {
    const examples = extractBlocks(await readDoc('configuration.md')).filter((b) => b.title?.startsWith('oracle.config.'))
    expect(examples.length).toBeGreaterThanOrEqual(2)
    for (const [index, example] of examples.entries()) {
      await ws.write(`ex${index}/${example.title}`, example.code)
      const result = await runOracle(['plugins', '--json'], { cwd: ws.path(`ex${index}`) })
      expect(result.exitCode, `${example.title}: ${result.stdout}${result.stderr}`).toBe(0)
      expect(JSON.parse(result.stdout).configFile).toBe(ws.path(`ex${index}`, example.title as string))
    }
  })
})

describe('README', () => {
  it('gives a two-command quick start whose commands exist', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8')
    const quickStart = extractBlocks(readme.slice(readme.indexOf('## Quick start')))[0]?.code ?? ''
    const commands = quickStart.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean)
    expect(commands).toEqual(['npm run example', 'npm test'])
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.example).toBeDefined()
    expect(pkg.scripts.test).toContain('nx run-many')
    expect(await readFile(join(REPO_ROOT, '.ci/run'), 'utf8')).toMatch(/npm run example[\s\S]*npm test/)
  })
})

describe('links', () => {
  it('resolve from every Markdown page of docs/ and the README', async () => {
    const pages = [join(REPO_ROOT, 'README.md'), ...(await readdir(join(REPO_ROOT, 'docs'), { recursive: true })).filter((f) => f.endsWith('.md')).map((f) => join(REPO_ROOT, 'docs', f))]
    const broken: string[] = []
    for (const page of pages) {
      for (const match of (await readFile(page, 'utf8')).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = match[1] as string
        if (/^[a-z]+:/.test(target)) continue
        if (!existsSync(join(dirname(page), target))) broken.push(`${page.slice(REPO_ROOT.length)} → ${target}`)
      }
    }
    expect(broken).toEqual([])
  })
})
