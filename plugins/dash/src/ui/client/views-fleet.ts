// Browser code. The fleet views: overview, run history (with the duration chart), work orders,
// schedules and drift.

import type { OverviewData, ProductRow, RunRow, RunsData, SchedulesData, ViewEnvelope, WorkOrderRow, WorkOrdersData } from '../../model/types.js'
import { type Child, badge, code, duration, h, panel, s, stats, table, tone, when } from './dom.js'

export function renderOverview(env: ViewEnvelope<OverviewData>): Child[] {
  const { counts, products } = env.data
  const problems = [...env.data.problems, ...products.flatMap((p) => p.problems)]
  const row = (p: ProductRow): Child[] => [
    h('a', { href: `schedules/index.html#product-${p.id}`, class: 'product' }, p.id),
    p.declared ? null : h('span', { class: 'tag', title: 'Only artifacts name this product; the config does not declare it.' }, 'not declared'),
    p.problems.length > 0 ? h('span', { class: 'tag bad', title: p.problems.map((x) => `${x.file}: ${x.message}`).join('\n') }, `${p.problems.length} problem(s)`) : null,
  ]
  const health = (p: ProductRow): Child => (p.health ? h('span', null, badge(p.health.status), p.health.detail ? h('span', { class: 'detail' }, ` ${p.health.detail}`) : null) : h('span', { class: 'muted' }, 'no check'))
  const kill = (p: ProductRow): Child =>
    p.kill_switch?.enabled ? h('span', null, badge('kill switch on', 'on'), p.kill_switch.reason ? h('span', { class: 'detail' }, ` ${p.kill_switch.reason}`) : null) : h('span', { class: 'muted' }, 'off')
  const last = (p: ProductRow): Child => (p.last_run ? h('span', null, badge(p.last_run.exit_status), ` ${p.last_run.intent} `, when(p.last_run.finished_at, env.now)) : h('span', { class: 'muted' }, 'no runs'))
  const next = (p: ProductRow): Child => {
    if (!p.schedule) return h('span', { class: 'muted' }, 'no schedule')
    const due = p.schedule.due.map((d) => badge('due', `due: ${d.intent}`))
    const coming = p.schedule.next ? h('span', { class: 'next' }, ` next ${p.schedule.next.intent} `, when(p.schedule.next.at, env.now)) : null
    return h('span', null, ...due, coming)
  }
  const drift = (p: ProductRow): Child =>
    p.drift ? h('span', null, badge(p.drift.verdict === 'none' ? 'no drift' : p.drift.verdict), p.drift.verdict === 'none' ? null : ` ${p.drift.drift} drift, ${p.drift.errors} error(s)`) : h('span', { class: 'muted' }, 'not checked')
  const heal = (p: ProductRow): Child => (p.heal_stopped.length > 0 ? badge('stopped', `stopped: ${p.heal_stopped.join(', ')}`) : '')
  return [
    stats([
      ['products', counts.products],
      ['unhealthy', counts.unhealthy, counts.unhealthy ? 'bad' : ''],
      ['kill-switched', counts.kill_switched, counts.kill_switched ? 'bad' : ''],
      ['last run failed', counts.failing, counts.failing ? 'bad' : ''],
      ['drifting', counts.drifting, counts.drifting ? 'warn' : ''],
      ['work due', counts.due, counts.due ? 'warn' : ''],
    ]),
    panel(
      'Products',
      problems,
      table<ProductRow>(
        [
          ['product', (p) => h('span', null, ...row(p))],
          ['health', health],
          ['kill switch', kill],
          ['last run', last],
          ['next scheduled work', next],
          ['drift', drift],
          ['auto-heal', heal],
        ],
        products,
        'No products.',
        (p) => (p.kill_switch?.enabled ? 'killed' : undefined),
      ),
    ),
  ]
}

