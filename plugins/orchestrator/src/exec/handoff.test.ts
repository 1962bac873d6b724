import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TaskSpec } from '../types.js'
import { INDEX_MAX_FILES, extractSymbols, renderHandoff, writeHandoff } from './handoff.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orch-handoff-'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

function task(overrides: Partial<TaskSpec> = {}): TaskSpec {
  return {
    id: 'EXC-001',
    title: 'Central exception handling',
    type: 'code_change',
    description: 'Add a central error type.',
    paths: [],
    commands: [{ name: 'test', argv: ['cargo', 'test'], timeoutMs: 60_000, retries: 0, backoffMs: 0 }],
    checks: [
      { kind: 'file_exists', text: 'File exists: src/error.rs', path: 'src/error.rs' },
      { kind: 'manual', text: 'Reads well' },
    ],
    dependencies: [],
    shards: [{ id: 'EXC-001A', title: 'Define AppError', checks: [{ kind: 'contains', text: 'Contains: enum AppError', needle: 'enum AppError' }] }],
    approvals: [],
    forbiddenPaths: ['secrets/**'],
    timeboxMs: 600_000,
    source: 'orchestrator.yml:12',
    ...overrides,
  }
}

describe('extractSymbols', () => {
  it.each([
    ['a.ts', 'export async function load() {}\nexport class Box {}\nexport const x = 1\nexport interface I {}\nexport type T = 1\nfunction hidden() {}\n', ['class Box', 'interface I', 'type T', 'function load', 'const x']],
    ['a.py', 'def run():\n    def inner(): pass\nclass Thing:\n    pass\nasync def go(): pass\n', ['class Thing', 'def go', 'def run']],
    ['a.go', 'package a\nfunc Run() {}\nfunc (s *Server) Serve() {}\ntype Server struct{}\n', ['func Run', 'func Serve', 'type Server']],
    ['a.rs', 'pub enum AppError {}\nstruct Inner;\npub trait Show {}\nimpl X {\n    pub fn new() -> Self {}\n}\n', ['enum AppError', 'struct Inner', 'trait Show', 'fn new']],
    ['a.md', '# export function nope', []],
  ])('%s', (path, text, expected) => {
    expect(extractSymbols(path, text).symbols.map((symbol) => `${symbol.kind} ${symbol.name}`)).toEqual(expected)
  })

  it('is sorted, unique and bounded', () => {
    const text = Array.from({ length: 40 }, (_, i) => `export function f${String(39 - i).padStart(2, '0')}() {}`).join('\n')
    const { symbols, more } = extractSymbols('a.ts', `${text}\nexport function f00() {}\n`)
    expect(symbols).toHaveLength(30)
    expect(symbols[0]?.name).toBe('f00')
    expect(symbols[29]?.name).toBe('f29')
    expect(more).toBe(10)
  })
})

describe('writeHandoff', () => {
  it('writes the task, constraints, checks, commands and an index of the hinted files', async () => {
    await mkdir(join(root, 'src/nested'), { recursive: true })
    await writeFile(join(root, 'src/lib.rs'), 'pub mod error;\npub fn run() {}\n')
    await writeFile(join(root, 'src/main.rs'), 'fn main() {}\n')
    await writeFile(join(root, 'src/nested/deep.rs'), 'fn deep() {}\n')
    const path = await writeHandoff({ rootDir: root, task: task({ paths: ['src/', 'src/error.rs'] }), runId: 'run-1', file: 'orchestrator.yml' })
    expect(path).toBe('.codex/handoff/EXC-001.md')
    const text = await readFile(join(root, path), 'utf8')
    expect(text).toContain('# Handoff: EXC-001 — Central exception handling')
    expect(text).toContain('Run `run-1` · plan `orchestrator.yml` (orchestrator.yml:12)')
    expect(text).toContain('Add a central error type.')
    expect(text).toContain('- Forbidden paths: `secrets/**`')
    expect(text).toContain('- Timebox: 10 min')
    expect(text).toContain('- File exists: src/error.rs')
    expect(text).toContain('- Reads well _(manual: not checked automatically)_')
    expect(text).toContain('### Shard EXC-001A — Define AppError\n\n- Contains: enum AppError')
    expect(text).toContain('- test: `cargo test`')
    expect(text).toContain('### src/lib.rs (31 bytes)\n- `fn run`\n### src/main.rs (13 bytes)\n- `fn main`')
    // folders are scanned one level only
    expect(text).not.toContain('deep.rs')
    expect(text).toContain('- src/error.rs _(does not exist yet)_')
    // deterministic
    expect(await renderHandoff({ rootDir: root, task: task({ paths: ['src/', 'src/error.rs'] }), runId: 'run-1', file: 'orchestrator.yml' })).toBe(text)
  })

  it('stops the index at 50 files and ignores hints outside the workspace', async () => {
    await mkdir(join(root, 'many'))
    for (let i = 0; i < 60; i++) await writeFile(join(root, 'many', `f${String(i).padStart(2, '0')}.ts`), `export const v${i} = ${i}\n`)
    const text = await renderHandoff({ rootDir: root, task: task({ paths: ['many', '../elsewhere'] }), runId: 'r', file: 'p.yml' })
    expect(text.match(/^### many\//gm)).toHaveLength(INDEX_MAX_FILES)
    expect(text).toContain('### many/f49.ts')
    expect(text).not.toContain('### many/f50.ts')
    expect(text).toContain('_Index stops at 50 files._')
    expect(text).toContain('- ../elsewhere _(outside the workspace: not indexed)_')
  })
})
