// `@oraclekit/kernel/testing`: helpers for testing plugins (and OracleKit itself) against real
// files, real worker threads and the real CLI.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A temporary directory to run a config, a command or an intent in. */
export interface TempWorkspace {
  readonly dir: string
  path(...parts: string[]): string
  /** Writes a file (creating its directories) and returns its absolute path. */
  write(file: string, text: string): Promise<string>
  read(file: string): Promise<string>
  exists(file: string): boolean
  cleanup(): Promise<void>
}

export interface TempWorkspaceOptions {
  /** Files to write, by path relative to the workspace. */
  files?: Record<string, string>
  /**
   * A node_modules directory to link into the workspace, so that its config and plugins resolve
   * packages (`@oraclekit/kernel`, your plugin) as in your project. Default: none.
   */
  nodeModules?: string
  /** Prefix of the directory name under the system's temporary directory. */
  prefix?: string
}

/** Creates a workspace under the system's temporary directory; `cleanup()` removes it. */
export async function createTempWorkspace(options: TempWorkspaceOptions = {}): Promise<TempWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), options.prefix ?? 'oraclekit-'))
  if (options.nodeModules) await symlink(options.nodeModules, join(dir, 'node_modules'), 'dir')
  const workspace: TempWorkspace = {
    dir,
    path: (...parts) => join(dir, ...parts),
    async write(file, text) {
      const target = join(dir, file)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, text)
      return target
    },
    read: (file) => readFile(join(dir, file), 'utf8'),
    exists: (file) => existsSync(join(dir, file)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
  for (const [file, text] of Object.entries(options.files ?? {})) await workspace.write(file, text)
  return workspace
}
