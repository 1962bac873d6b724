import { describe, expect, it } from 'vitest'
import { bashArgvs, oneStep } from './_fixtures/build-pack.js'
import { parsePack, readOracleArgs } from './parse.js'

const bash = (block: string, before = '# Pack\n\n', after = '\n'): string => `${before}\`\`\`bash\n${block}\n\`\`\`${after}`

describe('parsePack: oraclepack-compatible structure', () => {
  it.each([
    ['# 01)', '01'],
    ['#01)', '01'],
    ['# 01) ROI=1', '01'],
    ['# 07 — Title', '07'],
    ['# 07 - Title', '07'],
    ['#07  -title', '07'],
    ['   # 12) indented', '12'],
    ['# 01)no space', '01'],
  ])('accepts the header %j as step %s', (header, id) => {
    const pack = parsePack(bash(`${header}\noracle -p hi`))
    expect(pack.steps.map((s) => s.id)).toEqual([id])
    expect(pack.steps[0]!.number).toBe(Number(id))
  })

  it.each(['# 1)', '# 001)', '# 01', '# 01: x', '## 01)', '# 01 – en dash', '# 01 x', 'echo # 01)', '#1)'])('does not take %j for a header', (line) => {
    expect(parsePack(bash(`${line}\noracle -p hi`)).steps).toEqual([])
  })

  it.each([
    ['# 01) ROI=4.2 impact=High', 4.2, '# 01)  impact=High'],
    ['# 01) impact=High ROI=3 effort=Low', 3, '# 01) impact=High  effort=Low'],
    ['  # 01) ROI=2.5  ', 2.5, '# 01)'],
    ['# 01) ROI=1.5 again ROI=9', 1.5, '# 01)  again ROI=9'],
    ['  # 01) no roi  ', 0, '  # 01) no roi  '],
  ])('takes the ROI of %j as oraclepack does (roi %s, title %j)', (header, roi, title) => {
    const [step] = parsePack(bash(`${header}\noracle -p hi`)).steps
    expect(step).toMatchObject({ roi, title })
  })

  it('falls back to a `# ROI: n` body comment, and to 0', () => {
    const pack = parsePack(bash('# 01) a\n  # ROI: 3.25\noracle -p hi\n# 02) ROI=1.5 b\n# ROI: 9\noracle -p hi\n# 03) c\noracle -p "ROI: 7"'))
    expect(pack.steps.map((s) => s.roi)).toEqual([3.25, 1.5, 0])
  })

  it('splits prelude and steps line by line, with 1-based file lines', () => {
    const text = bash('out_dir=out\n\n# 01) a\noracle -p one\n\n# 02 - b\noracle -p two')
    const pack = parsePack(text)
    expect(pack.fenceLine).toBe(3)
    expect(pack.prelude.code).toBe('out_dir=out\n')
    expect(pack.steps.map(({ id, line, endLine, code }) => ({ id, line, endLine, code }))).toEqual([
      { id: '01', line: 6, endLine: 8, code: 'oracle -p one\n\n' },
      { id: '02', line: 9, endLine: 10, code: 'oracle -p two\n' },
    ])
    expect(pack.steps[1]!.invocations[0]).toMatchObject({ line: 10, endLine: 10 })
  })

  it('reads only the first ```bash fence and counts them all', () => {
    const pack = parsePack(bash('# 01) a\noracle -p one', '# Pack\n\n', '\n\n```bash\n# 02) b\noracle -p two\n```\n'))
    expect(pack.bashBlocks).toBe(2)
    expect(pack.steps.map((s) => s.id)).toEqual(['01'])
  })

  it.each([
    ['no fence', '# Pack\n\njust text\n'],
    ['a fence in another language', '```sh\n# 01)\noracle -p hi\n```\n'],
    ['text after ```bash on the fence line', '```bash title\n# 01)\noracle -p hi\n```\n'],
    ['an unclosed fence', '```bash\n# 01)\noracle -p hi\n'],
  ])('finds no bash block with %s', (_name, text) => {
    expect(parsePack(text)).toEqual({ text, bashBlocks: 0, prelude: { code: '', vars: {} }, writeOutput: false, steps: [], findings: [] })
  })

  it('parses a pack without a trailing newline and one with CRLF line ends the same way', () => {
    const lf = bash('out_dir=out\n# 01) ROI=2 a\noracle \\\n  -p "two\nlines"', '# Pack\n', '')
    const crlf = lf.replace(/\n/g, '\r\n')
    const [a, b] = [parsePack(lf), parsePack(crlf)]
    expect(b.steps).toEqual(a.steps)
    expect(a.steps[0]!.invocations[0]!.prompt).toBe('two\nlines')
    expect(a.findings).toEqual([])
    expect(b.findings.map((f) => [f.code, f.severity, f.line])).toEqual([['PACK_CRLF', 'warning', undefined]])
    expect(b.text).toBe(crlf)
  })

  it('ends the block at the first line starting with ```, even inside a prompt, as oraclepack does', () => {
    const pack = parsePack(bash('# 01)\noracle -p "see:\n```json\n{}\n```\nend"'))
    expect(pack.steps[0]!.code).toBe('oracle -p "see:\n')
    expect(pack.findings.map((f) => [f.code, f.line])).toEqual([['PACK_SHELL_UNTERMINATED', 5]])
  })
})

