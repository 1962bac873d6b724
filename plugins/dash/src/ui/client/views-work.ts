// Browser code. The work views: pack runs and the actionizer's backlog, the orchestrator's DAG,
// DevFactory's workers and interventions.

import type { ActionTask, DagNode, DevfactoryData, OrchestratorData, PackRun, PackStep, PacksData, ViewEnvelope } from '../../model/types.js'
import { type Child, badge, code, duration, h, panel, s, stats, table, tone, when } from './dom.js'

function bytes(n: number | null): string {
  if (n === null) return 'missing'
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`
}

function packRun(run: PackRun, now: string): HTMLElement {
  const counts: Record<string, number> = {}
  for (const step of run.steps) counts[step.status] = (counts[step.status] ?? 0) + 1
  const backlog = run.actionizer
  return panel(
    `Pack run ${run.pack_id}`,
    run.problems,
    h(
      'p',
      { class: 'meta' },
      badge(run.status ?? 'unknown'),
      ' ',
      code(run.pack_path),
      ` · engine ${run.engine ?? '?'} · started `,
      when(run.created_at, now),
      ' · updated ',
      when(run.updated_at, now),
      run.stop_reason ? ` · stopped: ${run.stop_reason}` : null,
    ),
    stats(Object.entries(counts).map(([status, n]) => [status, n, tone(status)])),
    table<PackStep>(
      [
        ['step', (st) => st.step_id],
        ['category', (st) => st.category ?? ''],
        ['reference', (st) => code(st.reference), 'wrap'],
        ['ROI', (st) => st.roi ?? '', 'num'],
        ['status', (st) => badge(st.status)],
        ['attempts', (st) => (st.cached ? 'cache' : (st.attempts ?? '')), 'num'],
        ['duration', (st) => duration(st.duration_ms), 'num'],
        ['output', (st) => (st.output_path ? h('span', null, code(st.output_path), ' ', h('span', { class: st.output_bytes === null ? 'tag bad' : 'muted' }, bytes(st.output_bytes))) : '—'), 'wrap'],
        ['error', (st) => st.last_error ?? ''],
      ],
      run.steps,
      'No steps recorded.',
    ),
    backlog
      ? h(
          'details',
          { 'data-key': `backlog-${run.pack_id}`, open: backlog.tasks.length <= 30 ? '' : null },
          h('summary', null, `Actionizer backlog: ${Object.values(backlog.counts).reduce((a, b) => a + b, 0)} tasks (`, Object.entries(backlog.counts).map(([k, v]) => `${v} ${k}`).join(', '), ')'),
          h('p', { class: 'hint' }, 'Files: ', ...backlog.files.flatMap((f, i) => [i > 0 ? ', ' : '', code(f)])),
          table<ActionTask>(
            [
              ['task', (t) => code(t.task_id)],
              ['status', (t) => badge(t.status)],
              ['title', (t) => t.title],
              ['category', (t) => t.category ?? ''],
              ['priority', (t) => t.priority ?? ''],
              ['ROI', (t) => t.roi ?? '', 'num'],
              ['step', (t) => t.step_id ?? ''],
            ],
            backlog.tasks,
            'No tasks.',
          ),
        )
      : h('p', { class: 'muted' }, 'Not actionized yet: `oracle pack actionize --run-dir ', run.dir, '`.'),
  )
}

export function renderPacks(env: ViewEnvelope<PacksData>): Child[] {
  const { runs, problems } = env.data
  if (runs.length === 0) return [panel('Pack runs', problems, h('p', { class: 'empty' }, 'No pack runs.'))]
  return [...(problems.length > 0 ? [panel('Pack runs', problems)] : []), ...runs.map((run) => packRun(run, env.now))]
}

/** The DAG as inline SVG: boxes at the server's layout, dependency edges left to right. */
export function dagSvg(dag: OrchestratorData['dag']): Child {
  if (dag.nodes.length === 0) return h('p', { class: 'empty' }, 'No tasks.')
  const W = 200
  const H = 56
  const at = new Map(dag.nodes.map((n) => [n.id, n]))
  const edges = dag.edges.map((e) => {
    const a = at.get(e.from) as DagNode
    const b = at.get(e.to) as DagNode
    const [x1, y1, x2, y2] = [a.x + W, a.y + H / 2, b.x, b.y + H / 2]
    const mid = (x1 + x2) / 2
    return s('path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 4},${y2}`, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to })
  })
  const nodes = dag.nodes.map((n) => {
    const title = n.title.length > 28 ? `${n.title.slice(0, 27)}…` : n.title
    const detail = [n.state.replace(/_/g, ' '), n.attempts > 1 ? `${n.attempts} attempts` : '', n.duration_ms === null ? '' : duration(n.duration_ms), n.gates.length > 0 ? `gate: ${n.gates.join(', ')}` : '']
    return s(
      'g',
      { class: `node ${tone(n.state)}`, transform: `translate(${n.x},${n.y})`, 'data-task': n.id, 'data-state': n.state },
      s('title', null, `${n.id}: ${n.title} (${n.type}) — ${n.state}${n.message ? `: ${n.message}` : ''}`),
      s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 10, y: 18, class: 'id' }, n.id),
      s('text', { x: 10, y: 34 }, title),
      s('text', { x: 10, y: 49, class: 'state' }, detail.filter(Boolean).join(' · ')),
    )
  })
  return h(
    'div',
    { class: 'scroll dag' },
    s(
      'svg',
      { width: dag.width, height: dag.height, viewBox: `0 0 ${dag.width} ${dag.height}`, role: 'img', 'aria-label': `Task graph of ${dag.nodes.length} tasks` },
      s('defs', null, s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 8, markerHeight: 8, orient: 'auto' }, s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }))),
      ...edges,
      ...nodes,
    ),
  )
}

