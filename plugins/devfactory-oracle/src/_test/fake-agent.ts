// Test code only: a takeover agent as a real process. It records what it got (argv, cwd, stdin)
// in agent-seen.json, then behaves as its first argument says:
//   ok    print, exit 0            fail  print to stderr, exit 3
//   hang  start a grandchild, write both pids to agent-pids.json, never exit
//   wait  exit 0 once the file release.txt exists in the workspace
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const SCRIPT = `
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
const [mode, ...rest] = process.argv.slice(2)
let stdin = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (c) => { stdin += c })
process.stdin.on('end', () => {
  const promptArg = rest[0]
  writeFileSync('agent-seen.json', JSON.stringify({ mode, rest, cwd: process.cwd(), stdin, promptFile: existsSync(promptArg ?? '') ? readFileSync(promptArg, 'utf8') : null }))
  if (mode === 'ok') { console.log('implemented the task'); process.exit(0) }
  if (mode === 'fail') { console.error('boom: cannot compile'); process.exit(3) }
  if (mode === 'hang') {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    writeFileSync('agent-pids.json', JSON.stringify({ agent: process.pid, grandchild: child.pid }))
    setInterval(() => {}, 1000)
  }
  if (mode === 'wait') setInterval(() => { if (existsSync('release.txt')) process.exit(0) }, 20)
})
`

/** Writes the agent into `dir` and returns the argv prefix to run it in `mode`. */
export async function writeFakeAgent(dir: string): Promise<(mode: 'ok' | 'fail' | 'hang' | 'wait') => string[]> {
  const file = join(dir, 'fake-agent.mjs')
  await writeFile(file, SCRIPT)
  return (mode) => [process.execPath, file, mode, '{prompt_file}', '{task_id}', '{root}']
}
