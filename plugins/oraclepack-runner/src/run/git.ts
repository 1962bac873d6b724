import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/** The commit checked out in `dir`, or null outside a git work tree (or without git). */
export async function gitSha(dir: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 10_000 })
    const sha = stdout.trim()
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null
  } catch {
    return null
  }
}
