// `oracle fleet heal status` and `oracle fleet heal rearm <product> [--intent X]`: where auto-heal
// stopped (and why), and arming it again once a person has looked.

import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, OracleError, compareCodeUnits, errorUsage, parseJsonText, stableStringify, writeFileAtomic } from '@oraclekit/kernel'
import { type HealStateFile, healPolicyOf, rearmCommand } from '../heal.js'
import type { FleetOpsOptions } from '../options.js'

function readState(rootDir: string, rel: string): HealStateFile {
  let text: string
  try {
    text = readFileSync(join(rootDir, rel), 'utf8')
  } catch {
    throw errorUsage(`${rel} does not exist: healing never stopped for that product`, 'oracle fleet heal status lists the products where it did.')
  }
  try {
    return parseJsonText<HealStateFile>(text, rel)
  } catch (error) {
    throw new OracleError('ORACLE_HEAL_STATE_INVALID', `${rel} is not a heal state file`, { file: rel, exitCode: ExitCode.invalidInput, hint: 'Delete it: healing is then armed again.', cause: error })
  }
}

function states(rootDir: string, dir: string): Array<{ rel: string; state: HealStateFile }> {
  let names: string[] = []
  try {
    names = readdirSync(join(rootDir, dir)).filter((n) => n.endsWith('.json')).sort(compareCodeUnits)
  } catch {
    return []
  }
  return names.map((name) => ({ rel: `${dir}/${name}`, state: readState(rootDir, `${dir}/${name}`) }))
}

export async function status(ctx: CommandContext): Promise<CommandResult> {
  const policy = healPolicyOf(ctx.pluginOptions as FleetOpsOptions)
  const all = states(ctx.kernel.rootDir, policy.stateDir)
  const rows = all.flatMap(({ rel, state }) =>
    Object.entries(state.intents)
      .sort(([a], [b]) => compareCodeUnits(a, b))
      .map(([intent, s]) => ({ product_id: state.product_id, intent, ...s, file: rel, rearm: s.state === 'stopped' ? rearmCommand(state.product_id, intent) : null })),
  )
  const lines = [`auto-heal: ${policy.limit === 0 ? 'off' : `${policy.limit} retr${policy.limit === 1 ? 'y' : 'ies'} of ${policy.intents.join(', ')}, ${policy.delayMs} ms apart`}`]
  for (const row of rows) lines.push(`  ${row.product_id} ${row.intent}: ${row.state}${row.state === 'stopped' ? ` since ${row.stopped_at} after ${row.attempts} attempts (${row.reason ?? 'no reason'}); re-arm: ${row.rearm}` : ''}`)
  if (rows.length === 0) lines.push('  no product has a heal state: healing is armed everywhere')
  return { exitCode: ExitCode.ok, data: { policy, states: rows }, text: lines.join('\n') }
}

interface RearmFlags {
  intent?: string
}

export async function rearm(ctx: CommandContext<RearmFlags>): Promise<CommandResult> {
  const policy = healPolicyOf(ctx.pluginOptions as FleetOpsOptions)
  const product = String(ctx.args.product)
  const rel = `${policy.stateDir}/${product}.json`
  const state = readState(ctx.kernel.rootDir, rel)
  const intents = ctx.options.intent ? [ctx.options.intent] : Object.keys(state.intents).sort(compareCodeUnits)
  const unknown = intents.filter((i) => !(i in state.intents))
  if (unknown.length > 0) throw errorUsage(`${rel} has no heal state for ${unknown.join(', ')}`, `It has: ${Object.keys(state.intents).join(', ') || 'none'}.`)
  for (const intent of intents) state.intents[intent] = { state: 'armed', attempts: 0, stopped_at: null, job_id: null, reason: null }
  await writeFileAtomic(join(ctx.kernel.rootDir, rel), stableStringify(state))
  return { exitCode: ExitCode.ok, data: { product_id: product, rearmed: intents, file: rel }, text: `re-armed auto-heal of ${product}: ${intents.join(', ')} (${rel})` }
}
