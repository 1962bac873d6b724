// The README's main job on the bundled example workspace, as `npm run example` runs it.
import { cp, readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, runOracle } from './helpers.js'

const workspace = join(REPO_ROOT, 'examples/workspace')

describe('examples/workspace', () => {
  it('runs the main job: finds every marker of the fleet and writes a stable report', async () => {
    await rm(join(workspace, '.oracle'), { recursive: true, force: true })
    const first = await runOracle(['--cwd', 'examples/workspace', 'todos', 'products'], { cwd: REPO_ROOT })
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toBe(
      [
        'products/billing-api/src/invoice.ts:6  // TODO: round half-even once finance confirms the rule',
        'products/billing-api/src/retry.ts:1  // FIXME: the backoff ignores Retry-After headers',
        'products/web-app/src/cart.ts:2  // HACK: locale is hard-coded until the settings page ships',
        '3 marker(s) in 4 file(s); report: .oracle/todos.json',
        '',
      ].join('\n'),
    )
    const report = await readFile(join(workspace, '.oracle/todos.json'), 'utf8')
    const again = await runOracle(['--cwd', 'examples/workspace', 'todos', 'products'], { cwd: REPO_ROOT })
    expect(again.exitCode).toBe(0)
    // Same inputs, byte-identical artifact.
    expect(await readFile(join(workspace, '.oracle/todos.json'), 'utf8')).toBe(report)
  })

  it('validates the example pack strictly and runs it on the recorded answers; a rerun changes nothing', async () => {
    await rm(join(workspace, '.oraclepack'), { recursive: true, force: true })
    // No provider key: the example's config picks the replay engine.
    const env = { OPENAI_API_KEY: '', OPENROUTER_API_KEY: '' }
    const oracle = (...args: string[]) => runOracle(['--cwd', 'examples/workspace', ...args], { cwd: REPO_ROOT, env })
    const validate = await oracle('pack', 'validate', 'packs/fleet-review-pack.md', '--strict', '--json')
    expect(validate.exitCode).toBe(0)
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, mode: 'strict', counts: { steps: 20, bash_blocks: 1, oracle_invocations: 20 }, errors: 0 })

    const run = await oracle('pack', 'run', 'packs/fleet-review-pack.md')
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toContain('20/20 ok')
    expect(run.stdout).toContain('engine: replay of recorded answers in packs/answers (not a live model)')
    const runs = await readdir(join(workspace, '.oraclepack/runs'))
    expect(runs).toHaveLength(1)
    const outputs = join(workspace, '.oraclepack/runs', runs[0] as string, 'outputs')
    const recorded = (await readdir(join(workspace, 'packs/answers'))).sort()
    expect((await readdir(outputs)).filter((n) => n.endsWith('.md')).sort()).toEqual(recorded)
    for (const name of recorded) expect(await readFile(join(outputs, name), 'utf8')).toBe(await readFile(join(workspace, 'packs/answers', name), 'utf8'))

    const again = await oracle('pack', 'run', 'packs/fleet-review-pack.md', '--json')
    expect(again.exitCode).toBe(0)
    expect(JSON.parse(again.stdout).counts).toMatchObject({ ok: 20, executed: 0, engine_calls: 0 })

    // Stage 3: the answers become tasks; a second actionize writes the same bytes.
    const actionize = await oracle('pack', 'actionize', '--run-dir', 'latest', '--json')
    expect(actionize.exitCode, actionize.stderr).toBe(0)
    const summary = JSON.parse(actionize.stdout)
    expect(summary).toMatchObject({ steps: 20, answered: 20, counts: { conflict: 1, blocked: 3 } })
    const dir = join(workspace, '.oraclepack/runs', runs[0] as string, 'actionizer')
    const artifacts = async () => Object.fromEntries(await Promise.all((await readdir(dir)).sort().map(async (name) => [name, await readFile(join(dir, name), 'utf8')])))
    const first = await artifacts()
    expect(Object.keys(first)).toEqual(['backlog.md', 'change-plan.md', 'github-issues.json', 'normalized.jsonl', 'orchestrator.yml', 'taskmaster.json'])
    expect((await oracle('pack', 'actionize', '--run-dir', 'latest')).exitCode).toBe(0)
    expect(await artifacts()).toEqual(first)

    // The actionizer's plan is an orchestrator plan: it validates, and dry-runs in dependency order.
    const emitted = `.oraclepack/runs/${runs[0]}/actionizer/orchestrator.yml`
    const validated = await oracle('orchestrate', 'plan', 'validate', '--file', emitted, '--json')
    expect(validated.exitCode, validated.stderr).toBe(0)
    expect(JSON.parse(validated.stdout)).toMatchObject({ tasks: summary.tasks - summary.counts.noop })
    const dry = await oracle('orchestrate', 'run', '--dry-run', '--file', emitted, '--json')
    expect(dry.exitCode).toBe(0)
    expect(JSON.parse(dry.stdout).order).toHaveLength(summary.tasks - summary.counts.noop)
  })
})

