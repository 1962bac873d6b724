// The shape of a parsed oraclepack pack. The parser (parse.ts) is compatible with oraclepack's Go
// parser (first ```bash fence, `# NN)` / `# NN —` / `# NN -` headers, prelude, ROI, out_dir) and
// goes further: every header `key=value`, and every `oracle` invocation parsed into an argv.

import type { StepMeta } from './meta.js'

export type { StepMeta } from './meta.js'

export type Severity = 'error' | 'warning'

/** One problem found in a pack. `code` is stable (tests and CI match on it). */
export interface Finding {
  /** Upper-case snake code, e.g. `PACK_NO_BASH_FENCE`. */
  code: string
  severity: Severity
  message: string
  /** 1-based line in the pack file, where there is one. */
  line?: number
  /** Step id (`01`), where the finding belongs to a step. */
  step?: string
  /** What to do about it. */
  hint?: string
}

/** An `oracle …` command of a step, parsed into an argv without running a shell. */
export interface OracleInvocation {
  /** 1-based line where the command starts, and where it ends (continuations, heredocs). */
  line: number
  endLine: number
  /** The words after expansion; argv[0] is `oracle`. */
  argv: string[]
  /** The prompt (`-p`/`--prompt` value, or the positional prompt). */
  prompt?: string
  /** Values of every `-f`/`--file` flag, in order, as written after expansion (not comma-split). */
  files: string[]
  /** The line of each `files` value. */
  fileLines: number[]
  /** The first `--write-output` value after expansion, and the line it is on. */
  writeOutput?: { value: string; line: number }
}

export interface PackStep {
  /** Two digits, `01`. */
  id: string
  number: number
  /** 1-based line of the header. */
  line: number
  /** Last line of the step's code (the line before the next header or the fence's end). */
  endLine: number
  /** The header with the first `ROI=<n>` removed, as oraclepack's `original_line`. */
  title: string
  /** ROI from the header (`ROI=4.5`), else from a body comment `# ROI: 4.5`, else 0. */
  roi: number
  /** Every `key=value` of the header in order of appearance (two-word categories kept whole). */
  fields: Record<string, string>
  /** The step's lines after the header, each followed by `\n` (oraclepack's `Code`). */
  code: string
  invocations: OracleInvocation[]
  /** The `[oraclepack-meta]` block of the first invocation's prompt, when it has one. */
  meta?: StepMeta
}

export interface Pack {
  /** The text parsed. */
  text: string
  /** Number of ```bash fences in the whole file (oraclepack reads only the first). */
  bashBlocks: number
  /** 1-based line of the first ```bash fence, when there is one. */
  fenceLine?: number
  prelude: {
    code: string
    /** Plain assignments `name=value`, expanded, in order. */
    vars: Record<string, string>
  }
  /** `out_dir=` from the prelude (oraclepack's regex), when set. */
  outDir?: string
  /** True when the prelude contains `--write-output` (oraclepack's `write_output`). */
  writeOutput: boolean
  steps: PackStep[]
  /** Problems found while parsing (constructs outside the supported shell subset, …). */
  findings: Finding[]
}

export type ValidateMode = 'default' | 'strict'

export interface ValidationReport {
  valid: boolean
  mode: ValidateMode
  counts: { steps: number; bash_blocks: number; oracle_invocations: number }
  /** Sorted by line, then step, then code. */
  findings: Finding[]
  errors: number
  warnings: number
  /** Whether attachments were checked on disk (not when the pack lies outside the workspace). */
  attachments_checked?: boolean
}
