// The plugin's coded errors, in one place (STYLE.md §2). Messages never carry the API key: the
// client scrubs every text that came from the SDK before it lands here.

import { ExitCode, OracleError } from '@oraclekit/kernel'

export function errorNoApiKey(envName: string): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_NO_API_KEY', `No Anthropic API key: the environment variable ${envName} is not set`, {
    exitCode: ExitCode.usage,
    hint: `Export ${envName}=<your key> in the shell that runs oracle, or set the devfactory-oracle plugin's apiKeyEnv option to the variable that holds it.`,
  })
}

/** The Messages API refused the request, or kept failing after the retries. */
export function errorApi(detail: string, options: { status?: number; requestId?: string; attempts: number; cause?: unknown }): OracleError {
  const where = options.status === undefined ? 'no response' : `HTTP ${options.status}`
  const tries = options.attempts === 1 ? '1 attempt' : `${options.attempts} attempts`
  return new OracleError('ORACLE_DEVFACTORY_API', `Claude API request failed (${where}, ${tries}): ${detail}`, {
    cause: options.cause,
    hint: apiHint(options.status, options.requestId),
  })
}

function apiHint(status: number | undefined, requestId: string | undefined): string {
  const id = requestId ? ` Request id: ${requestId}.` : ''
  if (status === 401 || status === 403) return `Check the API key and its workspace permissions.${id}`
  if (status === 400 || status === 404) return `Check the plugin's model and maxTokens options.${id}`
  if (status === 429) return `Rate limited for longer than the oracle waits; the next check will try again.${id}`
  if (status === undefined) return 'Check the network, the baseURL option and requestTimeout; the next check will try again.'
  return `The API had a problem; the next check will try again (https://status.anthropic.com).${id}`
}

export function errorInterventionsInvalid(file: string, detail: string, options: { line?: number; problems?: OracleError['problems']; cause?: unknown } = {}): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_INTERVENTIONS_INVALID', `${file}: ${detail}`, {
    file,
    ...(options.line === undefined ? {} : { line: options.line }),
    ...(options.problems ? { problems: options.problems } : {}),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    exitCode: ExitCode.invalidInput,
    hint: 'The intervention history was edited by hand or by another tool. Fix the line shown, or move the file away to start a new history; nothing was written to it.',
  })
}

export function errorNoAgent(): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_NO_AGENT', 'Takeover needs an agent command, and none is configured', {
    exitCode: ExitCode.usage,
    hint: "Set the devfactory-oracle plugin's takeoverCommand option to an argv, e.g. ['my-agent', '--prompt-file', '{prompt_file}']: {prompt_file}, {task_id} and {root} are replaced, and the prompt also arrives on stdin.",
  })
}

export function errorTakeoverBusy(taskId: string, active: readonly string[]): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_TAKEOVER_BUSY', `Cannot take over ${taskId}: a takeover is already running (${active.join(', ')})`, {
    hint: 'Takeovers run one at a time (maxConcurrentTakeovers). Wait for it to finish; a takeover left behind by a crashed oracle frees itself after takeoverTimeout.',
  })
}

export function errorTaskNotFound(taskId: string, known: readonly string[], suggestion?: string): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_TASK_NOT_FOUND', `No task ${taskId} in the state file or in any spec's tasks.md`, {
    exitCode: ExitCode.usage,
    hint: suggestion
      ? `Did you mean ${suggestion}? Task ids are the keys of tasks in beast/state.json (usually <spec>/<id>).`
      : `Task ids are the keys of tasks in beast/state.json (usually <spec>/<id>)${known.length > 0 ? `; it has: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}` : ', which has none'}. \`oracle devfactory status\` lists them.`,
  })
}

export function errorTaskSettled(taskId: string, status: string): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_TASK_SETTLED', `Task ${taskId} is ${status}: there is nothing to intervene on`, {
    exitCode: ExitCode.usage,
    hint: 'Only a task that is not complete can be helped. Set its status back to in_progress in beast/state.json if it needs work again.',
  })
}

export function errorWatchRunning(pid: number, file: string): OracleError {
  return new OracleError('ORACLE_DEVFACTORY_WATCH_RUNNING', `Another \`oracle devfactory watch\` is running (pid ${pid})`, {
    file,
    exitCode: ExitCode.usage,
    hint: `Two watchers would intervene twice on the same workers. Stop it first (kill ${pid}), or use \`oracle devfactory status\` and \`oracle devfactory intervene <task>\` beside it.`,
  })
}
