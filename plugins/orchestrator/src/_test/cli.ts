// The orchestrator's end-to-end tests: a temporary workspace whose config loads this plugin's
// build, plans written as YAML, and the real `oracle` CLI.

import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type NodeRun, type TempWorkspace, createTempWorkspace, startNode } from '@oraclekit/kernel/testing'

export { hashTree } from '@oraclekit/kernel/testing'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI = join(REPO_ROOT, 'packages/cli/bin/oracle.js')
const PLUGIN = pathToFileURL(join(REPO_ROOT, 'plugins/orchestrator/dist/index.js')).href

export type Result = NodeRun

export async function workspace(files: Record<string, string>): Promise<TempWorkspace> {
  return createTempWorkspace({ prefix: 'orchestrate-', files: { 'oracle.config.mjs': `import orchestrator from ${JSON.stringify(PLUGIN)}\nexport default { plugins: [orchestrator()] }\n`, ...files } })
}

export const start = (cwd: string, args: string[]): { child: ChildProcess; done: Promise<Result> } => startNode(CLI, args, { cwd })

export const oracle = (cwd: string, args: string[]): Promise<Result> => start(cwd, args).done

/** A task step as a node one-liner (the orchestrator runs argv, no shell). */
export const node = (code: string): string[] => ['node', '-e', code]
