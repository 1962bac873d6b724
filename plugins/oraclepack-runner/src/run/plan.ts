// From a parsed pack to what a run executes: per step, the engine's argv (with `--wait`, the
// configured flags, and the answer redirected into the run directory), the output name, and the
// hashes that resume and the cache key on.

import { relative, sep } from 'node:path'
import { compareCodeUnits, sha256, stableLine } from '@oraclekit/kernel'
import type { ResolvedEngine } from '../engine/resolve.js'
import type { OracleInvocation, Pack, PackStep } from '../pack/types.js'
import { type Attachment, hashAttachments } from './attachments.js'

export interface StepPlan {
  id: string
  title: string
  roi: number
  category: string | null
  reference: string | null
  /** From the step's `[oraclepack-meta]` block, when it has one. */
  questionId: string | null
  expectedArtifacts: string[]
  /** Line of the step's header in the pack. */
  line: number
  /** The engine's arguments (after `oracle`), without `--write-output`: the step intent adds it. */
  args: string[]
  /** `outputs/NN-<slug>.md`, relative to the run directory. */
  output: string
  commandHash: string
  /** Raw `-f` values. */
  files: string[]
}

/** Flags the runner owns: it always waits, and always chooses where the answer is written. */
const OWNED_VALUE_FLAGS = new Set(['--write-output'])
const OWNED_BARE_FLAGS = new Set(['--wait', '--no-wait'])

/** The step's argv without argv[0] and without the flags the runner sets itself. */
export function engineArgs(argv: readonly string[], engine: Pick<ResolvedEngine, 'args'>): string[] {
  const rest: string[] = []
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string
    if (OWNED_BARE_FLAGS.has(word)) continue
    if (OWNED_VALUE_FLAGS.has(word)) {
      i++
      continue
    }
    if ([...OWNED_VALUE_FLAGS].some((flag) => word.startsWith(`${flag}=`))) continue
    rest.push(word)
  }
  // Configured flags go first, as oraclepack's InjectFlags puts overrides right after `oracle`.
  return [...engine.args, ...rest, '--wait']
}

export function slugify(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '')
  return slug
}

/** `outputs/NN-<slug>.md`: the pack's own file name when it has one, else the category's. */
export function outputName(step: Pick<PackStep, 'id' | 'fields'>, writeOutput: string | undefined): string {
  const base = writeOutput?.split('/').pop()?.replace(/\.md$/i, '') ?? ''
  const slug = slugify(base.replace(/^\d{2}[-_ ]*/, '')) || slugify(step.fields.category ?? '') || 'answer'
  return `outputs/${step.id}-${slug}.md`
}

/** Plans every step of a pack that passed validation (which guarantees one invocation a step). */
export function planSteps(pack: Pack, engine: Pick<ResolvedEngine, 'args'>): StepPlan[] {
  return pack.steps.map((step) => {
    const invocation = step.invocations[0] as OracleInvocation
    return {
      id: step.id,
      title: step.title,
      roi: step.roi,
      // The header says it; a metadata block fills in what an old-style header leaves out.
      category: step.fields.category ?? step.meta?.category ?? null,
      reference: step.fields.reference ?? step.meta?.reference ?? null,
      questionId: step.meta?.questionId || null,
      expectedArtifacts: step.meta?.expectedArtifacts ?? [],
      line: step.line,
      args: engineArgs(invocation.argv, engine),
      // The step id prefix keeps answer files apart: validation refuses duplicate ids.
      output: outputName(step, invocation.writeOutput?.value),
      commandHash: sha256(stableLine(invocation.argv)),
      files: invocation.files,
    }
  })
}

/** Everything the answer depends on, hashed: the cache's key. */
export async function cacheKey(rootDir: string, plan: StepPlan, engine: Pick<ResolvedEngine, 'kind' | 'version' | 'configHash' | 'path'>): Promise<{ key: string; attachments: Attachment[] }> {
  const attachments = await hashAttachments(rootDir, plan.files)
  const key = sha256(
    stableLine({
      v: 1,
      // The replay directory by its place in the workspace, so a moved workspace keeps its cache.
      engine: { kind: engine.kind, version: engine.version, config: engine.configHash, ...(engine.kind === 'replay' ? { dir: relative(rootDir, engine.path).split(sep).join('/') } : {}) },
      args: plan.args,
      attachments,
    }),
  )
  return { key, attachments }
}

/** The `--model`/`--models`/`--engine`/`--provider` values a run uses, for run.json. */
export function routing(plans: readonly StepPlan[]): { models: string[]; providers: string[] } {
  const models = new Set<string>()
  const providers = new Set<string>()
  for (const plan of plans) {
    const args = plan.args
    args.forEach((word, i) => {
      const [flag, inline] = word.includes('=') ? word.split(/=(.*)/s) : [word, undefined]
      const value = inline ?? args[i + 1]
      if (value === undefined) return
      if (flag === '-m' || flag === '--model') models.add(value)
      if (flag === '--models') for (const m of value.split(',')) if (m.trim()) models.add(m.trim())
      if (flag === '-e' || flag === '--engine' || flag === '--provider') providers.add(value)
    })
  }
  return { models: models.size > 0 ? [...models].sort(compareCodeUnits) : ['default'], providers: providers.size > 0 ? [...providers].sort(compareCodeUnits) : ['default'] }
}
