// What a failed `oracle` invocation means. The CLI never prints the HTTP status (research C:
// "429 prints `ERROR: Rate limit reached for requests`; 503 prints `ERROR: The server is
// overloaded`"), so failures are classified from its output text, as oracle's own
// providerFailures.ts does.

export type FailureClass = 'rate_limit' | 'overloaded' | 'timeout' | 'connection' | 'duplicate_session' | 'fatal'

const RULES: ReadonlyArray<readonly [FailureClass, RegExp]> = [
  ['rate_limit', /rate[ _-]?limit|\b429\b|too many requests|quota exceeded/i],
  ['overloaded', /overloaded|\b50[234]\b|service unavailable|bad gateway|temporarily unavailable|server error/i],
  // Not a bare "timeout": `error: option '--timeout <s>' argument invalid` is a usage error.
  ['timeout', /timed out|deadline exceeded|client-timeout|Client-side timeout/i],
  ['connection', /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|connection (?:error|lost|reset|refused|closed)|connection-lost|network error/i],
  ['duplicate_session', /A session with the same prompt is already running/i],
]

/** Failures worth another attempt: the provider or the network, not the request. */
export const TRANSIENT: ReadonlySet<FailureClass> = new Set(['rate_limit', 'overloaded', 'timeout', 'connection', 'duplicate_session'])

/** Classifies a failed invocation by its output (stdout and stderr together). */
export function classifyFailure(output: string): FailureClass {
  // Lines that echo the prompt or file names must not decide: only the error lines count.
  const errorLines = output
    .split('\n')
    .filter((line) => /error|✖|timed out|timeout|transport|session with the same prompt|ECONN|socket|fetch failed/i.test(line))
    .join('\n')
  for (const [kind, pattern] of RULES) if (pattern.test(errorLines)) return kind
  return 'fatal'
}

/** The lines of the output that say what went wrong, for steps.json and the console. */
export function failureSummary(output: string, maxLines = 3): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('🧿'))
  const errors = lines.filter((line) => /error|✖|failed|timed out|unknown option|missing|transport/i.test(line))
  return (errors.length > 0 ? errors : lines.slice(-maxLines)).slice(0, maxLines).join(' | ')
}