describe('parsePack: prelude', () => {
  it('expands assignments in order, with export, and takes out_dir by oraclepack\'s regex', () => {
    const pack = parsePack(oneStep('oracle -p "$title" --write-output "$out_dir/01-x.md"', "base=docs/oracle\nout_dir=\"$base/2026\"\nexport title='Q: $1'\nmkdir -p \"$out_dir\""))
    expect(pack.prelude.vars).toEqual({ base: 'docs/oracle', out_dir: 'docs/oracle/2026', title: 'Q: $1' })
    expect(pack.outDir).toBe('$base/2026')
    expect(pack.steps[0]!.invocations[0]).toMatchObject({ prompt: 'Q: $1', writeOutput: { value: 'docs/oracle/2026/01-x.md', line: 9 } })
    expect(pack.findings).toEqual([])
  })

  it.each([
    ['out_dir="a/b"', 'a/b'],
    ["out_dir='a/b'", 'a/b'],
    ['out_dir=a/b # note', 'a/b'],
    ['  out_dir=a/b', undefined],
    ['export out_dir=a/b', undefined],
  ])('reads out_dir from %j as %j', (line, outDir) => {
    expect(parsePack(oneStep('oracle -p hi', line)).outDir).toBe(outDir)
  })

  it('sets writeOutput when the prelude mentions --write-output, as oraclepack does', () => {
    expect(parsePack(oneStep('oracle -p hi', '# every step uses --write-output')).writeOutput).toBe(true)
    expect(parsePack(oneStep('oracle -p hi --write-output x.md')).writeOutput).toBe(false)
  })

  it('expands $out_dir to "." when the prelude does not set it (oraclepack\'s default)', () => {
    const [step] = parsePack(oneStep('oracle -p hi --write-output "$out_dir/01-a.md"')).steps
    expect(step!.invocations[0]!.writeOutput).toEqual({ value: './01-a.md', line: 5 })
  })
})

describe('parsePack: header fields', () => {
  it.each([
    ['# 01) ROI=4.5 impact=0.9 confidence=0.9 effort=0.2 horizon=Strategic category=permissions reference=internal/exec/sanitize.go:Sanitize', { ROI: '4.5', impact: '0.9', confidence: '0.9', effort: '0.2', horizon: 'Strategic', category: 'permissions', reference: 'internal/exec/sanitize.go:Sanitize' }],
    ['# 03) ROI=3.5 category=failure modes reference=internal/exec/runner.go:Run', { ROI: '3.5', category: 'failure modes', reference: 'internal/exec/runner.go:Run' }],
    ['# 04 — category=background   jobs horizon=NearTerm', { category: 'background jobs', horizon: 'NearTerm' }],
    ['# 05) title words first impact= effort=Low', { impact: '', effort: 'Low' }],
    ['# 06) reference=a.go:X=1 UX=flows', { reference: 'a.go:X=1', UX: 'flows' }],
    ['# 07) plain title', {}],
  ])('reads %j', (header, fields) => {
    const pack = parsePack(bash(`${header}\noracle -p hi`))
    expect(pack.steps[0]!.fields).toEqual(fields)
    expect(Object.keys(pack.steps[0]!.fields)).toEqual(Object.keys(fields))
  })

  it('keeps the first of a repeated key and warns', () => {
    const pack = parsePack(bash('# 01) category=invariants category=UX flows\noracle -p hi'))
    expect(pack.steps[0]!.fields).toEqual({ category: 'invariants' })
    expect(pack.findings.map((f) => [f.code, f.severity, f.line, f.step])).toEqual([['PACK_HEADER_FIELD_DUPLICATE', 'warning', 4, '01']])
  })
})

