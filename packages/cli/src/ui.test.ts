// CommandContext.ui: the live status line goes to stderr only when a person watches; streamed
// lines go to stdout at once, in order with the command's result; notes go to stderr in every mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Workspace, workspace } from './_test/harness.js'
import { main } from './main.js'

const PLUGIN = `
export default {
  plugins: [{
    name: 'ui',
    commands: [{
      name: 'progress',
      summary: 'Shows a status line and streams two lines',
      run(ctx) {
        ctx.ui.status('1/2 done')
        ctx.ui.line('{"event":"a"}')
        ctx.ui.status('2/2 done')
        ctx.ui.line('{"event":"b"}')
        return { text: 'interactive=' + ctx.ui.interactive }
      },
    }, {
      name: 'notes',
      summary: 'Writes two notes around a status line',
      run(ctx) {
        ctx.ui.note('checked 5 workers')
        ctx.ui.status('waiting')
        ctx.ui.note('be-2 stuck')
        return { data: { ok: true }, text: 'done' }
      },
    }],
  }],
}
`

let ws: Workspace
beforeAll(async () => {
  ws = await workspace({ 'oracle.config.mjs': PLUGIN })
})
afterAll(() => ws.cleanup())

async function run(argv: string[], isTTY: boolean, env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY }, env: { NO_COLOR: '1', ...env }, cwd: ws.dir })
  return { code, stdout, stderr }
}

const CLEAR = '\r\x1b[2K'

describe('CommandContext.ui', () => {
  it('on a TTY: draws the status line on stderr, clears it before each streamed line and at the end', async () => {
    const result = await run(['progress'], true)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('{"event":"a"}\n{"event":"b"}\ninteractive=true\n')
    expect(result.stderr).toBe(`${CLEAR}1/2 done${CLEAR}${CLEAR}2/2 done${CLEAR}`)
  })

  it.each([
    ['a pipe', [], false, {}],
    ['--ci', ['--ci'], true, {}],
    ['ORACLE_CI=1', [], true, { ORACLE_CI: '1' }],
  ] as const)('with %s: no status line, the streamed lines unchanged', async (_, flags, isTTY, env) => {
    const result = await run(['progress', ...flags], isTTY, env)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe('{"event":"a"}\n{"event":"b"}\ninteractive=false\n')
  })

  it('notes: on stderr at once in every mode, clearing the status line first; stdout keeps the result', async () => {
    const tty = await run(['notes'], true)
    expect(tty.stderr).toBe(`checked 5 workers\n${CLEAR}waiting${CLEAR}be-2 stuck\n`)
    expect(tty.stdout).toBe('done\n')
    for (const flags of [['--ci'], ['--json']]) {
      const result = await run(['notes', ...flags], false)
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('checked 5 workers\nbe-2 stuck\n')
    }
    expect((await run(['notes', '--json'], false)).stdout).toBe('{\n  "ok": true\n}\n')
  })
})