describe('examples/fleet', () => {
  it('plans the three most urgent work orders, shows them dry, runs them with evidence, and does not run them twice', async () => {
    // A copy inside the repository (so the config resolves @oraclekit/*), as `npm run example` makes.
    const dir = join(REPO_ROOT, 'tmp/e2e-fleet')
    await rm(dir, { recursive: true, force: true })
    await cp(join(REPO_ROOT, 'examples/fleet'), dir, { recursive: true })
    const env = { ORACLE_NOW: '2026-11-21T12:00:00Z' }
    const oracle = (...args: string[]) => runOracle(['--cwd', 'tmp/e2e-fleet', ...args], { cwd: REPO_ROOT, env })
    try {
      const plan = await oracle('plan', '--json')
      expect(plan.exitCode, plan.stderr).toBe(0)
      const planned = JSON.parse(plan.stdout)
      expect(planned.work_orders.map((o: { product_id: string; intent: string }) => `${o.product_id} ${o.intent}`)).toEqual(['web-app test', 'search-indexer validate', 'billing-api regenerate_report'])
      expect(planned.held.map((h: { product_id: string }) => h.product_id).sort()).toEqual(['legacy-reports', 'search-indexer'])
      expect((await readdir(join(dir, 'nexus/work_orders'))).sort()).toEqual(planned.work_orders.map((o: { job_id: string }) => `${o.job_id}.json`).sort())
      // Same inputs, same bytes.
      const orders = await readdir(join(dir, 'nexus/work_orders'))
      const bytes = await Promise.all(orders.map((name) => readFile(join(dir, 'nexus/work_orders', name), 'utf8')))
      expect((await oracle('plan')).exitCode).toBe(0)
      expect(await Promise.all(orders.map((name) => readFile(join(dir, 'nexus/work_orders', name), 'utf8')))).toEqual(bytes)

      const dry = await oracle('run', '--dry-run')
      expect(dry.exitCode, dry.stderr).toBe(0)
      expect(dry.stdout).toContain('would run web-app.test.')
      expect(await readdir(join(dir, 'dash/runs'))).toEqual(['billing-api', 'web-app'])

      const run = await oracle('run', '--json')
      expect(run.exitCode, run.stderr).toBe(0)
      const outcome = JSON.parse(run.stdout)
      expect(outcome.jobs.map((j: { status: string }) => j.status)).toEqual(['ok', 'ok', 'ok'])
      expect(outcome.health_checks).toEqual([{ product_id: 'billing-api', status: 'healthy', file: 'dash/health/billing-api.json' }])
      const lastRun = JSON.parse(await readFile(join(dir, 'dash/runs/web-app/last_run.json'), 'utf8'))
      expect(lastRun).toMatchObject({ intent: 'test', exit_status: 'ok', job_id: planned.work_orders[0].job_id })
      const evidence = JSON.parse(await readFile(join(dir, lastRun.evidence), 'utf8'))
      expect(evidence).toMatchObject({ exit_code: 0, exit_status: 'ok', command: { argv: ['node', '--test', 'test/cart.test.mjs'], cwd: 'products/web-app' } })

      const again = await oracle('run')
      expect(again.exitCode).toBe(0)
      expect(again.stdout).toContain('every work order was done by an earlier run')

      // fleet-ops: the schedules, what is due after that run, and the Science Lane index.
      expect((await oracle('fleet', 'schedules', 'validate')).exitCode).toBe(0)
      const scheduled = await oracle('plan', '--from-schedules', '--budget', '5', '--json')
      expect(scheduled.exitCode, scheduled.stderr).toBe(0)
      expect(JSON.parse(scheduled.stdout).work_orders.map((o: { product_id: string; intent: string }) => `${o.product_id} ${o.intent}`)).toEqual(['billing-api drift_check', 'billing-api gc_runs'])
      const maintenance = await oracle('run', '--json')
      expect(maintenance.exitCode, maintenance.stderr).toBe(0)
      expect(JSON.parse(await readFile(join(dir, 'dash/drift/billing-api.json'), 'utf8'))).toMatchObject({ exit_code: 0, summary: { checked: 3, drift: 0 } })
      expect((await oracle('fleet', 'science')).exitCode).toBe(0)
      const index = JSON.parse(await readFile(join(dir, 'dash/science_index.json'), 'utf8'))
      expect(index.dossiers.map((d: { dossier_id: string }) => d.dossier_id)).toEqual(['DOS-20261101-billing-retries', 'DOS-20261105-web-checkout'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('examples/devfactory', () => {
  it('shows the workers with their verdicts at 10:20, hands fe-1\'s task to a person, and records it', async () => {
    // A copy inside the repository (so the config resolves @oraclekit/*), as `npm run example` makes.
    const dir = join(REPO_ROOT, 'tmp/e2e-devfactory')
    await rm(dir, { recursive: true, force: true })
    await cp(join(REPO_ROOT, 'examples/devfactory'), dir, { recursive: true, filter: (source) => !source.endsWith('/.devfactory/oracle') })
    const oracle = (...args: string[]) => runOracle(['--cwd', 'tmp/e2e-devfactory', 'devfactory', ...args], { cwd: REPO_ROOT, env: { ORACLE_NOW: '2026-11-20T10:20:00Z' } })
    try {
      const status = await oracle('status', '--json')
      expect(status.exitCode, status.stderr).toBe(0)
      const verdicts = JSON.parse(status.stdout).workers.map((w: { id: string; verdict: string; stuck: { classification: string } | null }) => `${w.id} ${w.verdict}${w.stuck ? ` ${w.stuck.classification}` : ''}`)
      expect(verdicts).toEqual(['be-1 ok', 'be-2 stuck missing_dependency', 'db-1 not watched', 'fe-1 stuck environment_issue', 'qa-1 ok'])

      const escalate = await oracle('intervene', '2026-01-05-user-auth/3.1', '--strategy', 'escalation')
      expect(escalate.exitCode, escalate.stderr).toBe(0)
      const state = JSON.parse(await readFile(join(dir, '.devfactory/beast/state.json'), 'utf8'))
      expect(state.tasks['2026-01-05-user-auth/3.1']).toMatchObject({ status: 'needs_human', escalation: { reason: 'escalation requested', at: '2026-11-20T10:20:00.000Z' } })
      expect(await readFile(join(dir, '.devfactory/oracle/escalation-2026-01-05-user-auth_3.1-1.md'), 'utf8')).toContain('# Escalation: task 2026-01-05-user-auth/3.1 needs a person')

      const history = await oracle('history', '--json')
      expect(JSON.parse(history.stdout).map((r: { id: string; type: string }) => `${r.id} ${r.type}`)).toEqual(['int-1 escalation'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
