import { createRequire } from 'node:module'
import type * as Cosmiconfig from 'cosmiconfig'
import type * as JitiModule from 'jiti'
import type { Jiti, JitiOptions } from 'jiti'

// cosmiconfig and jiti are CommonJS. Loading them with require() skips the ESM loader's lexing of
// their sources (jiti's 190 KB bundle costs ~15 ms that way), which matters on every CLI start.
const require = createRequire(import.meta.url)

export function loadCosmiconfig(): typeof Cosmiconfig {
  return require('cosmiconfig') as typeof Cosmiconfig
}

/** A jiti instance resolving from `from`: TypeScript config files, plugin specifiers, TS intents. */
export function createJiti(from: string, options: JitiOptions = {}): Jiti {
  const { createJiti: create } = require('jiti') as typeof JitiModule
  return create(from, options)
}
