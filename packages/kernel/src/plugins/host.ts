import { errorPluginTeardown, wrapPluginError } from '../errors/errors.js'
import type { OracleError } from '../errors/oracle-error.js'
import type { Logger } from '../services/event-log.js'
import type { Kernel, LoadedPlugin, PluginContext } from './types.js'

/** Sets plugins up and tears them down: setup in config order, teardown in reverse and always. */
export interface PluginHost {
  /** Runs every `setup` in order; if one throws, the ones already set up are torn down, then it rethrows. */
  setup(): Promise<void>
  /** Runs `teardown` of every plugin that was set up, in reverse order, even when some throw. */
  teardown(): Promise<void>
}

export function createPluginHost(plugins: readonly LoadedPlugin[], kernel: Kernel, logger: Logger): PluginHost {
  const started: LoadedPlugin[] = []
  const contextOf = (loaded: LoadedPlugin): PluginContext<unknown> => ({
    options: loaded.options,
    kernel,
    logger: logger.child({ plugin: loaded.name }),
  })

  async function teardown(): Promise<void> {
    const failures: OracleError[] = []
    while (started.length > 0) {
      const loaded = started.pop() as LoadedPlugin
      try {
        await loaded.plugin.teardown?.(contextOf(loaded))
      } catch (error) {
        failures.push(wrapPluginError(loaded.name, 'teardown', error))
      }
    }
    if (failures.length > 0) throw errorPluginTeardown(failures)
  }

  return {
    async setup() {
      for (const loaded of plugins) {
        try {
          // A plugin counts as started before its setup returns: a setup that fails half-way
          // still gets its teardown, so it can release what it acquired.
          started.push(loaded)
          await loaded.plugin.setup?.(contextOf(loaded))
        } catch (error) {
          const wrapped = wrapPluginError(loaded.name, 'setup', error)
          await teardown().catch((teardownError: unknown) => {
            logger.error({ event: 'teardown_failed', err: teardownError }, 'teardown after a failed setup also failed')
          })
          throw wrapped
        }
      }
    },
    teardown,
  }
}
