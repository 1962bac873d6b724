// What each view of the dashboard shows, as the JSON API answers it and the page renders it. The
// server builds these from the workspace's artifacts (model/*.ts); the browser code imports only
// the types. Every list carries the problems met while reading it, so a broken or missing file
// shows as a message in its panel, next to whatever else could be read.

/** A file the dash could not use. */
export interface Problem {
  /** Workspace-relative path. */
  file: string
  line?: number
  message: string
  /** missing: not written (yet), with what writes it; corrupt: there, but not what it should be. */
  kind: 'missing' | 'corrupt'
}

export const VIEWS = ['overview', 'runs', 'work-orders', 'schedules', 'packs', 'orchestrator', 'devfactory', 'science'] as const
export type ViewName = (typeof VIEWS)[number]

/** What `/api/<view>` answers and the page embeds. */
export interface ViewEnvelope<D = ViewDataMap[ViewName]> {
  view: ViewName
  /** Bumped when anything the dash reads changed; 1 in a static build. */
  version: number
  /** The kernel clock's instant the model was built for (ORACLE_NOW pins it). */
  now: string
  /** The workspace folder's name. */
  workspace: string
  data: D
}

export interface RunRef {
  run_id: string
  job_id: string | null
  intent: string
  exit_status: string
  started_at: string | null
  finished_at: string | null
  duration_ms: number | null
}

export interface ProductRow {
  id: string
  /** False when only artifacts name it (the planner's config does not). */
  declared: boolean
  health: { status: string; detail: string | null; checked_at: string | null } | null
  kill_switch: { enabled: boolean; reason: string | null; set_by: string | null; set_at: string | null } | null
  last_run: RunRef | null
  /** Due: entries whose latest slot has no run of the intent since; next: the earliest coming slot. */
  schedule: { timezone: string; due: Array<{ intent: string; since: string }>; next: { intent: string; at: string } | null } | null
  drift: { verdict: 'none' | 'drift' | 'error'; checked_at: string | null; drift: number; errors: number } | null
  /** Intents whose auto-heal stopped. */
  heal_stopped: string[]
  problems: Problem[]
}

export interface OverviewData {
  counts: { products: number; unhealthy: number; kill_switched: number; failing: number; drifting: number; due: number }
  products: ProductRow[]
  problems: Problem[]
}

export interface RunRow extends RunRef {
  product_id: string
  attempt: number | null
  reason: string | null
  /** Workspace-relative evidence.json, or null for a run only last_run.json records. */
  evidence: string | null
}

export interface RunsData {
  total: number
  /** The newest runs (by finish time), at most RUNS_SHOWN. */
  runs: RunRow[]
  problems: Problem[]
}

export interface WorkOrderRow {
  job_id: string
  product_id: string
  intent: string
  priority: number
  reasons: string[]
  sources: string[]
  scheduled: string | null
  max_time_ms: number | null
  /** pending: no evidence yet; else the exit_status of its evidence. */
  state: string
  file: string
}

export interface WorkOrdersData {
  dir: string
  orders: WorkOrderRow[]
  problems: Problem[]
}

export interface ScheduleEntryRow {
  intent: string
  cadence: string
  last: string | null
  next: string | null
  due: boolean
  last_run: string | null
}

export interface DriftItemRow {
  kind: string
  key: string
  expected: string
  actual: string
  status: string
}

export interface ProductOps {
  id: string
  schedule: { file: string; timezone: string; entries: ScheduleEntryRow[] } | null
  drift: { file: string; checked_at: string | null; exit_code: number | null; items: DriftItemRow[] } | null
  heal: Array<{ intent: string; state: string; attempts: number; stopped_at: string | null; reason: string | null }>
  problems: Problem[]
}

export interface SchedulesData {
  products: ProductOps[]
  problems: Problem[]
}

export interface PackStep {
  step_id: string
  category: string | null
  reference: string | null
  roi: number | null
  status: string
  attempts: number | null
  duration_ms: number | null
  cached: boolean
  output_path: string | null
  /** The output file's size in bytes; null when it is not there. */
  output_bytes: number | null
  last_error: string | null
}

export interface ActionTask {
  task_id: string
  title: string
  status: string
  category: string | null
  priority: string | null
  roi: number | null
  step_id: string | null
}

export interface PackRun {
  pack_id: string
  dir: string
  status: string | null
  pack_path: string | null
  engine: string | null
  created_at: string | null
  updated_at: string | null
  stop_reason: string | null
  steps: PackStep[]
  actionizer: { files: string[]; counts: Record<string, number>; tasks: ActionTask[] } | null
  problems: Problem[]
}

export interface PacksData {
  dir: string
  runs: PackRun[]
  problems: Problem[]
}

export interface DagNode {
  id: string
  title: string
  type: string
  state: string
  attempts: number
  duration_ms: number | null
  message: string | null
  gates: string[]
  layer: number
  x: number
  y: number
}

export interface OrchestratorData {
  plan: { file: string; project: string | null; tasks: number } | null
  run: { id: string; file: string; status: string; events: number } | null
  runs: Array<{ id: string; status: string }>
  dag: { width: number; height: number; nodes: DagNode[]; edges: Array<{ from: string; to: string }> }
  awaiting: string[]
  approved: Array<{ gate: string; by: string; at: string }>
  problems: Problem[]
}

export interface DevfactoryData {
  workers: Array<{ id: string; status: string; task_id: string | null; since: string | null; heartbeat: string | null; waiting_on: string | null; last_error: string | null; last_activity: string | null }>
  tasks: Array<{ id: string; title: string | null; spec: string | null; status: string; assigned_to: string | null; escalation: string | null }>
  interventions: Array<{ id: string; timestamp: string; task_id: string; worker: string; classification: string; type: string; outcome: string; action: string; resolution_ms: number | null; not_delivered: string | null }>
  stats: { total: number; success_rate: number; takeover_rate: number; by_outcome: Record<string, number> }
  problems: Problem[]
}

export interface DossierCard {
  dossier_id: string
  product_id: string
  title: string | null
  owner: string | null
  status: string
  lane_status: string
  source: string | null
  hypothesis: { problem: string | null; claim: string | null; falsification: string | null }
  proofs: Array<{ text: string; status: string; evidence: string[]; run: { run_id: string; exit_status: string; finished_at: string } | null }>
}

export interface ScienceData {
  file: string
  summary: { dossiers: number; pass: number; pending: number; fail: number; by_lane: Record<string, number> }
  dossiers: DossierCard[]
  problems: Problem[]
}

export interface ViewDataMap {
  overview: OverviewData
  runs: RunsData
  'work-orders': WorkOrdersData
  schedules: SchedulesData
  packs: PacksData
  orchestrator: OrchestratorData
  devfactory: DevfactoryData
  science: ScienceData
}

/** Every view's data, built in one pass over the workspace. */
export type DashModel = { [V in ViewName]: ViewDataMap[V] }
