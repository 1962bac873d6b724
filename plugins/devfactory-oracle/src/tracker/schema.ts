// `.devfactory/oracle/interventions.json`: the oracle's own history of interventions, newest last.
// Written only by the tracker (under its lock), so unlike state.json it accepts no unknown keys.

import { type Static, Type } from '@oraclekit/kernel'
import { STUCK_CLASSIFICATIONS } from '../types.js'

export const INTERVENTION_TYPES = ['guidance', 'takeover', 'escalation'] as const
export const INTERVENTION_OUTCOMES = ['pending', 'resolved', 'failed', 'escalated'] as const

export const InterventionRecordSchema = Type.Object(
  {
    id: Type.String({ pattern: '^int-[1-9][0-9]*$', description: '`int-<n>`: n counts up from 1 in this file (see lastId) and is never reused.' }),
    timestamp: Type.String({ format: 'date-time', description: 'When the intervention started (ISO 8601).' }),
    taskId: Type.String({ minLength: 1 }),
    worker: Type.String({ description: 'The stuck worker.' }),
    classification: Type.Enum(STUCK_CLASSIFICATIONS),
    type: Type.Enum(INTERVENTION_TYPES),
    contextSummary: Type.String({ description: 'One line on why the oracle stepped in (classification, duration, evidence), at most 500 characters.' }),
    action: Type.String({ description: 'What the oracle did, naming the file it wrote.' }),
    outcome: Type.Enum(INTERVENTION_OUTCOMES),
    resolutionTime: Type.Optional(Type.Integer({ minimum: 0, description: 'ms from the intervention to the task’s completion; set when resolved.' })),
    notDelivered: Type.Optional(
      Type.String({ description: 'Set when the intervention never reached the worker (the Claude API failed): why. Such records do not count toward the escalation ladder.' }),
    ),
  },
  { additionalProperties: false },
)

/** One record as stored: seed 3's InterventionRecord, plus `notDelivered`. */
export type TrackedIntervention = Static<typeof InterventionRecordSchema>

export const InterventionsFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path or URL of this JSON Schema, for editors; ignored.' })),
    version: Type.Literal(1),
    lastId: Type.Integer({ minimum: 0, description: 'The n of the last id given; survives pruning, so ids are never reused.' }),
    records: Type.Array(InterventionRecordSchema, { description: 'Oldest first; only the newest maxInterventionHistory are kept.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/devfactory_interventions.schema.json', title: 'DevFactory oracle interventions' },
)
export type InterventionsFile = Static<typeof InterventionsFileSchema>
