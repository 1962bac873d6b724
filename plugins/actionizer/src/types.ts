// The actionizer's data model: a pack run's answers, read for the pack's answer format, become
// findings and tasks; the exports are views of the tasks.

/** The four parts of the pack's answer format. */
export type SectionKind = 'direct_answer' | 'risks' | 'next_experiment' | 'missing_evidence'

/** One bullet, numbered item or paragraph of an answer, cleaned of citation noise. */
export interface AnswerItem {
  text: string
  /** 1-based line in the answer file where the item starts. */
  line: number
}

export interface ParsedAnswer {
  /** Items per section. Text before any recognised section goes to `direct_answer`. */
  sections: Record<SectionKind, AnswerItem[]>
  /** How the sections were recognised: `headings`, `numbered`, `labels`, `mixed` or `free-form`. */
  shape: 'headings' | 'numbered' | 'labels' | 'mixed' | 'free-form'
  /** The answer says its evidence is insufficient (in any of the usual wordings). */
  insufficient: boolean
  /** Paths and path patterns the answer names as missing (attach next), in order, unique. */
  missing: string[]
  /** Lines dropped as citation noise (`【4:0†file】`, repeated bare source-label lines, …). */
  noiseLines: number
  /** Nothing but whitespace and noise. */
  empty: boolean
}

export interface Evidence {
  /** Repository paths and path patterns (`src/a.ts`, `internal/exec/*.go`), in order, unique. */
  paths: string[]
  /** Code symbols (`Runner.Run`, `sanitize()`, `AppError`), in order, unique. */
  symbols: string[]
  /** Shell commands quoted in the answer (`go test ./...`), in order, unique. */
  commands: string[]
}

export type TaskStatus = 'actionable' | 'blocked' | 'conflict' | 'noop'

export type Priority = 'critical' | 'high' | 'medium' | 'low'

/** One task, as normalized.jsonl holds it (snake_case: it is a file format). */
export interface ActionTask {
  /** `OP3-<packhash8>-<issue_index>-<task_index>`: issue = the step (01..), task = its finding (01..). */
  task_id: string
  pack_id: string
  pack_hash: string
  step_id: string
  title: string
  status: TaskStatus
  /** One of the fixed taxonomy (the pack's 10 categories). */
  category: string
  reference: string | null
  roi: number
  priority: Priority
  expected_artifacts: string[]
  actions: string[]
  /** Acceptance criteria: checks that say the task is done. */
  acceptance: string[]
  evidence: Evidence
  notes: string[]
  missing_inputs: string[]
  /** Task ids this task waits for. */
  depends_on: string[]
  /** The answer the task came from. */
  source: {
    output_path: string | null
    output_hash: string | null
    /** The part of the answer the task comes from (absent for blocked and conflict tasks). */
    section?: SectionKind
    /** The pack's QuestionId for the step (its [oraclepack-meta] block), which survives renumbering. */
    question_id?: string
  }
}

/** What every export needs to know about the run. */
export interface ExportContext {
  pack_id: string
  pack_hash: string
  pack_path: string
  /** run.json's created_at: the exports' only timestamp, so a rerun is byte-identical. */
  created_at: string
  /** The repository's name, for the orchestrator plan's project (the workspace folder's name). */
  project: string
}
