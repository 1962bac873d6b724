// Test helpers (not exported from the package): temporary workspaces that resolve the repo's
// node_modules, so configs and plugins in them can import @oraclekit/kernel like a user's would.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type TempWorkspace, createTempWorkspace } from '../testing.js'

export type { TempWorkspace } from '../testing.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export function makeWorkspace(files: Record<string, string> = {}, options: { nodeModules?: boolean } = {}): Promise<TempWorkspace> {
  return createTempWorkspace({ files, prefix: 'oraclekit-test-', ...(options.nodeModules === false ? {} : { nodeModules: join(REPO_ROOT, 'node_modules') }) })
}
