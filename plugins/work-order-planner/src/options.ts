import { type Static, Type } from '@oraclekit/kernel'

/** A command: an argv array, or one string split into an argv like a shell would, without a shell. */
export const Command = Type.Union([Type.String({ pattern: '\\S' }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
  description: 'An argv (`["npm", "test"]`) or a string split on spaces (`"npm test"`; quote a space with a backslash). Never run through a shell.',
})
export type Command = Static<typeof Command>

export const PRODUCT_ID = '^[a-z0-9][a-z0-9._-]{0,63}$'

export const ProductConfig = Type.Object(
  {
    id: Type.String({ pattern: PRODUCT_ID, description: 'Unique product id: lower-case letters, digits, `.`, `_`, `-`.' }),
    root: Type.String({ minLength: 1, description: 'The product’s folder, relative to the workspace root; its commands run there.' }),
    commands: Type.Object(
      {
        validate: Type.Optional(Command),
        test: Type.Optional(Command),
        regenerate_report: Type.Optional(Command),
      },
      { additionalProperties: false, default: {}, description: 'The commands behind the safe intents. A product gets work orders only for intents it has a command for.' },
    ),
    health: Type.Optional(
      Type.Object(
        {
          command: Command,
          timeoutMs: Type.Integer({ minimum: 100, default: 60_000, description: 'How long the health check may take.' }),
        },
        { additionalProperties: false, description: 'A health check `oracle run` runs before the product’s first job other than validate; exit 0 is healthy.' },
      ),
    ),
    caps: Type.Object(
      {
        maxWorkOrders: Type.Optional(Type.Integer({ minimum: 0, description: 'Work orders one plan may give this product (0: none). Default: budget.perProduct.' })),
      },
      { additionalProperties: false, default: {} },
    ),
    priority: Type.Integer({ minimum: -100, maximum: 100, default: 0, description: 'Added to the priority of every work order of this product.' }),
    env: Type.Record(Type.String(), Type.String(), { default: {}, description: 'Environment variables added for the product’s commands.' }),
  },
  { additionalProperties: false },
)
export type ProductConfig = Static<typeof ProductConfig>

export const PlannerOptions = Type.Object(
  {
    products: Type.Array(ProductConfig, { default: [], description: 'The fleet.' }),
    workOrdersDir: Type.String({ default: 'nexus/work_orders', description: 'Where `oracle plan` writes work orders, relative to the workspace root.' }),
    schemaFile: Type.String({ default: 'nexus/schemas/work_order.schema.json', description: 'Where `oracle plan` writes the work-order JSON Schema.' }),
    dashDir: Type.String({ default: 'dash', description: 'The Dash artifacts: runs/, kill_switch/, health/.' }),
    pm: Type.Object(
      {
        dossiersDir: Type.String({ default: 'docs/pm/dossiers', description: 'Design dossiers: Markdown with YAML front matter.' }),
        specsDir: Type.String({ default: 'docs/pm/specs', description: 'Specs with traceability tables.' }),
        roadmap: Type.String({ default: 'docs/pm/ROADMAP.md', description: 'The roadmap: Now / Next / Later sections.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    budget: Type.Object(
      {
        workOrders: Type.Integer({ minimum: 0, default: 3, description: 'Work orders one plan emits at most (`--budget` overrides).' }),
        perProduct: Type.Integer({ minimum: 0, default: 2, description: 'Work orders one plan gives one product at most (a product’s caps.maxWorkOrders overrides).' }),
        jobTimeMs: Type.Integer({ minimum: 1000, default: 600_000, description: 'Time one job may take; written into each work order’s budget.' }),
        maxRunTimeMs: Type.Integer({ minimum: 1000, default: 3_600_000, description: 'Time one `oracle run` may take (`--max-time` overrides).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    reportMaxAgeHours: Type.Number({ minimum: 0, default: 24, description: 'A product whose last report is older than this gets a regenerate_report candidate.' }),
  },
  { additionalProperties: false },
)
export type PlannerOptions = Static<typeof PlannerOptions>

/** What the factory accepts: everything with a default may be left out, at any depth. */
export type ProductInput = Omit<ProductConfig, 'commands' | 'health' | 'caps' | 'priority' | 'env'> & {
  commands?: ProductConfig['commands']
  health?: { command: Command; timeoutMs?: number }
  caps?: ProductConfig['caps']
  priority?: number
  env?: Record<string, string>
}
export type PlannerInput = Partial<Omit<PlannerOptions, 'products' | 'pm' | 'budget'>> & {
  products?: ProductInput[]
  pm?: Partial<PlannerOptions['pm']>
  budget?: Partial<PlannerOptions['budget']>
}
