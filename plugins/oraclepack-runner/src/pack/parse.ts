// Parses a pack the way oraclepack's Go parser does (internal/pack/parser.go): the first ```bash
// fence, step headers, the prelude, ROI, out_dir. Then it goes further: every header `key=value`,
// and each step's `oracle` command as an argv (shell.ts has the supported bash subset).

import { type Field, type Lookup, expandValue, expandWords, splitAssignment } from './expand.js'
import { readMeta } from './meta.js'
import { type ShellCommand, type ShellWord, lexShell, shellIssue } from './shell.js'
import type { Finding, OracleInvocation, Pack, PackStep } from './types.js'

// Go's RE2 `\s` is ASCII-only, so the classes spell it out.
const FENCE = /```bash\n([\s\S]*?)\n```/g
const HEADER = /^#[\t\n\f\r ]*(\d{2})(?:\)|[\t\n\f\r ]+[—-])/
const ROI = /ROI=(\d+(\.\d+)?)/
const ROI_COMMENT = /^[ \t]*#[ \t]*ROI:[ \t]*(\d+(?:\.\d+)?)/m
const OUT_DIR = /^out_dir=["']?([^"'\t\n\f\r ]+)["']?/m
const FIELD = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/

const HINTS: Record<string, [Finding['severity'], string]> = {
  PACK_CRLF: ['warning', 'Save the pack with LF line ends: oraclepack finds no ```bash fence in a CRLF file.'],
  PACK_HEADER_IN_PROMPT: ['error', 'Reword the line so it does not start with `# NN)` or `# NN -` (for example `Question NN:`): oraclepack splits steps at such lines even inside a prompt, and indenting does not help.'],
  PACK_HEADER_FIELD_DUPLICATE: ['warning', 'Keep one `key=value` per key in the header; the first one is used.'],
  PACK_PRELUDE_COMMAND: ['warning', 'The runner reads only `name=value` assignments (and `export name=value`) from the prelude; answers go to the run directory, so no `mkdir` is needed; other commands do not run.'],
  PACK_ORPHANED_FLAG: ['error', 'End the previous line of the `oracle` command with `\\` (nothing after it), or join the lines.'],
  PACK_STEP_NOT_ORACLE: ['error', 'A step runs exactly one `oracle …` command as an argv, and nothing else. Move setup to the prelude or drop it.'],
  PACK_FLAG_REPEATED: ['error', 'Give `-p`/`--prompt` and `--write-output` once per command: oracle uses the last one, the runner would check the first.'],
  PACK_FLAG_MISSING_VALUE: ['error', 'Give the flag its value; oracle exits with "argument missing".'],
  PACK_TOO_MANY_ARGUMENTS: ['error', 'Give the prompt as one word: quote it, and escape every `"` inside it as `\\"`.'],
  PACK_STRAY_ARGUMENT: ['warning', 'Escape every `"` inside a "…" prompt as `\\"` (an unescaped one ends the prompt early), or use a quoted heredoc: `-p "$(cat <<\'PROMPT\'`, the text, then `PROMPT` and `)"` on their own lines.'],
}

function issue(code: string, message: string, line?: number): Finding {
  const [severity, hint] = HINTS[code] ?? ['error', '']
  return line === undefined ? { code, severity, message, hint } : { code, severity, message, line, hint }
}

/** True when oraclepack would start a step at this line (wherever it is in the block). */
export function isStepHeader(line: string): boolean {
  return HEADER.test(line.trim())
}

/** Every ```bash block of an LF text in order, as oraclepack's regex finds them: fence line and body. */
export function findBashFences(text: string): Array<{ line: number; body: string }> {
  return [...text.matchAll(FENCE)].map((m) => ({ line: countLines(text, m.index), body: m[1]! }))
}

function countLines(text: string, end: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++
  return line
}

export function parsePack(text: string): Pack {
  const src = text.replace(/\r\n/g, '\n')
  const findings: Finding[] = []
  if (src !== text) findings.push(issue('PACK_CRLF', 'The pack has CRLF line ends'))
  const fences = findBashFences(src)
  const fence = fences[0]
  if (!fence) return { text, bashBlocks: 0, prelude: { code: '', vars: {} }, writeOutput: false, steps: [], findings }

  const start = fence.line + 1
  const { lines, prelude, steps: raw } = splitBlock(fence.body, start)
  const preludeCode = prelude.join('\n')
  const vars = runPrelude(preludeCode, start, findings)
  const lookup = lookupIn(vars)
  const misplaced = headersInQuotes(lines, start, raw)
  findings.push(...misplaced)
  // A step that starts inside a prompt holds prompt text: its "commands" say nothing new.
  const quiet = new Set(misplaced.map((f) => f.line))
  const steps = raw.map((step) => parseStep(step, lookup, quiet.has(step.line) ? [] : findings))
  const outDir = OUT_DIR.exec(preludeCode)?.[1]
  return {
    text,
    bashBlocks: fences.length,
    fenceLine: fence.line,
    prelude: { code: preludeCode, vars: Object.fromEntries(vars) },
    ...(outDir !== undefined && { outDir }),
    writeOutput: preludeCode.includes('--write-output'),
    steps,
    findings,
  }
}

