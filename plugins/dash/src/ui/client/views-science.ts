// Browser code. The Science Lane: each dossier as hypothesis → acceptance proofs → the evidence
// and runs behind them, grouped by lane status, failing first.

import type { DossierCard, ScienceData, ViewEnvelope } from '../../model/types.js'
import { type Child, badge, code, h, panel, stats, when } from './dom.js'

const LANE_ORDER = ['failing', 'in_progress', 'not_started', 'proven']

function dossier(d: DossierCard, now: string): HTMLElement {
  const hyp = d.hypothesis
  const card = h(
    'article',
    { class: `dossier lane-${d.lane_status}`, 'data-dossier': d.dossier_id, 'data-lane': d.lane_status },
    h('header', null, badge(d.lane_status), ' ', h('strong', null, d.title ?? d.dossier_id), h('div', { class: 'meta' }, code(d.dossier_id), ` · ${d.product_id} · dossier ${d.status}`, d.owner ? ` · owner ${d.owner}` : '', d.source ? h('span', null, ' · ', code(d.source)) : null)),
    h(
      'dl',
      { class: 'hypothesis' },
      h('dt', null, 'Problem'),
      h('dd', null, hyp.problem ?? '—'),
      h('dt', null, 'Claim'),
      h('dd', null, hyp.claim ?? '—'),
      h('dt', null, 'Falsified if'),
      h('dd', null, hyp.falsification ?? '—'),
    ),
    h(
      'ol',
      { class: 'proofs' },
      ...d.proofs.map((p) =>
        h(
          'li',
          { 'data-status': p.status },
          badge(p.status),
          ' ',
          p.text,
          p.run ? h('div', { class: 'evidence' }, 'run ', code(p.run.run_id), ' ', badge(p.run.exit_status), ' ', when(p.run.finished_at, now)) : null,
          p.evidence.length > 0 ? h('div', { class: 'evidence' }, 'evidence: ', ...p.evidence.flatMap((e, i) => [i > 0 ? ', ' : '', code(e)])) : null,
        ),
      ),
    ),
  )
  if (d.proofs.length === 0) card.append(h('p', { class: 'muted' }, 'No acceptance proofs.'))
  return card
}

export function renderScience(env: ViewEnvelope<ScienceData>): Child[] {
  const { summary, dossiers, problems, file } = env.data
  const lanes = [...LANE_ORDER, ...Object.keys(summary.by_lane).filter((l) => !LANE_ORDER.includes(l)).sort()]
  return [
    stats([
      ['dossiers', summary.dossiers],
      ['proofs pass', summary.pass, 'good'],
      ['pending', summary.pending],
      ['fail', summary.fail, summary.fail ? 'bad' : ''],
      ...lanes.filter((l) => summary.by_lane[l]).map((l): [string, number, string] => [l.replace(/_/g, ' '), summary.by_lane[l] as number, l === 'failing' ? 'bad' : l === 'proven' ? 'good' : '']),
    ]),
    panel(
      'Science Lane',
      problems,
      h('p', { class: 'hint' }, 'From ', code(file), ': each dossier’s hypothesis, its acceptance proofs and the runs that back them.'),
      ...lanes
        .map((lane) => [lane, dossiers.filter((d) => d.lane_status === lane)] as const)
        .filter(([, list]) => list.length > 0)
        .map(([lane, list]) => h('div', { class: 'lane', 'data-lane': lane }, h('h3', null, badge(lane), ` ${list.length}`), ...list.map((d) => dossier(d, env.now)))),
      dossiers.length === 0 && problems.length === 0 ? h('p', { class: 'empty' }, 'No dossiers.') : null,
    ),
  ]
}
