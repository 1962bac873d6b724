// @oraclekit/cli: the `oracle` command. `main` is exported for in-process tests and embedding.
export { main, VERSION } from './main.js'
export type { CliIO } from './main.js'
export { GLOBAL_OPTIONS, LOG_LEVELS } from './globals.js'
export { BUILTINS } from './builtins/index.js'
