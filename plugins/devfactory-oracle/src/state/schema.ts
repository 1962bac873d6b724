// `.devfactory/beast/state.json`: what DevFactory's workers write and the Oracle reads (and, under
// the lock, updates). The shapes are types.ts's BeastState; workers and tasks accept extra keys,
// because DevFactory owns the file and may add fields the Oracle does not know about.

import { type Static, Type } from '@oraclekit/kernel'
import { TASK_STATUSES, WORKER_STATUSES } from '../types.js'

const IsoTime = (description: string) => Type.String({ format: 'date-time', description: `${description} ISO 8601 with a zone, e.g. 2026-11-20T10:00:00Z.` })

// The times of activity entries (20 a worker, a thousand workers) are checked by their shape
// only: Ajv's date-time format costs about a microsecond each, a fifth of a check cycle. A
// well-shaped impossible date (month 13) reads as no time at all in the detector.
const ActivityTime = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$', description: `${description} ISO 8601 date-time with a zone, e.g. 2026-11-20T10:00:00Z.` })

const ActionEntry = Type.Object(
  {
    kind: Type.Literal('action'),
    at: ActivityTime('When the action finished.'),
    tool: Type.String({ minLength: 1, description: 'The tool called, e.g. `bash`, `edit_file`.' }),
    input: Type.Optional(Type.Unknown({ description: 'The call arguments; compared as canonical JSON.' })),
    output: Type.Optional(Type.String({ description: 'What came back.' })),
    error: Type.Optional(Type.String({ description: 'The error, when the call failed.' })),
    id: Type.Optional(Type.String()),
    call_id: Type.Optional(Type.String()),
    thought: Type.Optional(Type.String({ description: "The agent's reasoning; never compared." })),
  },
  { additionalProperties: true },
)

const MessageEntry = Type.Object(
  {
    kind: Type.Literal('message'),
    at: ActivityTime('When the agent said it.'),
    text: Type.String(),
    id: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
)

export const ActivityEntrySchema = Type.Union([ActionEntry, MessageEntry], {
  description: 'An action `{kind: "action", at, tool, input?, output?, error?}` or a message `{kind: "message", at, text}`; `at` is an ISO 8601 date-time with a zone.',
})

export const WorkerStateSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'The worker id; the key it is stored under.' }),
    status: Type.Enum(WORKER_STATUSES, { description: `One of ${WORKER_STATUSES.join(', ')}.` }),
    task_id: Type.Optional(Type.String({ minLength: 1, description: 'The task it works on.' })),
    status_since: IsoTime('When the worker entered `status`.'),
    last_heartbeat: Type.Optional(IsoTime('The last heartbeat.')),
    waiting_on: Type.Optional(
      Type.Object(
        {
          command: Type.String({ minLength: 1 }),
          pid: Type.Optional(Type.Integer({ minimum: 1 })),
          since: IsoTime('When the process started.'),
        },
        { additionalProperties: true, description: 'A long process the worker waits on; with fresh heartbeats the worker is not stuck.' },
      ),
    ),
    last_error: Type.Optional(Type.String({ description: 'The last error the worker reported.' })),
    activity: Type.Array(ActivityEntrySchema, { default: [], description: 'Its recent actions and messages, oldest first.' }),
  },
  { additionalProperties: true },
)

export const TaskStateSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'The task id; the key it is stored under.' }),
    title: Type.Optional(Type.String()),
    spec: Type.Optional(Type.String({ minLength: 1, description: 'The spec folder under specs/ the task comes from.' })),
    status: Type.Enum(TASK_STATUSES, { description: `One of ${TASK_STATUSES.join(', ')}.` }),
    assigned_to: Type.Optional(Type.String()),
    status_since: Type.Optional(IsoTime('When the task entered `status`.')),
    guidance: Type.Optional(Type.Array(Type.String(), { description: 'Guidance files written for the task (workspace-relative), oldest first.' })),
    escalation: Type.Optional(Type.Object({ reason: Type.String(), at: IsoTime('When it was escalated.') }, { additionalProperties: false })),
  },
  { additionalProperties: true },
)

export const BeastStateSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path or URL of this JSON Schema, for editors; ignored.' })),
    version: Type.Literal(1, { description: 'Version of this format; 1.' }),
    workers: Type.Record(Type.String(), WorkerStateSchema, { default: {}, description: 'The workers, by id.' }),
    tasks: Type.Record(Type.String(), TaskStateSchema, { default: {}, description: 'The tasks, by id.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/devfactory_state.schema.json', title: 'DevFactory beast state' },
)
export type BeastStateFile = Static<typeof BeastStateSchema>