// Each code is a step's lines; `expected` is argv after `oracle`. The "agrees with bash" test
// below runs every case through real bash too.
const ARGV_CASES: Array<[name: string, code: string, expected: string[], prelude?: string]> = [
  ['plain words', 'oracle --files-report -p hi -f a.ts', ['--files-report', '-p', 'hi', '-f', 'a.ts']],
  ['line continuations', 'oracle \\\n  -p hi \\\n  -f a.ts', ['-p', 'hi', '-f', 'a.ts']],
  ['a trailing comment', 'oracle -p hi # not an argument', ['-p', 'hi']],
  ['single quotes keep everything', `oracle -p 'a $x \\ "q" \`b\`'`, ['-p', 'a $x \\ "q" `b`']],
  ['double-quote escapes', 'oracle -p "q: \\"x\\" \\\\ \\$y \\` \\n"', ['-p', 'q: "x" \\ $y ` \\n']],
  ['backslash-newline inside double quotes', 'oracle -p "ab\\\ncd"', ['-p', 'abcd']],
  ['a multi-line double-quoted prompt', 'oracle -p "line 1\n\n  line 3" -f a', ['-p', 'line 1\n\n  line 3', '-f', 'a']],
  ['quotes joined into one word', `oracle -p a"b c"'d e'f`, ['-p', 'ab cd ef']],
  ['an empty argument', 'oracle -p "" --slug \'\'', ['-p', '', '--slug', '']],
  ['a lone dollar sign', 'oracle -p "cost: $ 5, $"', ['-p', 'cost: $ 5, $']],
  ['$var and ${var}', 'oracle -p "hi $name, ${name}s" -f $name.ts', ['-p', 'hi ada, adas', '-f', 'ada.ts'], 'name=ada'],
  ['word splitting of an unquoted $var', 'oracle -f $files -p "$files"', ['-f', 'a.ts', 'b.ts', '-p', ' a.ts  b.ts '], 'files=" a.ts  b.ts "'],
  ['an empty unquoted $var disappears', 'oracle $none -p "[$none]"', ['-p', '[]'], 'none='],
  ['prelude variables expanded in order', 'oracle -p hi --write-output "$out_dir/01-a.md"', ['-p', 'hi', '--write-output', 'docs/q/01-a.md'], 'root=docs\nout_dir=$root/q\nroot=other'],
  ['a quoted heredoc', `oracle -p "$(cat <<'PROMPT'\nline $x \\$ \`y\`\n  indented\n\nPROMPT\n)" -f a`, ['-p', 'line $x \\$ `y`\n  indented', '-f', 'a']],
  ['an unquoted heredoc expands', 'oracle -p "$(cat <<PROMPT\nhi $name \\$HOME \\\\ "q"\nPROMPT\n)"', ['-p', 'hi ada $HOME \\ "q"'], 'name=ada'],
  ['a <<- heredoc strips leading tabs', `oracle -p "$(cat <<-'EOF'\n\t\tone\n\ttwo\n\tEOF\n)"`, ['-p', 'one\ntwo']],
  ['a "TAG" heredoc is literal', 'oracle -p "$(cat << "END"\n$name\nEND\n)"', ['-p', '$name'], 'name=ada'],
  ['text around a heredoc', `oracle -p "Q: $(cat <<'P'\nbody\nP\n) (end)"`, ['-p', 'Q: body (end)']],
  ['variadic -f', 'oracle -f a.ts b.ts "c d.ts" -p hi', ['-f', 'a.ts', 'b.ts', 'c d.ts', '-p', 'hi']],
  ['--flag=value forms', 'oracle --prompt=hi --file=a.ts --write-output=o/01-a.md -fb.ts', ['--prompt=hi', '--file=a.ts', '--write-output=o/01-a.md', '-fb.ts']],
  ['globs stay words', `oracle -p hi -f 'src/*.ts' src/**/*.go '!x'`, ['-p', 'hi', '-f', 'src/*.ts', 'src/**/*.go', '!x']],
  ['a comment line before the command', '# explain\noracle -p hi\n', ['-p', 'hi']],
]

