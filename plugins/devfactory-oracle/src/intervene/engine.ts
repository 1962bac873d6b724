// The intervention engine: for one stuck worker, decide the rung of the ladder and carry it out
// (seed 3 §3). Claude is asked outside any lock; the files the oracle writes are numbered and
// written inside the state update, so two oracle processes never pick the same number and the
// state never points at a file that does not exist.

import { join } from 'node:path'
import { type Clock, isOracleError, systemClock, toPosixRelative, writeFileAtomic } from '@oraclekit/kernel'
import { errorNoAgent } from '../errors.js'
import type { ClaudeAnswer, ClaudeAsk } from '../guidance/client.js'
import { parseGuidance } from '../guidance/parse.js'
import { renderEscalationNote, renderGuidance } from '../guidance/render.js'
import { DEFAULT_DIR, nextFileNumber, oracleDir, oracleFileName } from '../oracle-files.js'
import { ORACLE_SYSTEM_PROMPT, buildGuidancePrompt } from '../prompts.js'
import type { TakeoverManager, TakeoverResult } from '../takeover/takeover.js'
import type { TrackedIntervention } from '../tracker/schema.js'
import type { InterventionTracker } from '../tracker/tracker.js'
import type { BeastState, DevfactoryLog, InterventionResult, InterventionType, StateAccess, StuckWorker, TaskContext, TaskState } from '../types.js'
import { DEFAULT_GUIDANCE_GRACE_MS } from './resolve.js'
import { type StrategyDecision, decideStrategy } from './strategy.js'

export interface InterventionEngineOptions {
  rootDir: string
  /** DevFactory's folder (default `.devfactory`). */
  dir?: string
  state: StateAccess
  tracker: Pick<InterventionTracker, 'record' | 'updateOutcome' | 'getForTask'>
  /** Asks Claude (createClaudeAsk); called once per guidance. */
  ask: ClaudeAsk
  /** Absent: a takeover is escalated instead (no agent configured). */
  takeover?: Pick<TakeoverManager, 'takeover'>
  maxInterventionsPerTask?: number
  /** How long a pending guidance is given before the next intervention on its task (default 5 min). */
  guidanceGraceMs?: number
  clock?: Clock
  log?: DevfactoryLog
}

export interface InterventionRequest {
  stuck: StuckWorker
  task: TaskContext
  /** ContextLoader.getSummary(summaryTokens, { taskId }) */
  summary: string
  /** Default: the tracker's records for the task. */
  previousInterventions?: TrackedIntervention[]
  /** Skip the decision (a manual `intervene --strategy`). */
  strategy?: InterventionType
  /** Intervene even while a recent guidance is pending (a manual `intervene`). */
  force?: boolean
}

export interface EngineResult extends InterventionResult {
  /** Why this rung was chosen (or why nothing was done). */
  reason: string
  /** Nothing was done: a guidance given less than guidanceGraceMs ago is still pending. */
  skipped?: boolean
  /** Workspace-relative escalation note, when one was written. */
  notePath?: string
  takeover?: TakeoverResult
}

export class InterventionEngine {
  private readonly clock: Clock
  private readonly dir: string

  constructor(private readonly options: InterventionEngineOptions) {
    this.clock = options.clock ?? systemClock
    this.dir = options.dir ?? DEFAULT_DIR
  }

  decideStrategy(stuck: StuckWorker, previous: readonly TrackedIntervention[]): StrategyDecision {
    return decideStrategy(stuck, previous, { maxInterventionsPerTask: this.options.maxInterventionsPerTask ?? 3 })
  }

