// Each first-party plugin's page documents its commands, every flag and every code, and its
// examples work: config blocks load, and `sh title="example"` lines run on the example workspace.
import { cp, readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { OraclePlugin } from '@oraclekit/kernel'
import actionizer from '@oraclekit/actionizer'
import workOrderPlanner from '@oraclekit/work-order-planner'
import fleetOps from '@oraclekit/fleet-ops'
import orchestrator from '@oraclekit/orchestrator'
import devfactoryOracle from '@oraclekit/devfactory-oracle'
import dash from '@oraclekit/dash'
import oraclepackRunner from '@oraclekit/oraclepack-runner'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, type TempDir, extractBlocks, makeTempDir, readDoc, runOracle } from './helpers.js'

interface PluginDoc {
  page: string
  plugin: OraclePlugin
  src: string
  /** Finding codes (besides ORACLE_* errors) the page must list. */
  findingCodes?: RegExp
  /** The example folder the page's `sh title="example"` lines run in (default examples/workspace). */
  example?: string
}

const PLUGINS: PluginDoc[] = [
  { page: 'plugins/oraclepack.md', plugin: oraclepackRunner(), src: 'plugins/oraclepack-runner/src', findingCodes: /'(PACK_[A-Z0-9_]+)'/g },
  { page: 'plugins/actionizer.md', plugin: actionizer(), src: 'plugins/actionizer/src' },
  { page: 'plugins/planner.md', plugin: workOrderPlanner(), src: 'plugins/work-order-planner/src', example: 'examples/fleet' },
  { page: 'plugins/fleet-ops.md', plugin: fleetOps(), src: 'plugins/fleet-ops/src', example: 'examples/fleet' },
  { page: 'plugins/orchestrator.md', plugin: orchestrator(), src: 'plugins/orchestrator/src', example: 'examples/orchestrate' },
  { page: 'plugins/devfactory.md', plugin: devfactoryOracle(), src: 'plugins/devfactory-oracle/src', example: 'examples/devfactory' },
  { page: 'plugins/dash.md', plugin: dash(), src: 'plugins/dash/src', example: 'examples/dash' },
]

async function sourceText(dir: string): Promise<string> {
  const entries = await readdir(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
  const files = entries.filter((e) => e.isFile() && /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) && !e.parentPath.includes('_test') && !e.parentPath.includes('_fixtures'))
  return (await Promise.all(files.map((e) => readFile(join(e.parentPath, e.name), 'utf8')))).join('\n')
}

describe.each(PLUGINS)('docs/$page', ({ page, plugin, src, findingCodes, example = 'examples/workspace' }) => {
  it('documents every command and every flag', async () => {
    const doc = await readDoc(page)
    for (const command of plugin.commands ?? []) {
      expect(doc, command.name).toContain(`oracle ${command.name}`)
      const missing = Object.keys(command.options ?? {}).filter((flag) => !doc.includes(`\`--${flag}`))
      expect(missing, command.name).toEqual([])
    }
  })

  it('lists its error codes in docs/errors.md and its finding codes on the page', async () => {
    const code = await sourceText(src)
    const errors = await readDoc('errors.md')
    // Error codes are what `new OracleError(…)` is given (ORACLE_* strings also name env variables).
    const oracleCodes = [...new Set([...code.matchAll(/OracleError\(\s*'(ORACLE_[A-Z0-9_]+)'/g)].map((m) => m[1] as string))]
    expect(oracleCodes.length).toBeGreaterThan(0)
    expect(oracleCodes.filter((c) => !errors.includes(`\`${c}\``))).toEqual([])
    if (findingCodes) {
      const doc = await readDoc(page)
      const findings = [...new Set([...code.matchAll(findingCodes)].map((m) => m[1] as string))]
      expect(findings.length).toBeGreaterThan(10)
      expect(findings.filter((c) => !doc.includes(`\`${c}\``))).toEqual([])
    }
  })

  describe('examples', () => {
    let ws: TempDir
    beforeAll(async () => {
      ws = await makeTempDir({ linkNodeModules: true })
      // A copy of the example, without the state a run leaves there.
      await cp(join(REPO_ROOT, example), ws.dir, { recursive: true, filter: (source) => !/[/\\](\.oracle(pack)?|nexus)$/.test(source) })
    })
    afterAll(() => ws.cleanup())

    it('has config blocks that load', async () => {
      const configs = extractBlocks(await readDoc(page)).filter((b) => b.title?.startsWith('oracle.config.'))
      expect(configs.length).toBeGreaterThan(0)
      for (const [index, block] of configs.entries()) {
        await ws.write(`config-${index}/${block.title}`, block.code)
        const result = await runOracle(['plugins', '--json'], { cwd: ws.path(`config-${index}`) })
        expect(result.exitCode, `${page}:${block.line}: ${result.stdout}${result.stderr}`).toBe(0)
        expect(JSON.parse(result.stdout).plugins.map((p: { name: string }) => p.name)).toContain(plugin.name)
      }
    })

    it(`has example commands that run on ${example}`, async () => {
      const lines = extractBlocks(await readDoc(page))
        .filter((b) => b.lang === 'sh' && b.title === 'example')
        .flatMap((b) => b.code.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => ({ line: b.line, command: l.trim() })))
      expect(lines.length).toBeGreaterThan(2)
      for (const { line, command } of lines) {
        expect(command.startsWith('oracle '), `${page}:${line}: ${command}`).toBe(true)
        const result = await runOracle(command.slice('oracle '.length).split(/\s+/), { cwd: ws.dir, env: { OPENAI_API_KEY: '', OPENROUTER_API_KEY: '' } })
        expect(result.exitCode, `${page}:${line}: ${command}\n${result.stdout}${result.stderr}`).toBe(0)
      }
    })
  })
})
