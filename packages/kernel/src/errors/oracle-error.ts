/** Exit codes shared by every command (PRODUCT.md, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  invalidInput: 3,
  stopped: 4,
  /** Not a user outcome: an internal bug (EX_SOFTWARE). */
  internal: 70,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** One problem found while checking a file or value; many are reported at once. */
export interface Problem {
  message: string
  /** Human path such as `run.maxParallel` or `plugins[2].options.budget`. */
  path?: string
  /** JSON pointer of the same place, e.g. `/run/maxParallel`. */
  pointer?: string
  file?: string
  line?: number
  column?: number
  hint?: string
  severity?: 'error' | 'warning'
  /** Short machine code of the rule that failed, e.g. `type`, `additionalProperties`. */
  rule?: string
}

export interface OracleErrorOptions {
  hint?: string
  file?: string
  line?: number
  column?: number
  plugin?: string
  /** The code the plugin used, when the kernel re-coded what a plugin threw. */
  pluginCode?: string
  hook?: string
  problems?: Problem[]
  exitCode?: ExitCode
  url?: string
  cause?: unknown
}

const CODE_PATTERN = /^ORACLE_[A-Z0-9_]+$/

/**
 * The one error type of OracleKit. A user error: the CLI prints its message, location, hint and
 * cause chain, and exits with `exitCode`. Anything thrown that is not an OracleError is a bug.
 */
export class OracleError extends Error {
  override readonly name = 'OracleError'
  readonly code: string
  readonly exitCode: ExitCode
  readonly hint?: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
  plugin?: string
  readonly pluginCode?: string
  readonly hook?: string
  readonly problems: Problem[]
  readonly url?: string

  constructor(code: string, message: string, options: OracleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    if (!CODE_PATTERN.test(code)) {
      throw new TypeError(`OracleError code must match ${CODE_PATTERN} (got ${JSON.stringify(code)}); this is a bug`)
    }
    this.code = code
    this.exitCode = options.exitCode ?? ExitCode.failed
    this.problems = options.problems ?? []
    if (options.hint !== undefined) this.hint = options.hint
    if (options.file !== undefined) this.file = options.file
    if (options.line !== undefined) this.line = options.line
    if (options.column !== undefined) this.column = options.column
    if (options.plugin !== undefined) this.plugin = options.plugin
    if (options.pluginCode !== undefined) this.pluginCode = options.pluginCode
    if (options.hook !== undefined) this.hook = options.hook
    if (options.url !== undefined) this.url = options.url
  }

  /** A plain object for `--json` output and event logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message, exitCode: this.exitCode }
    for (const key of ['hint', 'file', 'line', 'column', 'plugin', 'pluginCode', 'hook', 'url'] as const) {
      if (this[key] !== undefined) out[key] = this[key]
    }
    if (this.problems.length > 0) out.problems = this.problems
    if (this.cause !== undefined) out.cause = describeCause(this.cause)
    return out
  }
}

/**
 * True for OracleErrors, including ones built by another copy of the kernel (a user's plugin may
 * bundle its own), which `instanceof` would miss.
 */
export function isOracleError(value: unknown): value is OracleError {
  if (value instanceof OracleError) return true
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as { name?: unknown; code?: unknown }
  return candidate.name === 'OracleError' && typeof candidate.code === 'string' && CODE_PATTERN.test(candidate.code)
}

function describeCause(cause: unknown): unknown {
  if (isOracleError(cause)) return cause.toJSON()
  if (cause instanceof Error) return { name: cause.name, message: cause.message }
  return String(cause)
}
