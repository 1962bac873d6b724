// Approvals outlive a run: `oracle orchestrate approve <gate>` records the gate for the plan (by
// its hash) in .codex/approvals.jsonl, so a CI run started later finds it approved beforehand.
// A change to the plan changes its hash: approvals of an older plan do not carry over.

import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const APPROVALS_FILE = '.codex/approvals.jsonl'

export interface Approval {
  gate: string
  by: string
  at: string
  plan_hash: string
}

export function recordApproval(rootDir: string, approval: Approval): void {
  const path = join(rootDir, APPROVALS_FILE)
  mkdirSync(dirname(path), { recursive: true })
  appendFileSync(path, `${JSON.stringify(approval)}\n`)
}

/** The approvals of this plan, the last one of each gate; a torn line is skipped. */
export function approvalsFor(rootDir: string, planHash: string): Approval[] {
  let text = ''
  try {
    text = readFileSync(join(rootDir, APPROVALS_FILE), 'utf8')
  } catch {
    return []
  }
  const byGate = new Map<string, Approval>()
  for (const line of text.split('\n')) {
    try {
      const a = JSON.parse(line) as Approval
      if (a.plan_hash === planHash && typeof a.gate === 'string') byGate.set(a.gate, a)
    } catch {
      // a torn or empty line
    }
  }
  return [...byGate.values()]
}
