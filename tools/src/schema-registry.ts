import { ConfigSchema, type TSchema } from '@oraclekit/kernel'

/**
 * Every contract schema of the repository, in the order they are written: the config schema
 * first, then the schemas plugins declare (`plugin.schemas`), as they land.
 */
export function schemaRegistry(): Array<{ name: string; schema: TSchema }> {
  return [{ name: 'oracle.config', schema: ConfigSchema }]
}
