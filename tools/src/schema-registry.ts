import { ConfigSchema, type OraclePlugin, type TSchema } from '@oraclekit/kernel'
import actionizer from '@oraclekit/actionizer'
import workOrderPlanner from '@oraclekit/work-order-planner'
import fleetOps from '@oraclekit/fleet-ops'
import orchestrator from '@oraclekit/orchestrator'
import devfactoryOracle from '@oraclekit/devfactory-oracle'
import dash from '@oraclekit/dash'
import oraclepackRunner from '@oraclekit/oraclepack-runner'

/** First-party plugins whose contract schemas (and options schemas) are published. */
const PLUGINS: OraclePlugin[] = [oraclepackRunner(), actionizer(), workOrderPlanner(), fleetOps(), orchestrator(), devfactoryOracle(), dash()]

/**
 * Every contract schema of the repository, in the order they are written: the config schema
 * first, then the schemas plugins declare (`plugin.schemas`), as they land.
 */
export function schemaRegistry(): Array<{ name: string; schema: TSchema }> {
  return [
    { name: 'oracle.config', schema: ConfigSchema },
    ...PLUGINS.flatMap((plugin) => [
      ...(plugin.optionsSchema ? [{ name: `${plugin.name.replace(/^oracle:/, '')}.options`, schema: plugin.optionsSchema }] : []),
      ...Object.entries(plugin.schemas ?? {}).map(([name, schema]) => ({ name, schema })),
    ]),
  ]
}