export function renderOrchestrator(env: ViewEnvelope<OrchestratorData>): Child[] {
  const d = env.data
  const counts: Record<string, number> = {}
  for (const n of d.dag.nodes) counts[n.state] = (counts[n.state] ?? 0) + 1
  return [
    panel(
      d.plan ? `Plan ${d.plan.project ?? d.plan.file}` : 'Plan',
      d.problems,
      h(
        'p',
        { class: 'meta' },
        d.plan ? code(d.plan.file) : null,
        d.run ? h('span', null, ' · run ', code(d.run.id), ' ', badge(d.run.status), ` · ${d.run.events} events`) : ' · no run yet',
        d.awaiting.length > 0 ? h('span', null, ' · awaiting approval: ', ...d.awaiting.map((g) => code(`oracle orchestrate approve ${g}`))) : null,
      ),
      stats(Object.entries(counts).map(([state, n]) => [state.replace(/_/g, ' '), n, tone(state)])),
      dagSvg(d.dag),
    ),
    panel(
      'Tasks',
      [],
      table<DagNode>(
        [
          ['task', (n) => code(n.id)],
          ['title', (n) => n.title],
          ['type', (n) => n.type],
          ['state', (n) => badge(n.state)],
          ['attempts', (n) => n.attempts, 'num'],
          ['duration', (n) => duration(n.duration_ms), 'num'],
          ['message', (n) => n.message ?? ''],
        ],
        d.dag.nodes,
        'No tasks.',
      ),
      d.approved.length > 0 ? h('p', { class: 'hint' }, 'Approved: ', d.approved.map((a) => `${a.gate} by ${a.by}`).join(', ')) : null,
      d.runs.length > 1 ? h('p', { class: 'hint' }, 'Earlier runs: ', d.runs.slice(1).map((r) => `${r.id} (${r.status})`).join(', ')) : null,
    ),
  ]
}

export function renderDevfactory(env: ViewEnvelope<DevfactoryData>): Child[] {
  const d = env.data
  return [
    stats([
      ['workers', d.workers.length],
      ['stuck', d.workers.filter((w) => w.status === 'stuck').length, 'bad'],
      ['interventions', d.stats.total],
      ['success rate', `${Math.round(d.stats.success_rate * 100)} %`, 'good'],
      ['takeover rate', `${Math.round(d.stats.takeover_rate * 100)} %`],
    ]),
    panel(
      'Workers',
      d.problems,
      table(
        [
          ['worker', (w) => code(w.id)],
          ['status', (w) => badge(w.status)],
          ['task', (w) => code(w.task_id)],
          ['since', (w) => when(w.since, env.now)],
          ['heartbeat', (w) => when(w.heartbeat, env.now)],
          ['last activity', (w) => [w.last_activity, w.waiting_on ? ` (waiting on ${w.waiting_on})` : '', w.last_error ? ` — error: ${w.last_error}` : ''].join('')],
        ],
        d.workers,
        'No workers.',
      ),
    ),
    panel(
      'Tasks',
      [],
      table(
        [
          ['task', (t) => code(t.id)],
          ['title', (t) => t.title ?? ''],
          ['status', (t) => badge(t.status)],
          ['worker', (t) => t.assigned_to ?? ''],
          ['escalated', (t) => t.escalation ?? ''],
        ],
        d.tasks,
        'No tasks.',
      ),
    ),
    panel(
      'Interventions',
      [],
      table(
        [
          ['when', (i) => when(i.timestamp, env.now)],
          ['id', (i) => code(i.id)],
          ['task', (i) => code(i.task_id)],
          ['worker', (i) => i.worker],
          ['classification', (i) => i.classification.replace(/_/g, ' ')],
          ['type', (i) => badge(i.type)],
          ['outcome', (i) => badge(i.outcome)],
          ['resolved in', (i) => duration(i.resolution_ms), 'num'],
          ['action', (i) => (i.not_delivered ? `${i.action} (not delivered: ${i.not_delivered})` : i.action)],
        ],
        d.interventions,
        'No interventions yet.',
      ),
    ),
  ]
}
