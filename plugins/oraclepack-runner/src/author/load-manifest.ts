// Reads a pack manifest (YAML, or JSON, which YAML reads too) and checks it: syntax, the schema,
// then what a schema cannot say (unique ids, paths that stay in the workspace, text a heredoc
// cannot carry). Every problem is reported at once, each with its line in the manifest.

import { readFile, stat } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { ExitCode, OracleError, type Problem, checkValue, formatPath, locateProblems } from '@oraclekit/kernel'
import { LineCounter, parseDocument } from 'yaml'
import { isStepHeader, readOracleArgs } from '../pack/parse.js'
import { META_CLOSE, META_OPEN } from '../pack/rules.js'
import { unsafePath } from '../pack/validate.js'
import { type PackManifest, PackManifestSchema } from './manifest.js'

export interface LoadedManifest {
  /** Absolute path. */
  file: string
  /** As shown to people: relative to the current directory. */
  display: string
  text: string
  manifest: PackManifest
}

const HINT = 'Fix every problem listed; nothing was written. The schema is schemas/oraclepack.manifest.schema.json, and `oracle pack extract <pack> --out <manifest>` writes a manifest from an existing pack.'

/** The coded error of a manifest (or of the pack it renders) with problems; exit 3. */
export function renderInvalid(display: string, problems: Problem[], what = 'has'): OracleError {
  const first = problems.find((p) => p.line !== undefined)
  return new OracleError('ORACLE_PACK_RENDER_INVALID', `${display} ${what} ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written`, {
    file: display,
    ...(first?.line !== undefined && { line: first.line }),
    exitCode: ExitCode.invalidInput,
    hint: HINT,
    problems,
  })
}

/** `/questions/2/roi` → `questions[2].roi`, as the kernel writes paths. */
export function pointerPath(pointer: string): string {
  return formatPath(pointer.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s)))
}

const at = (pointer: string, rule: string, message: string, hint?: string): Problem => ({
  message,
  pointer,
  path: pointerPath(pointer),
  rule,
  severity: 'error',
  ...(hint !== undefined && { hint }),
})

export async function loadManifest(path: string, cwd: string): Promise<LoadedManifest> {
  const file = resolve(cwd, path)
  const display = (relative(cwd, file) || path).split(sep).join('/')
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) {
    throw new OracleError('ORACLE_PACK_NOT_FOUND', `${path}: ${info ? 'not a file' : 'no such file'}`, {
      file: path,
      exitCode: ExitCode.usage,
      hint: 'Give the path of a pack manifest (.yaml, .yml or .json), relative to the current directory; `oracle pack extract <pack> --out pack.manifest.yaml` makes one.',
    })
  }
  const text = (await readFile(file, 'utf8')).replace(/\r\n/g, '\n')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e): Problem => ({ message: `not valid YAML or JSON: ${e.message.split('\n')[0]}`, file: display, line: lineCounter.linePos(e.pos[0]).line, rule: 'syntax', severity: 'error' }))
    throw renderInvalid(display, problems)
  }
  const checked = checkValue<PackManifest>(PackManifestSchema, doc.toJS({ maxAliasCount: 100 }), { file: display })
  const problems = checked.ok ? manifestProblems(checked.value) : checked.problems
  if (problems.length > 0) {
    const located = await locateProblems(problems.map((p) => ({ ...p, file: display })), { file: display, text, kind: 'json' })
    throw renderInvalid(display, located)
  }
  return { file, display, text, manifest: checked.value }
}

/** What the schema cannot check. */
export function manifestProblems(manifest: PackManifest): Problem[] {
  const problems: Problem[] = []
  const outDir = unsafePath(manifest.out_dir)
  if (outDir) problems.push(at('/out_dir', 'path', `out_dir \`${manifest.out_dir}\` ${outDir}`, 'Give a directory relative to the workspace root, without `..`.'))
  if (/^```bash\s*$/m.test(manifest.intro)) problems.push(at('/intro', 'text', 'intro holds a ```bash fence: oraclepack would read it as the pack\'s commands', 'Use another fence language in the intro, or drop the block.'))
  problems.push(...flagProblems('/oracle_flags', manifest.oracle_flags))
  const firstWith = new Map<string, number>()
  manifest.questions.forEach((question, q) => {
    const base = `/questions/${q}`
    const earlier = firstWith.get(question.id)
    if (earlier === undefined) firstWith.set(question.id, q)
    else problems.push(at(`${base}/id`, 'duplicate_id', `id \`${question.id}\` is also the id of questions[${earlier}]`, 'Give each question its own id: it names the answer file.'))
    question.attachments.forEach((path, k) => {
      const why = attachmentProblem(path)
      if (why) problems.push(at(`${base}/attachments/${k}`, 'path', `attachment \`${path}\` ${why}`, 'Attach files by their path relative to the workspace root: no globs, directories outside it, `..`, `~` or commas.'))
    })
    problems.push(...flagProblems(`${base}/flags`, question.flags))
    question.question.split('\n').forEach((line, k) => {
      const where = `line ${k + 1} of the question`
      if (line.startsWith('```')) problems.push(at(`${base}/question`, 'text', `${where} starts with \`\`\`: oraclepack would end the bash block there`, 'Indent the fence or drop it.'))
      else if (isStepHeader(line)) problems.push(at(`${base}/question`, 'text', `${where} looks like a step header (\`${line.trim().slice(0, 20)}\`): oraclepack would start a step there`, 'Reword it, e.g. `Question 3:`.'))
      if (line.includes(META_OPEN) || line.includes(META_CLOSE)) problems.push(at(`${base}/question`, 'text', `${where} holds ${META_OPEN}: the renderer writes the metadata block from the question's fields`, 'Drop the block from the text.'))
    })
  })
  return problems
}

function attachmentProblem(path: string): string | undefined {
  const unsafe = unsafePath(path)
  if (unsafe) return unsafe
  if (path.includes(',')) return 'holds a comma (oracle splits -f values on commas)'
  if (path.startsWith('!')) return 'is an exclusion pattern'
  if (/[*?[\]{}]/.test(path)) return 'is a glob'
  if (path.trim() !== path) return 'starts or ends with a space'
  return undefined
}

const OWNED = new Set(['-p', '--prompt', '-f', '--file', '--write-output'])

function flagProblems(pointer: string, flags: readonly string[]): Problem[] {
  const args = readOracleArgs(['oracle', ...flags])
  const owned = args.values.filter((v) => OWNED.has(v.flag)).map((v) => v.flag)
  const problems = owned.map((flag) => at(pointer, 'flags', `\`${flag}\` is written by the renderer`, 'Put the prompt in `question`, the files in `attachments`; the output path comes from out_dir and the id.'))
  for (const index of args.positionals) problems.push(at(pointer, 'flags', `\`${flags[index - 1]}\` is not a flag or a flag's value`, 'Give flags and their values only, e.g. ["-m", "gpt-5.1"].'))
  for (const index of args.missing) problems.push(at(pointer, 'flags', `\`${flags[index - 1]}\` has no value`))
  return problems
}
