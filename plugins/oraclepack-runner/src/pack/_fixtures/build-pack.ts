// Builds packs for tests: a valid 20-step strict pack that a case edits in one place, so each
// malformed pack states only what is wrong with it.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATEGORIES } from '../validate.js'

export interface StepSpec {
  id: string
  header: string
  body: string[]
}

/** Step `n` of the valid pack: ROI 5.0 falling by 0.2 a step, categories in template order. */
export function validStep(n: number): StepSpec {
  const id = String(n).padStart(2, '0')
  const roi = (5 - (n - 1) * 0.2).toFixed(1)
  const category = CATEGORIES[(n - 1) % CATEGORIES.length]
  return {
    id,
    header: `# ${id}) ROI=${roi} impact=High confidence=Medium effort=Low horizon=Immediate category=${category} reference=src/area-${id}.ts`,
    body: [
      'oracle --files-report \\',
      `  --write-output "$out_dir/${id}-question.md" \\`,
      `  -f "src/area-${id}.ts" \\`,
      `  -p "$(cat <<'PROMPT'`,
      `Question ${id}: what breaks first in src/area-${id}.ts?`,
      'Answer format:',
      '1) Direct answer',
      '2) Risks/unknowns',
      '3) Next smallest concrete experiment',
      '4) If evidence is insufficient, name the missing files.',
      'PROMPT',
      ')"',
    ],
  }
}

export const PRELUDE = ['out_dir="out/pack"', 'mkdir -p "$out_dir"']

/** The pack's Markdown: a title, the bash block (prelude, then each step and a blank line), a tail. */
export function buildPack(edit?: (steps: StepSpec[]) => void, prelude: string[] = PRELUDE): string {
  const steps = Array.from({ length: 20 }, (_, k) => validStep(k + 1))
  edit?.(steps)
  return ['# Test pack', '', '```bash', ...prelude, '', ...steps.flatMap((s) => [s.header, ...s.body, '']), '```', ''].join('\n')
}

/** buildPack with step `n` (1-based) edited. */
export function withStep(n: number, edit: (step: StepSpec) => void): string {
  return buildPack((steps) => edit(steps[n - 1]!))
}

/** A one-step pack around `code`, for parser tests. */
export function oneStep(code: string, prelude = ''): string {
  return `Intro\n\n\`\`\`bash\n${prelude ? `${prelude}\n` : ''}# 01) ROI=1 category=invariants\n${code}\n\`\`\`\n`
}

/** 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle))
  if (index === -1) throw new Error(`lineOf: ${JSON.stringify(needle)} is not in the text`)
  return index + 1
}

/** The shared fixtures folder: `<repo>/../shared/fixtures`. */
export const SHARED_FIXTURES = new URL('../../../../../../shared/fixtures/', import.meta.url)

export function readStrategistPack(): string {
  return readFileSync(new URL('packs/strategist-pack-2026-01-02.md', SHARED_FIXTURES), 'utf8')
}

/**
 * What real bash passes to each `oracle` call of each script (its code after its prelude, with
 * out_dir=. first), in an empty directory so that globs stay words: the parser's reference.
 */
export function bashArgvs(scripts: ReadonlyArray<{ code: string; prelude?: string | undefined }>): string[][][] {
  const dir = mkdtempSync(join(tmpdir(), 'pack-bash-'))
  try {
    // Each call prints its argument count, then each argument, NUL-terminated; \x01 ends a call, \x02 a script.
    const define = `oracle() { printf '%s\\0' "$#" "$@"; printf '\\1'; }`
    const subshells = scripts.map(({ code, prelude = '' }) => `(\nout_dir=.\n${prelude}\n${code}\n)\nprintf '\\2'`)
    const result = spawnSync('bash', ['--noprofile', '--norc', '-c', [define, ...subshells].join('\n')], { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0 || result.stderr) throw new Error(`bash failed: ${result.stderr}`)
    return result.stdout
      .split('\u0002')
      .slice(0, -1)
      .map((script) => script.split('\u0001').slice(0, -1).map((call) => call.split('\0').slice(1, -1)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function bashArgv(code: string, prelude = ''): string[][] {
  return bashArgvs([{ code, prelude }])[0]!
}