describe('parsePack: oracle argv without a shell', () => {
  it.each(ARGV_CASES)('%s', (_name, code, expected, prelude) => {
    const pack = parsePack(oneStep(code, prelude))
    expect(pack.findings).toEqual([])
    expect(pack.steps[0]!.invocations.map((inv) => inv.argv)).toEqual([['oracle', ...expected]])
  })

  it('agrees with bash on every case above', () => {
    const argvs = bashArgvs(ARGV_CASES.map(([, code, , prelude]) => ({ code, prelude })))
    expect(ARGV_CASES.map(([name], k) => [name, argvs[k]])).toEqual(ARGV_CASES.map(([name, , expected]) => [name, [expected]]))
  })

  // Seeded random commands built from the subset's pieces; those the parser accepts must get
  // exactly bash's argv.
  it('agrees with bash on random commands of the subset', () => {
    const pieces = ['a', '"q r"', "'s t'", '\\"', '\\ ', '"$v"', '$v', '${v}x', '"${w}"', '$w', '"a\\$b"', "'$v'", '"\\`"', '"x\\\\y"', '""', "''", '-f', '-p', '--write-output=o.md', '"m\nn"', "'m\nn'", '"a\\\nb"', '#c', 'x#y', '$', '"$"', '*.ts', 'a=b', '--', '!x', '"$(cat <<\'E\'\nl1 $v\n\nE\n)"', '"$(cat <<E\nl $v \\$v "q" \\\\\nE\n)"', '"$(cat <<-E\n\tt\n\tE\n)"', '"$(cat <<"E"\n$v\nE\n)"']
    const separators = [' ', '  ', ' \\\n  ']
    let seed = 7
    const pick = <T>(list: readonly T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % list.length]!
    const prelude = 'v="1 2"\nw='
    const accepted: Array<{ code: string; argv: string[][] }> = []
    for (let n = 0; n < 300; n++) {
      const code = Array.from({ length: 1 + (n % 6) }, () => pick(pieces)).reduce((line, piece) => line + pick(separators) + piece, 'oracle')
      const pack = parsePack(oneStep(code, prelude))
      if (pack.findings.some((f) => f.code.startsWith('PACK_SHELL_') || f.code === 'PACK_COMMENT_IN_CONTINUATION')) continue
      accepted.push({ code, argv: pack.steps[0]!.invocations.map((inv) => inv.argv.slice(1)) })
    }
    expect(accepted.length).toBeGreaterThan(200)
    const argvs = bashArgvs(accepted.map(({ code }) => ({ code, prelude })))
    expect(accepted.map((c, k) => ({ code: c.code, argv: argvs[k] }))).toEqual(accepted)
  })

  it('reads a heredoc closed by `TAG)` as bash does, with a warning (bash warns too)', () => {
    const pack = parsePack(oneStep(`oracle -p "$(cat <<'P'\nbody\nP) tail" -f a`))
    expect(pack.steps[0]!.invocations[0]!.argv).toEqual(['oracle', '-p', 'body tail', '-f', 'a'])
    expect(pack.findings.map((f) => [f.code, f.severity, f.line])).toEqual([['PACK_HEREDOC_CLOSE_PAREN', 'warning', 7]])
  })

  it.each([
    ['oracle -p one -f a b --slug s -f c --file=d -fe', { prompt: 'one', files: ['a', 'b', 'c', 'd', 'e'] }],
    ['oracle --prompt=two', { prompt: 'two', files: [] }],
    ['oracle "positional prompt" --files-report', { prompt: 'positional prompt', files: [] }],
    ['oracle -m gpt-5.1 "positional" --dry-run summary', { prompt: 'positional', files: [] }],
    ['oracle -p -f', { prompt: '-f', files: [] }],
    ['oracle --files-report -f', { files: [] }],
  ])('reads %j', (code, expected) => {
    const inv = parsePack(oneStep(code)).steps[0]!.invocations[0]!
    expect({ prompt: inv.prompt, files: inv.files }).toEqual({ prompt: undefined, ...expected })
  })

  it('takes the first --write-output, with the line of its value', () => {
    const code = 'oracle -p hi \\\n  --write-output \\\n  "$out_dir/01-a.md" \\\n  --write-output=b.md'
    const inv = parsePack(oneStep(code, 'out_dir=o')).steps[0]!.invocations[0]!
    expect(inv.writeOutput).toEqual({ value: 'o/01-a.md', line: 8 })
    expect(inv).toMatchObject({ line: 6, endLine: 9 })
  })

  it('reads an argv as commander does', () => {
    expect(readOracleArgs(['oracle', '-f', 'a', 'b', '--', '-p', 'x'])).toEqual({
      values: [{ flag: '-f', value: 'a', index: 2 }, { flag: '-f', value: 'b', index: 3 }],
      positionals: [5, 6],
      missing: [],
    })
    expect(readOracleArgs(['oracle', '--write-output'])).toEqual({ values: [], positionals: [], missing: [1] })
  })

  it('records every command of a step, in order', () => {
    const pack = parsePack(oneStep('oracle -p one\n\noracle -p two'))
    expect(pack.steps[0]!.invocations.map((inv) => [inv.line, inv.prompt])).toEqual([[5, 'one'], [7, 'two']])
  })
})