/** Durations of the runs shown, oldest first, as bars coloured by how each ended. */
export function durationChart(runs: readonly RunRow[]): Child {
  const timed = runs.filter((r) => r.duration_ms !== null).slice(0, 80).reverse()
  if (timed.length === 0) return h('p', { class: 'empty' }, 'No run has a duration yet.')
  const W = 760
  const H = 180
  const top = 16
  const base = H - 22
  const max = Math.max(...timed.map((r) => r.duration_ms as number), 1)
  const step = Math.min(36, (W - 60) / timed.length)
  const end = 50 + step * timed.length
  const bars = timed.map((r, i) => {
    const height = Math.max(1, ((r.duration_ms as number) / max) * (base - top))
    return s(
      'rect',
      { x: (50 + i * step + step * 0.1).toFixed(1), y: (base - height).toFixed(1), width: Math.max(1, step * 0.8).toFixed(1), height: height.toFixed(1), class: `bar ${tone(r.exit_status)}` },
      s('title', null, `${r.product_id} ${r.intent} ${r.run_id}: ${duration(r.duration_ms)} (${r.exit_status})`),
    )
  })
  return h(
    'figure',
    { class: 'chart' },
    s(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Durations of the last ${timed.length} runs`, class: 'duration-chart' },
      s('line', { x1: 48, y1: base, x2: end, y2: base, class: 'axis' }),
      s('line', { x1: 48, y1: top, x2: 48, y2: base, class: 'axis' }),
      s('text', { x: 44, y: top + 4, class: 'tick', 'text-anchor': 'end' }, duration(max)),
      s('text', { x: 44, y: base, class: 'tick', 'text-anchor': 'end' }, '0'),
      s('text', { x: 50, y: H - 6, class: 'tick' }, 'oldest'),
      s('text', { x: end, y: H - 6, class: 'tick', 'text-anchor': 'end' }, 'newest'),
      ...bars,
    ),
    h('figcaption', null, `Durations of the last ${timed.length} run(s) with a duration, oldest to newest.`),
  )
}

export function renderRuns(env: ViewEnvelope<RunsData>): Child[] {
  const { runs, total, problems } = env.data
  return [
    panel('Durations', [], durationChart(runs)),
    panel(
      total > runs.length ? `Runs (newest ${runs.length} of ${total})` : `Runs (${total})`,
      problems,
      table<RunRow>(
        [
          ['finished', (r) => when(r.finished_at, env.now)],
          ['product', (r) => r.product_id],
          ['intent', (r) => r.intent],
          ['status', (r) => badge(r.exit_status)],
          ['duration', (r) => duration(r.duration_ms), 'num'],
          ['run', (r) => code(r.run_id)],
          ['reason', (r) => r.reason ?? (r.evidence === null ? h('span', { class: 'muted' }, 'no evidence folder') : '')],
        ],
        runs,
        'No runs yet: `oracle run` leaves evidence in the runs folder.',
      ),
    ),
  ]
}

export function renderWorkOrders(env: ViewEnvelope<WorkOrdersData>): Child[] {
  const { orders, problems, dir } = env.data
  return [
    panel(
      `Work orders (${orders.length})`,
      problems,
      h('p', { class: 'hint' }, 'The last plan, in ', h('code', null, dir), ', highest priority first.'),
      table<WorkOrderRow>(
        [
          ['priority', (o) => o.priority, 'num'],
          ['job', (o) => code(o.job_id)],
          ['product', (o) => o.product_id],
          ['intent', (o) => o.intent],
          ['state', (o) => badge(o.state)],
          ['why', (o) => h('ul', { class: 'reasons' }, ...o.reasons.map((r) => h('li', null, r)))],
          ['scheduled', (o) => when(o.scheduled, env.now)],
        ],
        orders,
        'No work orders.',
      ),
    ),
  ]
}

export function renderSchedules(env: ViewEnvelope<SchedulesData>): Child[] {
  if (env.data.products.length === 0) return [panel('Schedules', env.data.problems, h('p', { class: 'empty' }, 'No schedules, drift reports or heal state in the Dash folder.'))]
  return env.data.products.map((p) => {
    const section = panel(
      p.id,
      p.problems,
      p.schedule
        ? h('div', null, h('h3', null, 'Schedule ', h('code', null, p.schedule.file)), table([
            ['intent', (e) => e.intent],
            ['cadence', (e) => e.cadence],
            ['last slot', (e) => when(e.last, env.now)],
            ['next slot', (e) => when(e.next, env.now)],
            ['due', (e) => (e.due ? badge('due') : h('span', { class: 'muted' }, 'no'))],
            ['last run', (e) => when(e.last_run, env.now)],
          ], p.schedule.entries, 'No entries.'))
        : h('p', { class: 'muted' }, 'No schedule.'),
      p.drift
        ? h('div', null, h('h3', null, 'Drift ', h('code', null, p.drift.file), ' ', when(p.drift.checked_at, env.now)), table([
            ['probe', (i) => `${i.kind}:${i.key}`],
            ['expected', (i) => code(i.expected), 'wrap'],
            ['actual', (i) => code(i.actual), 'wrap'],
            ['status', (i) => badge(i.status)],
          ], p.drift.items, 'Nothing checked.'))
        : h('p', { class: 'muted' }, 'No drift report.'),
      p.heal.length > 0
        ? h('div', null, h('h3', null, 'Auto-heal'), table([
            ['intent', (x) => x.intent],
            ['state', (x) => badge(x.state)],
            ['attempts', (x) => x.attempts, 'num'],
            ['stopped', (x) => when(x.stopped_at, env.now)],
            ['why', (x) => x.reason ?? ''],
            ['re-arm', (x) => (x.state === 'stopped' ? code(`oracle fleet heal rearm ${p.id} --intent ${x.intent}`) : ''), 'wrap'],
          ], p.heal, ''))
        : null,
    )
    section.id = `product-${p.id}`
    return section
  })
}