  async intervene(request: InterventionRequest): Promise<EngineResult> {
    const { stuck, task } = request
    const previous = [...(request.previousInterventions ?? (await this.options.tracker.getForTask(task.id)))]
    const pending = previous.filter((r) => r.type === 'guidance' && r.outcome === 'pending' && r.notDelivered === undefined)
    const grace = this.options.guidanceGraceMs ?? DEFAULT_GUIDANCE_GRACE_MS
    const fresh = pending.find((r) => this.clock.now() - Date.parse(r.timestamp) < grace)
    if (fresh && !request.force && request.strategy === undefined) {
      return { type: 'guidance', success: false, skipped: true, recordId: fresh.id, reason: `guidance ${fresh.id} of ${fresh.timestamp} is still pending; the worker gets ${Math.round(grace / 60_000)} min to act on it` }
    }
    // A new intervention means the pending guidance did not help: it counts as failed.
    for (const record of pending) {
      await this.options.tracker.updateOutcome(record.id, 'failed')
      record.outcome = 'failed'
    }
    const decision = request.strategy ? { strategy: request.strategy, reason: `${request.strategy} requested` } : this.decideStrategy(stuck, previous)
    this.options.log?.info({ task: task.id, worker: stuck.worker, strategy: decision.strategy, reason: decision.reason }, 'intervening')
    switch (decision.strategy) {
      case 'guidance':
        return this.guide(request, previous, decision.reason)
      case 'takeover':
        return this.takeOver(request, previous, decision.reason, request.strategy === 'takeover')
      case 'escalation':
        return this.escalate(request, previous, decision.reason)
    }
  }

  private async guide(request: InterventionRequest, previous: readonly TrackedIntervention[], reason: string): Promise<EngineResult> {
    const { stuck, task } = request
    const startedAt = this.clock.iso()
    let answer: ClaudeAnswer
    try {
      answer = await this.options.ask({ system: ORACLE_SYSTEM_PROMPT, prompt: buildGuidancePrompt(request.summary, task, stuck) })
    } catch (error) {
      // A missing key is a setup problem for the CLI to show, not a failed intervention.
      if (!isOracleError(error) || error.code === 'ORACLE_DEVFACTORY_NO_API_KEY') throw error
      const recordId = await this.record(request, 'guidance', 'failed', `no guidance: ${error.message}`, { timestamp: startedAt, notDelivered: error.message })
      this.options.log?.error({ task: task.id, code: error.code, error: error.message }, 'guidance failed')
      return { type: 'guidance', success: false, error: error.message, recordId, reason }
    }
    const content = parseGuidance(answer.text)
    const escalateReason = content.escalate ? `Claude advises a person: ${content.escalateReason ?? 'no reason given'}` : undefined
    const written = await this.options.state.update(async (state) => {
      const at = this.clock.iso()
      const file = await this.nextFile('guidance', task.id)
      const guidance = renderGuidance({ stuck, task, content, model: answer.model, writtenAt: at, rawAnswer: answer.text, ...(answer.requestId ? { requestId: answer.requestId } : {}) })
      await writeFileAtomic(file.absolute, guidance)
      const entry = ensureTask(state, task, at)
      entry.guidance = [...(entry.guidance ?? []), file.path]
      // Claude saying "escalate" is honoured: the guidance is kept for the person, and the task
      // goes to them at once instead of waiting for the ladder.
      const note = escalateReason ? await this.markEscalated(state, request, previous, escalateReason, at, file.path) : undefined
      return { guidancePath: file.path, notePath: note }
    })
    const type = escalateReason ? 'escalation' : 'guidance'
    const action = escalateReason ? `guidance written to ${written.guidancePath}; escalated: ${escalateReason}; note ${written.notePath}` : `guidance written to ${written.guidancePath}`
    const recordId = await this.record(request, type, escalateReason ? 'escalated' : 'pending', action, { timestamp: startedAt })
    this.options.log?.info({ task: task.id, guidance: written.guidancePath, escalated: Boolean(escalateReason), attempts: answer.attempts, requestId: answer.requestId }, 'guidance written')
    return {
      type,
      success: true,
      guidancePath: written.guidancePath,
      recordId,
      reason: escalateReason ?? reason,
      ...(written.notePath ? { notePath: written.notePath } : {}),
    }
  }

