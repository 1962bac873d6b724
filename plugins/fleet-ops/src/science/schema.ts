// The Science Lane index (dash/science_index.json): every dossier's hypothesis and acceptance
// proofs, each proof tied to the run that backs it, and per product its last run and heal state.
// Dash renders it as it is (a precomputed index, Backstage's lesson): no clock in it, so the same
// inputs give the same bytes. The files read to build it have their own (structural) schemas below.

import { type Static, Type } from '@oraclekit/kernel'

const Id = (description: string) => Type.String({ minLength: 1, description })
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])
const Text = (description: string) => Nullable(Type.String({ description }))
const Count = (description: string) => Type.Integer({ minimum: 0, description })
const ExitStatus = Type.String({ minLength: 1, description: 'How the job ended, as last_run.json says: ok, failed_<intent>, failed, timeout, stopped_*, retry_exhausted, error.' })
const FinishedAt = Type.String({ description: 'When the job ended (ISO 8601, as last_run.json says).' })

export const PROOF_STATUSES = ['pass', 'pending', 'fail'] as const
export const LANE_STATUSES = ['proven', 'in_progress', 'failing', 'not_started'] as const
export const HEAL_STATES = ['armed', 'stopped'] as const

const ProofRun = Type.Object(
  {
    run_id: Type.String({ description: 'The run folder under dash/runs/<product_id>/.' }),
    exit_status: ExitStatus,
    finished_at: FinishedAt,
  },
  { additionalProperties: false, description: 'The run backing the proof: the one its evidence links to, else the latest of the intent its text names.' },
)

const Proof = Type.Object(
  {
    text: Type.String({ description: 'The proof as the dossier words it.' }),
    status: Type.Enum(PROOF_STATUSES, { description: 'As the dossier says, except that a pending proof whose linked run failed is fail.' }),
    evidence: Type.Array(Type.String(), { description: 'The evidence links the dossier gives for this proof, in its order.' }),
    run: Type.Union([ProofRun, Type.Null()], { description: 'null: no run backs it (yet).' }),
  },
  { additionalProperties: false },
)

const DossierEntry = Type.Object(
  {
    dossier_id: Id('The dossier’s id.'),
    product_id: Id('The product it is about.'),
    title: Text('Its title, or its first heading.'),
    status: Type.String({ description: 'The dossier’s own status, lower-cased (draft, approved, …).' }),
    owner: Text('Who owns it.'),
    created_at: Text('When it was written.'),
    source: Type.String({ description: 'Workspace-relative file (with :line) it was read from.' }),
    hypothesis: Type.Object(
      { problem: Text('The problem.'), claim: Text('What the change claims.'), falsification: Text('What would prove the claim wrong.') },
      { additionalProperties: false },
    ),
    proofs: Type.Array(Proof, { description: 'The acceptance proofs, in dossier order.' }),
    evidence_links: Type.Array(Type.String(), { description: 'The dossier’s evidence.links, in its order.' }),
    lane_status: Type.Enum(LANE_STATUSES, {
      description: 'failing: a proof fails; proven: every proof (at least one) passes; not_started: a draft with only pending proofs; in_progress: the rest.',
    }),
  },
  { additionalProperties: false },
)

const HealEntry = Type.Object(
  {
    intent: Type.String({ description: 'The healed intent.' }),
    state: Type.Enum(HEAL_STATES, { description: 'armed: a failure is retried; stopped: the retries ran out.' }),
    attempts: Count('Attempts the heal state records for the intent’s last job.'),
    stopped_at: Text('When it stopped (null while armed).'),
    rearm: Text('The command that re-arms a stopped intent (null while armed).'),
  },
  { additionalProperties: false },
)

const ProductEntry = Type.Object(
  {
    product_id: Id('The product.'),
    last_run: Type.Union(
      [
        Type.Object(
          {
            intent: Type.String({ description: 'The intent of its latest job.' }),
            exit_status: ExitStatus,
            finished_at: FinishedAt,
            evidence: Type.String({ description: 'Workspace-relative path of that job’s evidence.json.' }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: 'Its latest job (null: it never ran).' },
    ),
    intents: Type.Record(Type.String(), Type.Object({ exit_status: ExitStatus, finished_at: FinishedAt }, { additionalProperties: false }), {
      description: 'The latest job of each intent, by intent name.',
    }),
    heal: Type.Array(HealEntry, { description: 'Auto-heal state per intent, by intent name.' }),
  },
  { additionalProperties: false },
)

export const ScienceIndex = Type.Object(
  {
    schema_version: Type.Literal(1),
    generated_from: Type.Object(
      {
        dossiers: Type.Array(Type.String(), { description: 'The dossier files read, workspace-relative, sorted.' }),
        runs: Type.Array(Type.String(), { description: 'The last_run.json files read, sorted.' }),
        heal: Type.Array(Type.String(), { description: 'The heal state files read, sorted.' }),
      },
      { additionalProperties: false, description: 'The inputs, so a reader can tell what the index stands on.' },
    ),
    summary: Type.Object(
      {
        dossiers: Count('Dossiers in the index.'),
        proofs: Type.Object({ pass: Count('Passing proofs.'), pending: Count('Pending proofs.'), fail: Count('Failing proofs.') }, { additionalProperties: false }),
        products: Count('Products in the index.'),
      },
      { additionalProperties: false },
    ),
    dossiers: Type.Array(DossierEntry, { description: 'By dossier_id.' }),
    products: Type.Array(ProductEntry, { description: 'By product_id.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/science_index.schema.json', title: 'Science Lane index' },
)
export type ScienceIndex = Static<typeof ScienceIndex>
export type ScienceDossier = ScienceIndex['dossiers'][number]
export type ScienceProof = ScienceDossier['proofs'][number]
export type LaneStatus = ScienceDossier['lane_status']
export type ProofStatus = ScienceProof['status']

// ---------------------------------------------------------------------------------------------
// What the index is built from. Plugins never import each other: these are the few fields read
// from the planner's last_run.json and from the heal state, checked when read; the rest may vary.

const RunSummary = Type.Object({ run_id: Type.String(), exit_status: ExitStatus, finished_at: FinishedAt }, { additionalProperties: true })

/** dash/runs/<product_id>/last_run.json, as far as the index needs it (the planner owns the format). */
export const LastRunFile = Type.Object(
  {
    product_id: Id('The product.'),
    run_id: Type.String(),
    intent: Type.String(),
    exit_status: ExitStatus,
    finished_at: FinishedAt,
    evidence: Type.String(),
    intents: Type.Record(Type.String(), RunSummary),
  },
  { additionalProperties: true },
)
export type LastRunLike = Static<typeof LastRunFile>

/** dash/heal/<product_id>.json: one schema for the file, in heal.ts (the planner writes it, fleet-ops re-arms it). */
export { HealStateFile } from '../heal.js'
export type { HealStateFile as HealStateLike } from '../heal.js'

/** An acceptance proof as the planner reads it from a dossier (its AcceptanceProof). */
export interface AcceptanceProofLike {
  text: string
  status: ProofStatus
  /** Evidence links the dossier gives for this proof. */
  evidence: string[]
}

/** A design dossier as the planner reads it (its Dossier): the structural contract, not an import. */
export interface DossierLike {
  dossier_id: string
  product_id: string
  /** As written, lower-cased. */
  status: string
  title: string | null
  owner: string | null
  created_at: string | null
  hypothesis: { problem: string | null; claim: string | null; falsification: string | null }
  acceptance_proofs: AcceptanceProofLike[]
  evidence_links: string[]
  /** `path:line`, workspace-relative. */
  source: string
}
