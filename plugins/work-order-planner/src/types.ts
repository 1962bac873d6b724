// What the planner knows about the fleet, read from Dash and PM artifacts. Every fact names the
// workspace-relative file (and line, where there is one) it comes from, for reasons and errors.

import type { Health, KillSwitch, LastRun } from './schema/artifacts.js'

/** `path` or `path:line`, workspace-relative with `/`. */
export type SourceRef = string

export type ProofStatus = 'pass' | 'pending' | 'fail'

export interface AcceptanceProof {
  text: string
  status: ProofStatus
  /** Evidence links the dossier gives for this proof. */
  evidence: string[]
}

/** A design dossier: Markdown with YAML front matter (seed 5's shape). */
export interface Dossier {
  dossier_id: string
  product_id: string
  /** As written (`draft`, `approved`, `in_progress`, `done`, …), lower-cased. */
  status: string
  title: string | null
  owner: string | null
  created_at: string | null
  hypothesis: { problem: string | null; claim: string | null; falsification: string | null }
  acceptance_proofs: AcceptanceProof[]
  evidence_links: string[]
  source: SourceRef
}

/** A row of a spec's traceability table whose status is Pending. */
export interface PendingRequirement {
  product_id: string
  requirement: string
  component: string
  test: string
  /** The spec's dossier id, when it names one. */
  dossier_id: string | null
  source: SourceRef
}

export type RoadmapLane = 'now' | 'next' | 'later'

export interface RoadmapEntry {
  product_id: string
  lane: RoadmapLane
  /** The roadmap line that names the product (or one of its dossiers). */
  text: string
  source: SourceRef
}

export interface PmFacts {
  dossiers: Dossier[]
  pending: PendingRequirement[]
  /** At most one entry per product: its most urgent lane (now > next > later). */
  roadmap: RoadmapEntry[]
}

export interface DashFacts {
  killSwitches: Map<string, KillSwitch & { source: SourceRef }>
  health: Map<string, Health & { source: SourceRef }>
  lastRuns: Map<string, LastRun & { source: SourceRef }>
}