interface RawStep {
  id: string
  line: number
  header: string
  code: string[]
}

function splitBlock(body: string, start: number): { lines: string[]; prelude: string[]; steps: RawStep[] } {
  // Go reads the block with bufio.Scanner, which yields no empty last line after a final newline.
  const lines = body === '' ? [] : body.split('\n')
  if (body.endsWith('\n')) lines.pop()
  const prelude: string[] = []
  const steps: RawStep[] = []
  lines.forEach((text, k) => {
    const id = HEADER.exec(text.trim())?.[1]
    if (id) steps.push({ id, line: start + k, header: text, code: [] })
    else (steps.at(-1)?.code ?? prelude).push(text)
  })
  return { lines, prelude, steps }
}

/** oraclepack starts a step at any header-looking line, even inside a prompt: report those. */
function headersInQuotes(lines: string[], start: number, steps: RawStep[]): Finding[] {
  const scan = lexShell(lines.join('\n'), start)
  // With a quote left open for real, every later header would look quoted: say nothing then.
  if (!scan.closed) return []
  return steps.flatMap((step, k) => {
    if (!scan.quotedLines.has(step.line)) return []
    const found = issue('PACK_HEADER_IN_PROMPT', `Line \`${step.header.trim().slice(0, 40)}\` inside a quoted prompt looks like a step header; oraclepack starts step ${step.id} here`, step.line)
    const owner = steps[k - 1]?.id
    return [owner ? { ...found, step: owner } : found]
  })
}

function literal(word: ShellWord | undefined): string | undefined {
  const [part, ...rest] = word?.parts ?? []
  return part?.kind === 'text' && rest.length === 0 ? part.text : undefined
}

function leadingAssignments(words: readonly ShellWord[]): Array<NonNullable<ReturnType<typeof splitAssignment>>> {
  const found = []
  for (const word of words) {
    const assignment = splitAssignment(word)
    if (!assignment) break
    found.push(assignment)
  }
  return found
}

/** Variables as steps see them: out_dir is `.` unless set, as in oraclepack. */
function lookupIn(vars: ReadonlyMap<string, string>): Lookup {
  return (name) => vars.get(name) ?? (name === 'out_dir' ? '.' : undefined)
}

function runPrelude(code: string, start: number, findings: Finding[]): Map<string, string> {
  const vars = new Map<string, string>()
  const lookup = lookupIn(vars)
  const scan = lexShell(code, start)
  findings.push(...scan.issues)
  for (const command of scan.commands) {
    const exported = literal(command.words[0]) === 'export'
    const words = exported ? command.words.slice(1) : command.words
    const assignments = leadingAssignments(words)
    const bareNames = exported && words.every((w) => splitAssignment(w) ?? /^[A-Za-z_][A-Za-z0-9_]*$/.test(literal(w) ?? ''))
    if (assignments.length === words.length || bareNames) {
      for (const { name, value } of words.flatMap((w) => splitAssignment(w) ?? [])) {
        const unknown: Array<{ name: string; line: number }> = []
        vars.set(name, expandValue(value, lookup, unknown))
        findings.push(...unknown.map((u) => shellIssue('PACK_SHELL_UNKNOWN_VAR', `Unknown variable \`$${u.name}\``, u.line)))
      }
      continue
    }
    // A command: its prefix assignments apply to it alone, and it will not run anyway.
    const argv = expandWords(words.slice(assignments.length), () => '').fields.map((f) => f.value)
    if (argv[0] === 'mkdir' && argv.includes('-p')) continue
    if (argv[0]?.startsWith('-')) findings.push(orphaned(argv[0], command.line))
    else findings.push(issue('PACK_PRELUDE_COMMAND', `Prelude command \`${argv[0] ?? ''}\` will not run`, command.line))
  }
  return vars
}

function orphaned(flag: string, line: number): Finding {
  return issue('PACK_ORPHANED_FLAG', `Orphaned flag \`${flag}\` without a preceding command or line continuation`, line)
}

