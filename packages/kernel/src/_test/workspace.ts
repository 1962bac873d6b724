// Test helpers (not exported from the package): temporary workspaces that resolve the repo's
// node_modules, so configs and plugins in them can import @oraclekit/kernel like a user's would.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export interface TempWorkspace {
  dir: string
  path(...parts: string[]): string
  write(file: string, text: string): Promise<string>
  cleanup(): Promise<void>
}

export async function makeWorkspace(files: Record<string, string> = {}, options: { nodeModules?: boolean } = {}): Promise<TempWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'oraclekit-test-'))
  if (options.nodeModules !== false) await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const workspace: TempWorkspace = {
    dir,
    path: (...parts) => join(dir, ...parts),
    async write(file, text) {
      const target = join(dir, file)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, text)
      return target
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
  for (const [file, text] of Object.entries(files)) await workspace.write(file, text)
  return workspace
}
