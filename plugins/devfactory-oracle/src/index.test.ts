// The plugin object the config loads: a lone default export, its commands (lazy), its schemas.
import { checkValue } from '@oraclekit/kernel'
import { describe, expect, it } from 'vitest'
import pkg from '../package.json' with { type: 'json' }
import * as entry from './index.js'

describe('@oraclekit/devfactory-oracle', () => {
  it('exports only the factory (the config loader wants a lone default)', () => {
    expect(Object.keys(entry)).toEqual(['default'])
  })

  it('builds the plugin with its commands, schemas and options schema', async () => {
    const plugin = entry.default({ checkInterval: 1000 })
    expect(plugin).toMatchObject({ name: 'oracle:devfactory-oracle', version: pkg.version, options: { checkInterval: 1000 } })
    expect(plugin.commands?.map((c) => c.name)).toEqual(['devfactory watch', 'devfactory status', 'devfactory intervene', 'devfactory stats', 'devfactory history'])
    expect(Object.keys(plugin.schemas ?? {})).toEqual(['devfactory_state', 'devfactory_interventions'])
    for (const command of plugin.commands ?? []) {
      const module = await command.load?.()
      expect(typeof module?.run, command.name).toBe('function')
    }
    expect(checkValue(plugin.optionsSchema as never, { checkInterval: 0 }).ok).toBe(false)
  })
})
