// What the `oracle run` tests share: fleets that are cleaned up, planned orders, runs, and
// readers of their results.

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { toJsonSchemaDocument } from '@oraclekit/kernel'
import { expect } from 'vitest'
import {
  type Fleet,
  type FleetSpec,
  type OracleResult,
  REPO_ROOT,
  createFleet,
  jsonSchemaValidator,
  oracle,
  oracleJson,
  plan,
  step,
} from './fleet.js'
import type { JobReport, RunOutcome } from '../run/execute.js'
import { Evidence, LastRun, type WorkOrder } from '../schema/artifacts.js'

const fleets: Fleet[] = []
/** Removes the fleets the test made: `afterEach(cleanupFleets)`. */
export async function cleanupFleets(): Promise<void> {
  await Promise.all(fleets.splice(0).map((f) => f.cleanup()))
}
export async function fleet(spec: FleetSpec): Promise<Fleet> {
  const f = await createFleet(spec)
  fleets.push(f)
  return f
}

/** A fleet, planned: its work orders in plan order. */
export async function planned(spec: FleetSpec, args: string[] = []): Promise<{ f: Fleet; orders: WorkOrder[] }> {
  const f = await fleet(spec)
  const result = await plan(f.dir, [...args, '--json'])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return { f, orders: (JSON.parse(result.stdout) as { work_orders: WorkOrder[] }).work_orders }
}

export const run = (f: Fleet, args: string[] = []): Promise<OracleResult> => oracle(f.dir, ['run', ...args])
export const runJson = (f: Fleet, args: string[] = []) => oracleJson<RunOutcome>(f.dir, ['run', ...args])
export const tag = (o: Pick<WorkOrder, 'product_id' | 'intent'>) => `${o.product_id}.${o.intent}`
export const byStatus = (jobs: JobReport[], status: JobReport['status']) => jobs.filter((j) => j.status === status).map(tag)
export const evidenceDir = (o: Pick<WorkOrder, 'product_id' | 'job_id'>) => `dash/runs/${o.product_id}/${o.job_id}`

/** A committed schema when there is one, else the plugin's own. */
export function schemaOf(name: string, fallback: Parameters<typeof toJsonSchemaDocument>[0]): object {
  const committed = join(REPO_ROOT, `schemas/${name}.schema.json`)
  return existsSync(committed) ? (JSON.parse(readFileSync(committed, 'utf8')) as object) : toJsonSchemaDocument(fallback)
}
export const validateEvidence = jsonSchemaValidator(schemaOf('evidence', Evidence))
export const validateLastRun = jsonSchemaValidator(schemaOf('last_run', LastRun))

/** alpha (validate, test, a passing health check) and beta (validate): alpha.validate, beta.validate, alpha.test. */
export const twoProducts = (): FleetSpec => ({
  products: [
    { id: 'alpha', commands: { validate: step('print', 'alpha valid', 'eprint', 'alpha warning'), test: step('print', 'alpha tests pass') }, health: { command: step('print', 'alpha is up') } },
    { id: 'beta', commands: { validate: step('print', 'beta valid') } },
  ],
})

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(10)
  }
}

export const pidsIn = (f: Fleet, file: string): number[] => (f.exists(file) ? readFileSync(f.path(file), 'utf8').split('\n').filter(Boolean).map(Number) : [])
