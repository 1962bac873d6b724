// Hand-built tasks covering what the exports must survive: one and several actions, blocked,
// conflict, noop, an over-long title, non-ASCII text and text full of Markdown syntax.

import type { ActionTask, ExportContext } from '../../types.js'

export const PACK_HASH = 'ab12cd34'.repeat(8)
export const CREATED_AT = '2026-03-01T09:30:00.000Z'

export const ctx: ExportContext = {
  pack_id: '2026-03-01__1a2b3c4__ab12cd34',
  pack_hash: PACK_HASH,
  pack_path: 'packs/strategist.md',
  created_at: CREATED_AT,
  project: 'demo-repo',
}

/** A task with defaults for every field; `step` and `n` make the id. */
export function makeTask(step: number, n: number, fields: Partial<ActionTask> = {}): ActionTask {
  const stepId = String(step).padStart(2, '0')
  return {
    task_id: `OP3-ab12cd34-${stepId}-${String(n).padStart(2, '0')}`,
    pack_id: ctx.pack_id,
    pack_hash: PACK_HASH,
    step_id: stepId,
    title: `Task ${stepId}.${n}`,
    status: 'actionable',
    category: 'observability',
    reference: null,
    roi: 2.5,
    priority: 'medium',
    expected_artifacts: [],
    actions: [],
    acceptance: [],
    evidence: { paths: [], symbols: [], commands: [] },
    notes: [],
    missing_inputs: [],
    depends_on: [],
    source: { output_path: `outputs/${stepId}-answer.md`, output_hash: 'f'.repeat(64) },
    ...fields,
  }
}

export const oneAction = makeTask(1, 1, {
  title: 'Log the exit code of every runner job',
  category: 'observability',
  reference: 'internal/exec/runner.go:Runner.Run',
  roi: 4.2,
  priority: 'high',
  actions: ['Add an `exit_code` field to the job log line in `internal/exec/runner.go`.'],
  acceptance: ['`go test ./internal/exec/...` passes', 'internal/exec/runner.go contains `exit_code`'],
  evidence: { paths: ['internal/exec/runner.go', 'internal/exec/*.go'], symbols: ['Runner.Run'], commands: ['go test ./internal/exec/...'] },
})

export const threeActions = makeTask(2, 1, {
  title: 'Central error type with exit-code mapping',
  category: 'contracts/interfaces',
  reference: 'src/error.rs',
  roi: 3.6,
  priority: 'critical',
  actions: ['Create src/error.rs with `enum AppError`', 'Map anyhow::Error to AppError in src/lib.rs', 'Add tests in tests/error.rs'],
  acceptance: ['File src/error.rs exists', 'src/error.rs contains `enum AppError`', 'All tests pass'],
  evidence: { paths: ['src/error.rs', 'src/lib.rs', 'tests/error.rs'], symbols: ['AppError'], commands: ['cargo test'] },
  expected_artifacts: ['src/error.rs'],
  depends_on: [oneAction.task_id],
})

export const blocked = makeTask(3, 1, {
  title: 'Decide the cache invalidation policy',
  status: 'blocked',
  category: 'caching/state',
  priority: 'medium',
  actions: ['Read the cache layer before deciding'],
  notes: ['The answer says the evidence is insufficient.'],
  missing_inputs: ['internal/cache/store.go', 'internal/cache/*.go'],
})

export const conflict = makeTask(4, 1, {
  title: 'Retry policy for background jobs',
  status: 'conflict',
  category: 'background jobs',
  priority: 'high',
  actions: ['Retry failed jobs three times with backoff', 'Never retry non-idempotent jobs'],
  notes: ['Step 04 says: retry every failed job three times.', 'Step 09 says: never retry jobs that write to the ledger.'],
  evidence: { paths: ['docs/jobs.md'], symbols: [], commands: [] },
  depends_on: [blocked.task_id],
})

export const noop = makeTask(5, 1, { title: 'Nothing to do for feature flags', status: 'noop', category: 'feature flags', priority: 'low' })

export const longTitle = makeTask(6, 1, {
  title: `${'Very long title '.repeat(20).slice(0, 297)}end`, // 300 characters
  category: 'migrations',
  priority: 'low',
  actions: ['Shorten it'],
  depends_on: [noop.task_id],
})

export const unicode = makeTask(7, 1, {
  title: 'Überprüfe die Fehlermeldungen — 日本語のエラー 🚀 im UX-Fluss',
  category: 'UX flows',
  priority: 'medium',
  actions: ['Übersetze „Fehler“ → error', 'Füge 🚀 Emoji hinzu'],
  acceptance: ['Die Meldung zeigt „Fehler“'],
  evidence: { paths: ['docs/ux/fehler.md', 'docs/ux/README.md'], symbols: [], commands: [] },
})

export const markdownSpecial = makeTask(8, 1, {
  title: '# Fix | pipes and `backticks` <!-- oraclekit:task OP3-fake --> *now*',
  category: 'failure modes',
  priority: 'high',
  actions: ['Escape `a|b` | c in tables', 'Handle ``` fences and a lone ` backtick', '1. not a list [link](http://x) <b>bold</b> & &amp; _em_ ~~del~~'],
  acceptance: ['Output has no | breakage', 'yes', ': x', '#'],
  evidence: { paths: ['src/a|b.ts'], symbols: ['render`md`'], commands: ['grep -n "|" src'] },
  notes: ['- starts like a list', '> starts like a quote', 'line one\nline two'],
})

/** Every fixture, in step order. */
export const allTasks: ActionTask[] = [oneAction, threeActions, blocked, conflict, noop, longTitle, unicode, markdownSpecial]
