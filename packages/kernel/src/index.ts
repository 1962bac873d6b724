// @oraclekit/kernel: the public SDK. Plugins import only from here (and from ./intent in workers).

export { defineCommand, defineConfig, definePlugin } from './config/define.js'
export type { ConfigEnv, UserConfigExport } from './config/define.js'
export { CONFIG_FILES, loadConfigFile } from './config/load.js'
export type { LoadConfigOptions, LoadedConfigFile } from './config/load.js'
export { resolveConfig } from './config/resolve-config.js'
export type { ConfigResolution } from './config/resolve-config.js'
export { ConfigSchema } from './config/schema.js'
export type { ResolvedConfig, RunConfig, UserConfig } from './config/schema.js'

export * from './errors/errors.js'
export { ExitCode, OracleError, isOracleError } from './errors/oracle-error.js'
export type { OracleErrorOptions, Problem } from './errors/oracle-error.js'

export { backoffDelay, mayRetry, resolveBudget } from './intents/budget.js'
export { findJobProcesses, isAlive, killJobProcesses } from './intents/kill-tree.js'
export { killSwitch, killSwitchFile, stopOnFailure } from './intents/stop-conditions.js'
export type * from './intents/types.js'

export { createKernel, loadKernelConfig } from './kernel.js'
export type { CreateKernelOptions, KernelConfig, KernelInstance } from './kernel.js'

export { GLOBAL_FLAGS, RESERVED_COMMANDS } from './plugins/check-plugin.js'
export type * from './plugins/types.js'

export { formatPath } from './schema/json-path.js'
export type { PathSegment } from './schema/json-path.js'
export { locateProblems } from './schema/locate.js'
export type { SourceText } from './schema/locate.js'
export { suggest } from './schema/suggest.js'
export { Type } from './schema/typebox.js'
export type { Static, TObject, TProperties, TSchema } from './schema/typebox.js'
export { checkValue, toJsonSchemaDocument } from './schema/validate.js'
export type { CheckOptions, CheckResult } from './schema/validate.js'

export { clockFromEnv, fixedClock, manualClock, systemClock } from './services/clock.js'
export type { Clock, ManualClock } from './services/clock.js'
export { createEventLog } from './services/event-log.js'
export type { EventLog, EventLogOptions, LogLevel, Logger } from './services/event-log.js'
export { hashJson, sha256, sha256File, stableId } from './services/hash.js'
export { resolveInside, toPosixRelative } from './services/paths.js'
export { REDACTED, SECRET_FIELD_PATHS, redactSecrets } from './services/redact.js'
export { compareCodeUnits, stableLine, stableStringify } from './services/stable-json.js'
export { createArtifactStore, parseJsonText, readJsonFile, withFileLock, writeFileAtomic, writeJsonAtomic } from './services/store.js'
export type { ArtifactStore, LockOptions } from './services/store.js'

export { JobFailure, TransientError, defineIntent } from './intent.js'
export type { ExecOptions, ExecResult, IntentContext, IntentFunction, IntentLogger } from './intent.js'
