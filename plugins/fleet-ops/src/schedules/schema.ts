// The schedule of a product (dash/schedules/<product_id>.json): simple cadence words after
// Dependabot's `schedule.interval`, never cron. One TypeBox schema → the types, the loader's checks
// and the JSON Schema `oracle fleet schedules validate` writes for editors.

import { type Static, Type } from '@oraclekit/kernel'
import { DEFAULT_DAY, DEFAULT_TIME, DEFAULT_TIMEZONE, WEEKDAYS, type Weekday } from '@oraclekit/kernel/contracts/schedule'

// The week days (index = `Date#getUTCDay()`) and the defaults are the kernel's schedule contract.
export { DEFAULT_DAY, DEFAULT_TIME, DEFAULT_TIMEZONE, WEEKDAYS }
export type { Weekday }

/** The cadence words, in the order the docs list them. */
export const CADENCES = ['daily', 'every_day', 'weekly', 'monthly', 'quarterly', 'yearly', 'every_n_hours'] as const
export type Cadence = (typeof CADENCES)[number]

/** The hour steps that divide a day evenly, so every local day has the same slots. */
export const HOUR_STEPS = [1, 2, 3, 4, 6, 8, 12] as const

// No `default` keyword inside the entries: they sit in an anyOf, where Ajv cannot apply defaults
// (and refuses to compile them in strict mode). The cadence code applies them instead.
const Intent = Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'The intent to plan when the entry is due, e.g. `validate`, `test`, `gc_runs`.' })
const Time = (what: string) => Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: `${what} Local time in the schedule's timezone, HH:MM (24 h); 00:00 when left out.` }))

const entry = <C extends Cadence>(cadence: C, description: string, time: string) =>
  Type.Object(
    {
      intent: Intent,
      cadence: Type.Literal(cadence, { description }),
      time: Time(time),
    },
    { additionalProperties: false },
  )

export const DailyEntry = entry('daily', 'Every weekday, Monday to Friday (as Dependabot\'s `daily`).', 'When, each weekday.')
export const EveryDayEntry = entry('every_day', 'All seven days of the week.', 'When, each day.')
export const MonthlyEntry = entry('monthly', 'The 1st of every month.', 'When, on the 1st.')
export const QuarterlyEntry = entry('quarterly', 'The 1st of January, April, July and October.', 'When, on those days.')
export const YearlyEntry = entry('yearly', '1 January.', 'When, on 1 January.')

export const WeeklyEntry = Type.Object(
  {
    intent: Intent,
    cadence: Type.Literal('weekly', { description: 'One day a week.' }),
    day: Type.Optional(Type.Enum(WEEKDAYS, { description: 'The day of the week, lower case; monday when left out.' })),
    time: Time('When, on that day.'),
  },
  { additionalProperties: false },
)

export const EveryNHoursEntry = Type.Object(
  {
    intent: Intent,
    cadence: Type.Literal('every_n_hours', { description: 'Several times a day: at `time` and every `hours` after it, until the local day ends.' }),
    hours: Type.Enum(HOUR_STEPS, { description: 'Hours between two slots: 1, 2, 3, 4, 6, 8 or 12 (they divide a day evenly).' }),
    time: Time('The first slot of each day.'),
  },
  { additionalProperties: false },
)

/** Each entry's schema by its cadence word: the loader checks an entry against its own branch. */
export const ENTRY_SCHEMAS = {
  daily: DailyEntry,
  every_day: EveryDayEntry,
  weekly: WeeklyEntry,
  monthly: MonthlyEntry,
  quarterly: QuarterlyEntry,
  yearly: YearlyEntry,
  every_n_hours: EveryNHoursEntry,
} as const

export const ScheduleEntry = Type.Union([DailyEntry, EveryDayEntry, WeeklyEntry, MonthlyEntry, QuarterlyEntry, YearlyEntry, EveryNHoursEntry], { description: 'One intent and when it is due; the `cadence` word picks the other fields.' })
export type ScheduleEntry = Static<typeof ScheduleEntry>

const scheduleProperties = {
  $schema: Type.Optional(Type.String({ description: 'Path or URL of this JSON Schema, for editors; ignored by OracleKit.' })),
  schema_version: Type.Literal(1, { description: 'Version of this format; 1.' }),
  product_id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'The product, as declared in the work-order-planner plugin; the file is named <product_id>.json.' }),
  timezone: Type.Optional(Type.String({ minLength: 1, default: DEFAULT_TIMEZONE, description: 'IANA time zone of every `time` and day in this file, e.g. `Europe/Berlin`; UTC when left out.' })),
}

export const Schedule = Type.Object(
  {
    ...scheduleProperties,
    entries: Type.Array(ScheduleEntry, { minItems: 1, description: 'What to plan and when. An intent may appear with several cadences, but not twice with the same one.' }),
  },
  { additionalProperties: false, $id: 'https://oraclekit.dev/schemas/schedule.schema.json', title: 'Schedule of a product' },
)
export type Schedule = Static<typeof Schedule>

/**
 * The file's outer shape, each entry checked only for its cadence word. The loader checks an
 * entry against its own branch next: a union would report "does not match any allowed form" at
 * the entry instead of the field that is wrong.
 */
export const ScheduleOutline = Type.Object(
  {
    ...scheduleProperties,
    entries: Type.Array(
      Type.Object({ cadence: Type.Enum(CADENCES, { description: `One of ${CADENCES.join(', ')}.` }) }, { additionalProperties: true }),
      { minItems: 1, description: 'What to plan and when.' },
    ),
  },
  { additionalProperties: false },
)

/** What an entry with an unknown cadence word is still checked for. */
export const EntryIntent = Type.Object({ intent: Intent }, { additionalProperties: true })
