// The devfactory-oracle contracts: what DevFactory's workers write to .devfactory/beast/state.json,
// what the stuck detector finds, and what the intervention engine records. The TypeBox schemas of
// the files are in state/schema.ts and tracker/schema.ts; these are the shapes the code passes around.

/** The five kinds of stuck (seed 3). */
export const STUCK_CLASSIFICATIONS = ['technical_error', 'missing_dependency', 'environment_issue', 'unclear_requirements', 'infinite_loop'] as const
export type StuckClassification = (typeof STUCK_CLASSIFICATIONS)[number]

export const WORKER_STATUSES = ['idle', 'working', 'waiting', 'stuck', 'oracle_takeover', 'offline'] as const
export type WorkerStatus = (typeof WORKER_STATUSES)[number]

export const TASK_STATUSES = ['pending', 'in_progress', 'complete', 'stuck', 'oracle_takeover', 'needs_human'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/**
 * One entry of a worker's activity history, oldest first. An `action` is a tool call with what came
 * back (`output`, or `error` when it failed); a `message` is the agent talking without acting.
 * `id`, `call_id` and `thought` never take part in loop detection (OpenHands ignores them too).
 */
export type ActivityEntry =
  | { kind: 'action'; at: string; tool: string; input?: unknown; output?: string; error?: string; id?: string; call_id?: string; thought?: string }
  | { kind: 'message'; at: string; text: string; id?: string }

export interface WorkerState {
  id: string
  status: WorkerStatus
  task_id?: string
  /** ISO time the worker entered `status`. */
  status_since: string
  /** ISO time of the last heartbeat. */
  last_heartbeat?: string
  /** A long process the worker is waiting on; with fresh heartbeats it is not stuck. */
  waiting_on?: { command: string; pid?: number; since: string }
  /** The last error the worker reported, if any (used by the classifier). */
  last_error?: string
  activity: ActivityEntry[]
}

export interface TaskState {
  id: string
  title?: string
  /** The spec folder under .devfactory/specs/ the task comes from. */
  spec?: string
  status: TaskStatus
  assigned_to?: string
  status_since?: string
  /** Paths (workspace-relative) of the guidance files written for the task, oldest first. */
  guidance?: string[]
  /** Set when the task was handed to a person. */
  escalation?: { reason: string; at: string }
}

/** `.devfactory/beast/state.json` */
export interface BeastState {
  version: 1
  workers: Record<string, WorkerState>
  tasks: Record<string, TaskState>
}

/** What the detector reports for a worker it finds stuck (seed 3's StuckWorker, dates as ISO strings). */
export interface StuckWorker {
  worker: string
  taskId: string
  classification: StuckClassification
  /** 0–1 */
  confidence: number
  /** Why: each line names the rule or the text that matched. */
  evidence: string[]
  detectedAt: string
  /** ms since the worker was last seen making progress. */
  stuckDuration: number
}

// ---- Context (seed 3's ContextLoader types) --------------------------------------------------

export interface RoadmapEntry {
  phase: string
  items: { title: string; done: boolean }[]
}

export interface TechStackInfo {
  /** The tech-stack document as written. */
  raw: string
  /** `- Key: value` lines, in order. */
  entries: { key: string; value: string }[]
}

export type TaskLayer = 'database' | 'backend' | 'frontend' | 'testing'

export interface TaskInfo {
  id: string
  title: string
  layer: TaskLayer
  status: 'pending' | 'in_progress' | 'complete' | 'stuck'
  assignedTo?: string
  /** 1-based line of its checkbox in tasks.md */
  line: number
}

export interface SpecContext {
  name: string
  /** Workspace-relative folder of the spec. */
  path: string
  status: 'planning' | 'in_progress' | 'complete'
  srd: string
  tasks: TaskInfo[]
  dependencies: string[]
}

export interface ProjectContext {
  mission: string
  missionLite: string
  roadmap: RoadmapEntry[]
  techStack: TechStackInfo
  specs: SpecContext[]
  /** ISO time of the last (re)load. */
  lastLoaded: string
}

/** Everything the prompts need about one task. */
export interface TaskContext {
  id: string
  title: string
  layer: TaskLayer
  specName: string
  /** The spec's SRD section for the task, or the whole SRD when no section matches. */
  requirements: string
  /** Workspace-relative tasks.md holding the task's checkbox, and its 1-based line. */
  tasksFile?: string
  line?: number
  dependencies: string[]
  relatedTasks: TaskInfo[]
  previousAttempts?: string
  currentState?: string
}

// ---- Interventions (seed 3's tracker types) --------------------------------------------------

export type InterventionType = 'guidance' | 'takeover' | 'escalation'
export type InterventionOutcome = 'pending' | 'resolved' | 'failed' | 'escalated'

export interface InterventionRecord {
  id: string
  timestamp: string
  taskId: string
  worker: string
  classification: StuckClassification
  type: InterventionType
  contextSummary: string
  action: string
  outcome: InterventionOutcome
  resolutionTime?: number
}

export interface OracleStats {
  totalInterventions: number
  /** resolved ÷ (resolved + failed + escalated); 0 when none has an outcome yet. */
  successRate: number
  /** Mean resolutionTime (ms) of the resolved ones; 0 when none. */
  avgResolutionTime: number
  byClassification: Record<StuckClassification, number>
  /** takeovers ÷ total; 0 when none. */
  takeoverRate: number
}

export interface GuidanceContent {
  rootCause: string
  suggestedFix: string[]
  codeSnippets?: { language: string; code: string }[]
  escalate: boolean
  escalateReason?: string
}

export interface InterventionResult {
  type: InterventionType
  success: boolean
  /** Workspace-relative guidance file, when one was written. */
  guidancePath?: string
  recordId?: string
  error?: string
}

// ---- Ports (added with the intervention engine) ----------------------------------------------

/**
 * What the engine and the takeover manager need of the state store (src/state/store.ts):
 * `update` is lock + read + mutate + atomic write, so `watch` and a manual `intervene` never
 * overwrite each other's changes.
 */
export interface StateAccess {
  read(): Promise<BeastState>
  update<T>(fn: (state: BeastState) => T | Promise<T>): Promise<T>
}

/** The few logger methods the plugin calls; a pino logger (the kernel's event log) fits. */
export interface DevfactoryLog {
  debug(fields: Record<string, unknown>, message: string): void
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}