function parseStep(raw: RawStep, lookup: Lookup, findings: Finding[]): PackStep {
  const code = raw.code.map((line) => line + '\n').join('')
  const roiMatch = ROI.exec(raw.header)
  const issues: Finding[] = []
  const fields = parseHeaderFields(raw.header, raw.line, issues)
  const scan = lexShell(raw.code.join('\n'), raw.line + 1)
  issues.push(...scan.issues)
  const invocations = scan.commands.flatMap((command) => stepCommand(command, lookup, issues))
  const lineOf = (needle: string): number => {
    const k = raw.code.findIndex((text) => text.includes(needle))
    return k === -1 ? (invocations[0]?.line ?? raw.line) : raw.line + 1 + k
  }
  const { meta, findings: metaIssues } = readMeta(invocations[0]?.prompt, lineOf)
  issues.push(...metaIssues)
  findings.push(...issues.map((found) => ({ ...found, step: raw.id })))
  return {
    id: raw.id,
    number: Number(raw.id),
    line: raw.line,
    endLine: raw.line + raw.code.length,
    // Go keeps the header untrimmed unless it removed an ROI (then the double space stays).
    title: roiMatch ? raw.header.replace(roiMatch[0], '').trim() : raw.header,
    roi: Number(roiMatch?.[1] ?? ROI_COMMENT.exec(code)?.[1] ?? 0),
    fields,
    code,
    invocations,
    ...(meta && { meta }),
  }
}

/** `key=value` words of a header; a value runs over following words up to the next `key=`. */
function parseHeaderFields(header: string, line: number, issues: Finding[]): Record<string, string> {
  const entries: Array<[string, string[]]> = []
  let current: string[] | undefined
  for (const token of header.trim().split(/\s+/)) {
    const m = FIELD.exec(token)
    if (!m) {
      current?.push(token)
      continue
    }
    current = m[2] ? [m[2]] : []
    if (entries.some(([key]) => key === m[1])) issues.push(issue('PACK_HEADER_FIELD_DUPLICATE', `Header field \`${m[1]}\` appears twice`, line))
    else entries.push([m[1]!, current])
  }
  return Object.fromEntries(entries.map(([key, words]) => [key, words.join(' ')]))
}

function stepCommand(command: ShellCommand, lookup: Lookup, issues: Finding[]): OracleInvocation[] {
  const prefix = leadingAssignments(command.words)
  if (prefix.length === command.words.length) {
    issues.push(issue('PACK_STEP_NOT_ORACLE', `Assignment \`${prefix[0]!.name}=…\` in a step has no effect: steps run as an argv, without a shell`, command.line))
    return []
  }
  if (prefix.length > 0) issues.push(shellIssue('PACK_SHELL_UNSUPPORTED', 'Environment assignments before a command are not supported', command.line))
  const { fields, unknown } = expandWords(command.words.slice(prefix.length), lookup)
  issues.push(...unknown.map((u) => shellIssue('PACK_SHELL_UNKNOWN_VAR', `Unknown variable \`$${u.name}\``, u.line)))
  const name = fields[0]?.value
  if (name === undefined) return []
  if (name.startsWith('-')) {
    issues.push(orphaned(name, command.line))
    return []
  }
  if (name !== 'oracle') {
    issues.push(issue('PACK_STEP_NOT_ORACLE', `Command \`${name}\` in a step: only \`oracle\` runs`, command.line))
    return []
  }
  return [readInvocation(command, fields, issues)]
}

function readInvocation(command: ShellCommand, fields: Field[], issues: Finding[]): OracleInvocation {
  const argv = fields.map((f) => f.value)
  const args = readOracleArgs(argv)
  const lineOf = (index: number): number => fields[index]?.line ?? command.line
  for (const index of args.missing) issues.push(issue('PACK_FLAG_MISSING_VALUE', `\`${argv[index]}\` has no value`, lineOf(index)))
  const prompts = args.values.filter((v) => v.flag === '-p' || v.flag === '--prompt')
  const outputs = args.values.filter((v) => v.flag === '--write-output')
  for (const [list, flag] of [[prompts, '-p/--prompt'], [outputs, '--write-output']] as const) {
    if (list[1]) issues.push(issue('PACK_FLAG_REPEATED', `\`${flag}\` is given ${list.length} times`, lineOf(list[1].index)))
  }
  const positional = args.positionals[0]
  // oracle takes one positional [prompt], ignored when -p is given, and exits 1 on a second one.
  const stray = args.positionals[prompts.length > 0 ? 0 : 1]
  if (stray !== undefined && prompts.length > 0) {
    issues.push(issue('PACK_STRAY_ARGUMENT', `Stray argument \`${excerpt(argv[stray]!)}\`: oracle ignores it, since -p gives the prompt`, lineOf(stray)))
  } else if (stray !== undefined) {
    issues.push(issue('PACK_TOO_MANY_ARGUMENTS', `Second positional argument \`${excerpt(argv[stray]!)}\`: oracle takes one prompt and exits 1 on more`, lineOf(stray)))
  }
  const prompt = prompts.at(-1)?.value ?? (positional === undefined ? undefined : argv[positional])
  const output = outputs[0]
  const attached = args.values.filter((v) => v.flag === '-f' || v.flag === '--file')
  return {
    line: command.line,
    endLine: command.endLine,
    argv,
    ...(prompt !== undefined && { prompt }),
    files: attached.map((v) => v.value),
    fileLines: attached.map((v) => lineOf(v.index)),
    ...(output && { writeOutput: { value: output.value, line: lineOf(output.index) } }),
  }
}

