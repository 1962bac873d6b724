import { relative } from 'node:path'
import { type OracleError, type Problem, isOracleError } from '@oraclekit/kernel'
import type { Style } from './style.js'

type Styler = (style: Style, text: string) => string

const BUG_URL = 'https://github.com/oraclekit/oraclekit/issues/new'

function where(file: string | undefined, line: number | undefined, column: number | undefined, cwd: string): string {
  if (!file) return ''
  const shown = relative(cwd, file).startsWith('..') ? file : relative(cwd, file) || file
  return `${shown}${line ? `:${line}${column ? `:${column}` : ''}` : ''}`
}

function problemLine(problem: Problem, cwd: string, s: Styler): string {
  const location = where(problem.file, problem.line, problem.column, cwd)
  const label = [location, problem.path].filter(Boolean).join(' ')
  const head = `  ${s(problem.severity === 'warning' ? 'yellow' : 'red', '•')} ${label ? `${s('bold', label)}: ` : ''}${problem.message}`
  return problem.hint ? `${head}\n      ${s('dim', `hint: ${problem.hint}`)}` : head
}

/** The text printed for a user error: code, message, location, problems, hint, cause chain. */
export function renderUserError(error: OracleError, cwd: string, s: Styler, verbose: boolean): string {
  const lines = [`${s('red', 'error')} ${s('bold', error.code)}: ${error.message}`]
  const location = where(error.file, error.line, error.column, cwd)
  if (location && error.problems.every((p) => p.line === undefined)) lines.push(`  at ${location}`)
  for (const problem of error.problems) lines.push(problemLine(problem, cwd, s))
  if (error.hint) lines.push(s('cyan', `hint: ${error.hint}`))
  let cause = error.cause
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    const firstLine = (text: string): string => (verbose ? text : (text.split('\n')[0] ?? '').trim())
    if (isOracleError(cause)) {
      lines.push(s('dim', `cause: ${cause.code}: ${firstLine(cause.message)}`))
    } else if (cause instanceof Error) {
      lines.push(s('dim', `cause: ${cause.name}: ${firstLine(cause.message)}`))
      if (verbose && cause.stack) lines.push(s('dim', cause.stack.split('\n').slice(1).join('\n')))
    } else {
      lines.push(s('dim', `cause: ${String(cause)}`))
    }
    cause = (cause as { cause?: unknown })?.cause
  }
  return `${lines.join('\n')}\n`
}

/** The text printed for an internal bug: it says so and asks for a report. */
export function renderInternalError(error: unknown, version: string, s: Styler): string {
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  return [
    `${s('red', 'internal error')}: ${error instanceof Error ? error.message : String(error)}`,
    `This is a bug in OracleKit (oracle ${version}, node ${process.version}), not a problem with your setup.`,
    `Please report it at ${BUG_URL} with the command you ran and this trace:`,
    s('dim', stack),
    '',
  ].join('\n')
}

/** The JSON document printed for an error under --json. */
export function errorDocument(error: unknown): Record<string, unknown> {
  if (isOracleError(error)) return { error: error.toJSON() }
  return { error: { code: 'ORACLE_INTERNAL', message: error instanceof Error ? error.message : String(error), exitCode: 70, internal: true } }
}
