import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExecOptions, ExecResult } from '@oraclekit/kernel/intent'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Check } from '../types.js'
import { runCheck } from './checks.js'

function exec(file: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 0, env: { ...process.env, ...options.env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0
      const signal = error?.signal ?? undefined
      resolve({ command: [file, ...args].join(' '), exitCode: code, signal, stdout, stderr, failed: Boolean(error), timedOut: Boolean(error?.killed && signal) })
    })
  })
}

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'orch-checks-'))
  await mkdir(join(root, 'src/deep'), { recursive: true })
  await writeFile(join(root, 'src/error.rs'), 'pub enum AppError {}\n')
  await writeFile(join(root, 'src/lib.rs'), 'mod error;\n')
  await writeFile(join(root, 'src/deep/x.rs'), 'struct Hidden;\n')
  await writeFile(join(root, 'README.md'), 'readme\n')
})
afterAll(() => rm(root, { recursive: true, force: true }))

const node = process.execPath
const cases: Array<{ name: string; check: Check; paths?: string[]; ok: boolean; detail: RegExp }> = [
  { name: 'tests_pass, exit 0', check: { kind: 'tests_pass', text: 'Tests pass', argv: [node, '-e', 'process.exit(0)'] }, ok: true, detail: /passed$/ },
  { name: 'tests_pass, exit 1 with the last stderr line', check: { kind: 'tests_pass', text: 'Tests pass', argv: [node, '-e', 'console.error("a\\n2 tests failed"); process.exit(1)'] }, ok: false, detail: /exited 1: 2 tests failed$/ },
  { name: 'tests_pass, last stdout line when stderr is empty', check: { kind: 'tests_pass', text: 'Tests pass', argv: [node, '-e', 'console.log("boom"); process.exit(3)'] }, ok: false, detail: /exited 3: boom$/ },
  { name: 'tests_pass, runs in the workspace root', check: { kind: 'tests_pass', text: 'cwd', argv: [node, '-e', 'process.exit(require("fs").existsSync("README.md") ? 0 : 1)'] }, ok: true, detail: /passed/ },
  { name: 'exit_code, matching', check: { kind: 'exit_code', text: 'Exit 2', code: 2, argv: [node, '-e', 'process.exit(2)'] }, ok: true, detail: /exited 2$/ },
  { name: 'exit_code, not matching', check: { kind: 'exit_code', text: 'Exit 2', code: 2, argv: [node, '-e', 'process.exit(0)'] }, ok: false, detail: /exited 0 \(expected exit 2\)/ },
  { name: 'file_exists, present', check: { kind: 'file_exists', text: 'File exists', path: 'src/error.rs' }, ok: true, detail: /src\/error.rs exists/ },
  { name: 'file_exists, ./ prefix', check: { kind: 'file_exists', text: 'File exists', path: './README.md' }, ok: true, detail: /README.md exists/ },
  { name: 'file_exists, missing', check: { kind: 'file_exists', text: 'File exists', path: 'src/nope.rs' }, ok: false, detail: /does not exist/ },
  { name: 'file_exists, escaping the workspace', check: { kind: 'file_exists', text: 'File exists', path: '../etc/passwd' }, ok: false, detail: /not a path inside the workspace/ },
  { name: 'file_exists, absolute', check: { kind: 'file_exists', text: 'File exists', path: '/etc/passwd' }, ok: false, detail: /not a path inside the workspace/ },
  { name: 'contains, in a listed file', check: { kind: 'contains', text: 'Contains', needle: 'enum AppError' }, paths: ['src/error.rs'], ok: true, detail: /^found in src\/error.rs$/ },
  { name: 'contains, in a listed folder (one level)', check: { kind: 'contains', text: 'Contains', needle: 'mod error' }, paths: ['src/'], ok: true, detail: /^found in src\/lib.rs$/ },
  { name: 'contains, not below one level of a folder', check: { kind: 'contains', text: 'Contains', needle: 'struct Hidden' }, paths: ['src'], ok: false, detail: /^not found in src$/ },
  { name: 'contains, through a ** glob', check: { kind: 'contains', text: 'Contains', needle: 'struct Hidden' }, paths: ['src/**/*.rs'], ok: true, detail: /^found in src\/deep\/x.rs$/ },
  { name: 'contains, through a * glob', check: { kind: 'contains', text: 'Contains', needle: 'enum' }, paths: ['src/*.rs'], ok: true, detail: /^found in src\/error.rs$/ },
  { name: 'contains, absent', check: { kind: 'contains', text: 'Contains', needle: 'impl Display' }, paths: ['src/error.rs', 'src/lib.rs'], ok: false, detail: /^not found in src\/error.rs, src\/lib.rs$/ },
  { name: 'contains, no paths', check: { kind: 'contains', text: 'Contains', needle: 'x' }, paths: [], ok: false, detail: /names no paths/ },
  { name: 'manual', check: { kind: 'manual', text: 'Looks right' }, ok: true, detail: /^manual: recorded, not checked$/ },
]

describe('runCheck', () => {
  it.each(cases)('$name', async ({ check, paths, ok, detail }) => {
    const result = await runCheck(check, { rootDir: root, taskPaths: paths ?? [], exec })
    expect(result.ok).toBe(ok)
    expect(result.detail).toMatch(detail)
  })

  it('gives a command at most the time it is given', async () => {
    const result = await runCheck({ kind: 'tests_pass', text: 'slow', argv: [node, '-e', 'setTimeout(() => {}, 5000)'] }, { rootDir: root, taskPaths: [], exec, timeoutMs: 200 })
    expect(result).toEqual({ ok: false, detail: expect.stringMatching(/timed out after 200 ms/) })
  })
})