function excerpt(text: string): string {
  const first = text.split('\n')[0]!
  return first.length > 40 || first !== text ? `${first.slice(0, 40)}…` : first
}

// oracle 0.21's options that take a value (commander `<value>`); `<paths...>` ones are variadic.
const VALUE_FLAGS = new Set(
  `-p --prompt -f --file -m --model -e --engine -s --slug --models --write-output --timeout --http-timeout
  --heartbeat --base-url --provider --chatgpt-url --followup --followup-model --max-file-size-bytes --max-input
  --max-output --reasoning-effort --reasoning-mode --search --config --oracle-home-dir --output --partial
  --azure-api-version --azure-deployment --azure-endpoint --remote-chrome --remote-host --remote-token
  --browser-url --browser-timeout --browser-input-timeout --browser-chrome-path --browser-chrome-profile
  --browser-cookie-path --browser-cookie-names --browser-inline-cookies --browser-inline-cookies-file
  --browser-model-strategy --browser-thinking-time --browser-attachments --browser-bundle-format --browser-port
  --browser-debug-port --browser-profile-dir --browser-manual-login-profile-dir --browser-follow-up
  --browser-research --browser-archive --browser-tab --edit-image --generate-image --aspect --youtube
  --files --include --path --paths --docs-path`.split(/\s+/),
)
const VARIADIC_FLAGS = new Set(['-f', '--file', '--files', '--include', '--path', '--paths', '--docs-path'])
const OPTIONAL_VALUE_FLAGS = new Set(['--dry-run', '--preview'])

export interface OracleArgs {
  /** Option values in argv order: the option's name as written (without `=…`) and the value's argv index. */
  values: Array<{ flag: string; value: string; index: number }>
  /** argv indexes of positional words (the first one is oracle's `[prompt]`). */
  positionals: number[]
  /** argv indexes of options that lack their value. */
  missing: number[]
}

/**
 * Reads an oracle argv as commander does: a required value is the next word whatever it looks
 * like; a variadic option (`-f a b`) also takes the following words up to the next `-…` word.
 */
export function readOracleArgs(argv: readonly string[]): OracleArgs {
  const result: OracleArgs = { values: [], positionals: [], missing: [] }
  const isOption = (arg: string): boolean => arg.length > 1 && arg.startsWith('-')
  let variadic: string | undefined
  for (let k = 1; k < argv.length; k++) {
    const arg = argv[k]!
    if (arg === '--') {
      for (let rest = k + 1; rest < argv.length; rest++) result.positionals.push(rest)
      break
    }
    if (variadic && !isOption(arg)) {
      result.values.push({ flag: variadic, value: arg, index: k })
      continue
    }
    variadic = undefined
    if (!isOption(arg)) {
      result.positionals.push(k)
      continue
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const flag = eq > 0 ? arg.slice(0, eq) : arg.length > 2 && arg[1] !== '-' ? arg.slice(0, 2) : arg
    if (VALUE_FLAGS.has(flag) && flag !== arg) {
      result.values.push({ flag, value: arg.slice(eq > 0 ? eq + 1 : 2), index: k })
    } else if (VALUE_FLAGS.has(flag)) {
      if (k + 1 < argv.length) result.values.push({ flag, value: argv[++k]!, index: k })
      else result.missing.push(k)
      if (VARIADIC_FLAGS.has(flag)) variadic = flag
    } else if (OPTIONAL_VALUE_FLAGS.has(flag) && argv[k + 1] !== undefined && !isOption(argv[k + 1]!)) k++
  }
  return result
}
