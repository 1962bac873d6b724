// Manifests for tests: a valid one that a case edits in one place, as JSON-able data.

import { CATEGORIES } from '../../pack/rules.js'
import type { ManifestQuestion, PackManifest } from '../manifest.js'

/** Question `n` (1-based): ROI 5.0 falling by 0.2, categories in template order, one attachment. */
export function question(n: number): ManifestQuestion {
  const id = String(n).padStart(2, '0')
  return {
    id: `area-${id}-question`,
    category: CATEGORIES[(n - 1) % CATEGORIES.length]!,
    reference: `src/area-${id}.ts:run`,
    roi: Math.round((5 - (n - 1) * 0.2) * 10) / 10,
    impact: 0.9,
    confidence: 'High',
    effort: 0.2,
    horizon: 'Immediate',
    question: `What breaks first in src/area-${id}.ts when its input is empty?`,
    attachments: [`src/area-${id}.ts`],
    expected_artifacts: [],
    flags: [],
  }
}

export function manifest(edit?: (m: PackManifest) => void): PackManifest {
  const m: PackManifest = {
    schema_version: 1,
    title: 'Area questions',
    intro: 'Twenty questions about the areas.',
    out_dir: 'docs/oracle/areas',
    oracle_flags: ['--files-report'],
    questions: Array.from({ length: 20 }, (_, k) => question(k + 1)),
  }
  edit?.(m)
  return m
}

/** The files the manifest attaches, for a workspace. */
export function areaFiles(): Record<string, string> {
  return Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`src/area-${String(k + 1).padStart(2, '0')}.ts`, `export const area = ${k + 1}\n`]))
}
