// Bounded auto-heal (seed 5): a failed job of a healed intent is retried at most `limit` times,
// after a fixed delay, then healing stops for that product and intent, and says how to re-arm it.
// The policy comes from another plugin (fleet-ops) through the `work-order-planner.heal`
// extension point; without it, nothing is retried. The state lives in dash/heal/<product>.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Kernel } from '@oraclekit/kernel'
import { stableStringify, writeFileAtomic } from '@oraclekit/kernel'

export const HEAL_POINT = 'work-order-planner.heal'

/** What a plugin offers at `work-order-planner.heal`. */
export interface HealPolicy {
  /** Retries of a failed job (0: off). */
  limit: number
  intents: string[]
  delayMs: number
  /** Workspace-relative folder of the heal state files. */
  stateDir: string
}

export interface HealIntentState {
  state: 'armed' | 'stopped'
  attempts: number
  stopped_at: string | null
  job_id: string | null
  reason: string | null
}

export interface HealState {
  schema_version: 1
  product_id: string
  intents: Record<string, HealIntentState>
}

export function healPolicy(kernel: Kernel): HealPolicy | undefined {
  return kernel.extensions<HealPolicy>(HEAL_POINT)[0]?.value
}

export const rearmCommand = (productId: string, intent: string) => `oracle fleet heal rearm ${productId} --intent ${intent}`

/** Retries a job gets: none for an intent not healed, or while healing is stopped for it. */
export function retriesFor(policy: HealPolicy | undefined, state: HealState | undefined, intent: string): number {
  if (!policy || policy.limit <= 0 || !policy.intents.includes(intent)) return 0
  return state?.intents[intent]?.state === 'stopped' ? 0 : policy.limit
}

/**
 * The state after a job of `intent` ended: armed again after a success; stopped when it failed
 * with retries allowed and all of them used. A failure without retries leaves the state as it was.
 */
export function nextHealState(prev: HealState | undefined, productId: string, intent: string, outcome: { ok: boolean; attempts: number; retries: number; jobId: string; at: string; reason: string | null }): HealState {
  const intents = { ...(prev?.intents ?? {}) }
  if (outcome.ok) intents[intent] = { state: 'armed', attempts: outcome.attempts, stopped_at: null, job_id: outcome.jobId, reason: null }
  else if (outcome.retries > 0) intents[intent] = { state: 'stopped', attempts: outcome.attempts, stopped_at: outcome.at, job_id: outcome.jobId, reason: outcome.reason }
  return { schema_version: 1, product_id: productId, intents }
}

export function healFile(policy: HealPolicy, productId: string): string {
  return `${policy.stateDir.replace(/\/+$/, '')}/${productId}.json`
}

/** The heal state of a product; none when the file is missing or unreadable (healing then runs armed). */
export function readHealState(rootDir: string, policy: HealPolicy, productId: string): HealState | undefined {
  try {
    const value = JSON.parse(readFileSync(join(rootDir, healFile(policy, productId)), 'utf8')) as HealState
    return value && typeof value === 'object' && value.intents ? value : undefined
  } catch {
    return undefined
  }
}

export async function writeHealState(rootDir: string, policy: HealPolicy, state: HealState): Promise<void> {
  await writeFileAtomic(join(rootDir, healFile(policy, state.product_id)), stableStringify(state))
}
