import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { changedSince, forbiddenHits, gitChangedFiles, gitDiffStat, gitSnapshot } from './git.js'
import { globToRegExp } from './glob.js'

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' })

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orch-git-'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

async function repo(files: Record<string, string>): Promise<void> {
  git(root, 'init', '-q', '.')
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), text)
  }
  git(root, 'add', '-A')
  git(root, 'commit', '-q', '-m', 'init')
}

describe('globToRegExp', () => {
  it.each([
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['**/secret?.txt', 'a/secret1.txt', true],
    ['**/secret?.txt', 'secret12.txt', false],
    ['a.b', 'aXb', false],
    ['dist/', 'dist/x/y.js', true],
  ])('%s against %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected)
  })
})

describe('forbiddenHits', () => {
  const changed = ['.env', 'README.md', 'secrets/key.pem', 'src/a.ts', 'src/gen/b.ts', 'vendor/lib/x.js']
  it.each([
    { forbidden: [], hits: [] },
    { forbidden: ['secrets/**'], hits: ['secrets/key.pem'] },
    { forbidden: ['secrets'], hits: ['secrets/key.pem'] },
    { forbidden: ['secrets/'], hits: ['secrets/key.pem'] },
    { forbidden: ['.env'], hits: ['.env'] },
    { forbidden: ['src/*.ts'], hits: ['src/a.ts'] },
    { forbidden: ['src/**/*.ts'], hits: ['src/a.ts', 'src/gen/b.ts'] },
    { forbidden: ['**/*.js', 'README.??'], hits: ['README.md', 'vendor/lib/x.js'] },
    { forbidden: ['./vendor/**'], hits: ['vendor/lib/x.js'] },
    { forbidden: ['docs/**'], hits: [] },
  ])('$forbidden', ({ forbidden, hits }) => {
    expect(forbiddenHits(changed, forbidden)).toEqual(hits)
  })
})

describe('changedSince', () => {
  it('reports files added, modified and deleted during the task, not those unchanged', async () => {
    await repo({ 'keep.txt': 'k', 'mod.txt': 'm', 'del.txt': 'd', 'dirty.txt': 'x' })
    // dirty before the task and left alone: not the task's change
    await writeFile(join(root, 'dirty.txt'), 'x2')
    const snapshot = await gitSnapshot(root)
    expect([...(snapshot?.files.keys() ?? [])]).toEqual(['dirty.txt'])
    await writeFile(join(root, 'mod.txt'), 'm2')
    await unlink(join(root, 'del.txt'))
    await mkdir(join(root, 'new'))
    await writeFile(join(root, 'new/added.txt'), 'a')
    expect(await changedSince(snapshot)).toEqual(['del.txt', 'mod.txt', 'new/added.txt'])
  })

  it('sees a file dirty before the task that the task modified again, or reverted', async () => {
    await repo({ 'a.txt': 'a', 'b.txt': 'b' })
    await writeFile(join(root, 'a.txt'), 'a2')
    await writeFile(join(root, 'b.txt'), 'b2')
    const snapshot = await gitSnapshot(root)
    await writeFile(join(root, 'a.txt'), 'a3')
    await writeFile(join(root, 'b.txt'), 'b')
    expect(await changedSince(snapshot)).toEqual(['a.txt', 'b.txt'])
  })

  it('counts files committed during the task', async () => {
    await repo({ 'a.txt': 'a' })
    const snapshot = await gitSnapshot(root)
    await writeFile(join(root, 'c.txt'), 'c')
    git(root, 'add', 'c.txt')
    git(root, 'commit', '-q', '-m', 'c')
    expect(await changedSince(snapshot)).toEqual(['c.txt'])
  })

  it('works for a workspace inside a repository, with paths relative to the workspace', async () => {
    await repo({ 'outside.txt': 'o', 'ws/in.txt': 'i' })
    const ws = join(root, 'ws')
    const snapshot = await gitSnapshot(ws)
    await writeFile(join(root, 'outside.txt'), 'o2')
    await writeFile(join(ws, 'in.txt'), 'i2')
    await writeFile(join(ws, 'new.txt'), 'n')
    expect(await changedSince(snapshot)).toEqual(['in.txt', 'new.txt'])
    expect(await gitChangedFiles(ws)).toEqual(['in.txt', 'new.txt'])
  })

  it('is undefined outside a git repository', async () => {
    const snapshot = await gitSnapshot(root)
    expect(snapshot).toBeUndefined()
    expect(await changedSince(snapshot)).toBeUndefined()
    expect(await gitChangedFiles(root)).toBeUndefined()
    expect(await gitDiffStat(root)).toBe('')
  })
})

describe('gitChangedFiles and gitDiffStat', () => {
  it('lists modified and untracked files, and what changed since a commit', async () => {
    await repo({ 'a.txt': 'a', 'b.txt': 'b' })
    const first = git(root, 'rev-parse', 'HEAD').trim()
    await writeFile(join(root, 'b.txt'), 'b2')
    git(root, 'commit', '-q', '-am', 'b')
    await writeFile(join(root, 'a.txt'), 'a2')
    await writeFile(join(root, 'u.txt'), 'u')
    expect(await gitChangedFiles(root)).toEqual(['a.txt', 'u.txt'])
    expect(await gitChangedFiles(root, first)).toEqual(['a.txt', 'b.txt', 'u.txt'])
    expect(await gitDiffStat(root)).toMatch(/a\.txt \| 2 \+-/)
  })

  it('limits the diff stat to the workspace inside a larger repository, staged changes too', async () => {
    await repo({ 'outside.txt': 'o', 'ws/in.txt': 'i', 'ws/staged.txt': 's' })
    await writeFile(join(root, 'outside.txt'), 'o2')
    await writeFile(join(root, 'ws/in.txt'), 'i2')
    await writeFile(join(root, 'ws/staged.txt'), 's2')
    git(root, 'add', 'ws/staged.txt')
    const stat = await gitDiffStat(join(root, 'ws'))
    expect(stat).toMatch(/^ in\.txt +\| 2 \+-$/m)
    expect(stat).toMatch(/^ staged\.txt +\| 2 \+-$/m)
    expect(stat).not.toContain('outside')
  })
})
