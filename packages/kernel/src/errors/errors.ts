import { basename } from 'node:path'
import { ExitCode, OracleError, type Problem, isOracleError } from './oracle-error.js'

// Factories for the kernel's own codes, kept in alphabetical order of code. Plugins create their
// own codes with `new OracleError('ORACLE_<PLUGIN>_<WHAT>', …)`.

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

export function errorArtifactCorrupt(file: string, detail: string, line?: number): OracleError {
  return new OracleError('ORACLE_ARTIFACT_CORRUPT', `${file} is not valid JSON: ${detail}`, {
    file,
    ...(line === undefined ? {} : { line }),
    exitCode: ExitCode.invalidInput,
    hint: 'The file was edited by hand or written by another tool; restore it or delete it to let OracleKit rebuild it.',
  })
}

export function errorArtifactLocked(file: string, cause: unknown): OracleError {
  return new OracleError('ORACLE_ARTIFACT_LOCKED', `${file} is locked by another process`, {
    file,
    cause,
    hint: `Another oracle command is writing it. Wait for it to finish; if none is running, remove ${file}.lock.`,
  })
}

export function errorCommandUnknown(words: string[], suggestion?: string): OracleError {
  return new OracleError('ORACLE_COMMAND_UNKNOWN', `Unknown command: ${words.join(' ')}`, {
    exitCode: ExitCode.usage,
    hint: suggestion
      ? `Did you mean \`oracle ${suggestion}\`? Run \`oracle --help\` for the list of commands.`
      : 'Run `oracle --help` for the list of commands; plugin commands appear once the plugin is in oracle.config.ts.',
  })
}

export function errorConfigExists(file: string): OracleError {
  return new OracleError('ORACLE_CONFIG_EXISTS', `A config file already exists: ${file}`, {
    file,
    exitCode: ExitCode.usage,
    hint: 'Edit it, or pass --force to overwrite it.',
  })
}

export function errorConfigInvalid(problems: Problem[], file?: string): OracleError {
  const where = file ? basename(file) : 'the config'
  return new OracleError('ORACLE_CONFIG_INVALID', `${where} has ${plural(problems.length, 'problem')}`, {
    ...(file === undefined ? {} : { file }),
    problems,
    exitCode: ExitCode.usage,
    hint: 'Fix every problem listed. The schema: @oraclekit/kernel/schemas/oracle.config.schema.json; the guide: docs/configuration.md.',
  })
}

export function errorConfigLoad(file: string, cause: unknown, line?: number, column?: number): OracleError {
  const detail = (cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause)).trim()
  return new OracleError('ORACLE_CONFIG_LOAD_FAILED', `Could not load ${file}: ${detail}`, {
    file,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    cause,
    exitCode: ExitCode.usage,
    hint: 'The file must be valid TypeScript/JavaScript (or JSON) and export the config as its default export.',
  })
}

/** No config in `cwd` or above; or, with `file`, the file given with --config does not exist. */
export function errorConfigNotFound(cwd: string, file?: string): OracleError {
  if (file !== undefined) {
    return new OracleError('ORACLE_CONFIG_NOT_FOUND', `Config file not found: ${file}`, {
      file,
      exitCode: ExitCode.usage,
      hint: `Check the path given to --config; a relative path starts at ${cwd}.`,
    })
  }
  return new OracleError('ORACLE_CONFIG_NOT_FOUND', `No OracleKit config found in ${cwd} or any parent directory`, {
    exitCode: ExitCode.usage,
    hint: 'Run `oracle init` to create oracle.config.ts, or pass --config <file>.',
  })
}

export function errorInputInvalid(what: string, problems: Problem[], file?: string): OracleError {
  return new OracleError('ORACLE_INPUT_INVALID', `${what} has ${plural(problems.length, 'problem')}`, {
    ...(file === undefined ? {} : { file }),
    problems,
    exitCode: ExitCode.invalidInput,
    hint: 'Fix every problem listed and run the command again; nothing was changed.',
  })
}

export function errorIntentInputInvalid(intent: string, problems: Problem[]): OracleError {
  return new OracleError('ORACLE_INTENT_INPUT_INVALID', `Input of intent "${intent}" has ${plural(problems.length, 'problem')}`, {
    problems,
    exitCode: ExitCode.invalidInput,
    hint: 'No job of the run was started. Fix the input to match the intent\'s input schema.',
  })
}

export function errorIntentUnknown(intent: string, known: string[]): OracleError {
  return new OracleError('ORACLE_INTENT_UNKNOWN', `Unknown intent: ${intent}`, {
    exitCode: ExitCode.usage,
    hint: known.length > 0 ? `Registered intents: ${known.join(', ')}.` : 'No plugin in oracle.config.ts registers an intent.',
  })
}

export function errorInternal(message: string, cause?: unknown): OracleError {
  return new OracleError('ORACLE_INTERNAL', message, {
    cause,
    exitCode: ExitCode.internal,
    hint: 'This is a bug in OracleKit; please report it with the output of `oracle --version`.',
  })
}

export function errorJobsInvalid(problems: Problem[]): OracleError {
  return new OracleError('ORACLE_JOBS_INVALID', `The run request has ${plural(problems.length, 'problem')}`, {
    problems,
    exitCode: ExitCode.invalidInput,
    hint: 'No job was started. Give every job a unique id and a registered intent.',
  })
}

export function errorPathOutsideRoot(path: string, root: string): OracleError {
  return new OracleError('ORACLE_PATH_OUTSIDE_ROOT', `Path ${JSON.stringify(path)} points outside ${root}`, {
    exitCode: ExitCode.invalidInput,
    hint: 'Use a relative path inside the workspace, without `..`, `~` or a leading `/`.',
  })
}

export function errorPluginFailed(plugin: string, hook: string, cause: unknown): OracleError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  const pluginCode = typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : undefined
  return new OracleError('ORACLE_PLUGIN_ERROR', `[plugin ${plugin}] ${hook} failed: ${detail}`, {
    plugin,
    hook,
    ...(pluginCode === undefined ? {} : { pluginCode }),
    cause,
    exitCode: hook === 'setup' ? ExitCode.usage : ExitCode.failed,
    hint: `The error came from the plugin "${plugin}", not from OracleKit; check its options, or report it to its authors.`,
  })
}

export function errorPluginTeardown(failures: OracleError[]): OracleError {
  const names = failures.map((f) => f.plugin).join(', ')
  return new OracleError('ORACLE_PLUGIN_TEARDOWN_FAILED', `Teardown failed in ${plural(failures.length, 'plugin')}: ${names}`, {
    problems: failures.map((f) => ({ message: f.message, ...(f.plugin ? { path: f.plugin } : {}) })),
    cause: failures[0],
    hint: 'Every plugin was still torn down; the first failure is shown as the cause.',
  })
}

export function errorUsage(message: string, hint?: string): OracleError {
  return new OracleError('ORACLE_USAGE', message, {
    exitCode: ExitCode.usage,
    hint: hint ?? 'Run the command with --help to see its arguments and flags.',
  })
}

/**
 * Re-throws what a plugin threw as a coded error carrying the plugin's name. An OracleError keeps
 * its code (the plugin chose it) and gains the plugin name; anything else becomes
 * ORACLE_PLUGIN_ERROR with the original as its cause.
 */
export function wrapPluginError(plugin: string, hook: string, error: unknown): OracleError {
  if (isOracleError(error)) {
    error.plugin ??= plugin
    return error
  }
  return errorPluginFailed(plugin, hook, error)
}