  private async takeOver(request: InterventionRequest, previous: readonly TrackedIntervention[], reason: string, forced: boolean): Promise<EngineResult> {
    const { stuck, task } = request
    const startedAt = this.clock.iso()
    // No agent configured: a takeover is the rung, but only a person can climb it.
    const noAgent = `${reason}; a takeover is due but no takeoverCommand is configured`
    if (!this.options.takeover) {
      if (forced) throw errorNoAgent()
      return this.escalate(request, previous, noAgent)
    }
    let result: TakeoverResult
    try {
      result = await this.options.takeover.takeover({ task, summary: request.summary, reason, worker: stuck.worker })
    } catch (error) {
      if (!isOracleError(error)) throw error
      // Nothing happened: the next check tries again.
      if (error.code === 'ORACLE_DEVFACTORY_TAKEOVER_BUSY') return { type: 'takeover', success: false, skipped: true, error: error.message, reason }
      if (error.code === 'ORACLE_DEVFACTORY_NO_AGENT' && !forced) return this.escalate(request, previous, noAgent)
      throw error
    }
    const outcome = result.success ? 'resolved' : 'failed'
    const action = result.success ? `takeover completed the task; log ${result.logPath}` : `takeover failed: ${result.error ?? 'unknown error'}`
    const recordId = await this.record(request, 'takeover', outcome, action, { timestamp: startedAt, ...(result.success ? { resolutionTime: result.duration } : {}) })
    return { type: 'takeover', success: result.success, recordId, reason, takeover: result, ...(result.error ? { error: result.error } : {}) }
  }

  private async escalate(request: InterventionRequest, previous: readonly TrackedIntervention[], reason: string): Promise<EngineResult> {
    const { stuck, task } = request
    const startedAt = this.clock.iso()
    const notePath = await this.options.state.update((state) => this.markEscalated(state, request, previous, reason, this.clock.iso()))
    const recordId = await this.record(request, 'escalation', 'escalated', `escalated to a person: ${reason}; note ${notePath}`, { timestamp: startedAt })
    this.options.log?.warn({ task: task.id, worker: stuck.worker, reason, note: notePath }, 'escalated to a person')
    return { type: 'escalation', success: true, recordId, reason, notePath }
  }

  /** Inside a state update: writes the note and hands the task to a person. Returns the note path. */
  private async markEscalated(state: BeastState, request: InterventionRequest, previous: readonly TrackedIntervention[], reason: string, at: string, guidancePath?: string): Promise<string> {
    const { stuck, task } = request
    const file = await this.nextFile('escalation', task.id)
    const stateFile = `${this.dir.replace(/\/+$/, '')}/beast/state.json`
    await writeFileAtomic(file.absolute, renderEscalationNote({ stuck, task, reason, at, previous, stateFile, ...(guidancePath ? { guidancePath } : {}) }))
    const entry = ensureTask(state, task, at)
    entry.status = 'needs_human'
    entry.status_since = at
    entry.escalation = { reason, at }
    return file.path
  }

  private async nextFile(kind: 'guidance' | 'escalation', taskId: string): Promise<{ absolute: string; path: string }> {
    const dir = oracleDir(this.options.rootDir, this.dir)
    const absolute = join(dir, oracleFileName(kind, taskId, await nextFileNumber(dir, kind, taskId)))
    return { absolute, path: toPosixRelative(this.options.rootDir, absolute) }
  }

  private record(
    { stuck, task }: InterventionRequest,
    type: InterventionType,
    outcome: TrackedIntervention['outcome'],
    action: string,
    extra: { timestamp: string; resolutionTime?: number; notDelivered?: string },
  ): Promise<string> {
    return this.options.tracker.record({ taskId: task.id, worker: stuck.worker, classification: stuck.classification, type, contextSummary: contextSummary(stuck), action, outcome, ...extra })
  }
}

/** The task's entry in the state, created (as stuck) when DevFactory has none for it yet. */
function ensureTask(state: BeastState, task: TaskContext, at: string): TaskState {
  return (state.tasks[task.id] ??= { id: task.id, title: task.title, spec: task.specName, status: 'stuck', status_since: at })
}

/** One line for the history: why the oracle stepped in. */
export function contextSummary(stuck: StuckWorker): string {
  const line = `${stuck.classification} (confidence ${stuck.confidence.toFixed(2)}) for ${Math.round(stuck.stuckDuration / 60_000)} min: ${stuck.evidence.join('; ')}`.replace(/\s+/g, ' ')
  return line.length <= 500 ? line : `${line.slice(0, 499)}…`
}
