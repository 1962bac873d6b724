export const REDACTED = '[redacted]'

// A field is secret when its name, lower-cased without separators, ends with one of these:
// apiKey, api_key, ANTHROPIC_API_KEY, x-api-key, accessToken, GITHUB_TOKEN, clientSecret,
// password, authorization, cookie… ("tokens", "maxTokens", "secretName" are not secrets).
const SECRET_NAME_ENDINGS = ['apikey', 'token', 'secret', 'password', 'passwd', 'authorization', 'cookie', 'privatekey', 'accesskey', 'credentials']

/** True for a field name whose value must never be logged. */
export function isSecretKey(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '')
  return SECRET_NAME_ENDINGS.some((ending) => normalized.endsWith(ending))
}

// Shapes of well-known credentials that can hide inside free text (a command line, an error).
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-(?:ant-)?[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
]
// One cheap test first: most text has none of these prefixes.
const MAYBE_SECRET = /sk-|gh[pousr]_|github_pat_|bearer|xox|AKIA/i

/** Replaces credential-shaped substrings of free text with `[redacted]`. */
export function redactSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text
  let out = text
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED)
  return out
}

/**
 * A copy of `value` with secret fields censored and credential-shaped text scrubbed, down to
 * `depth` levels of nesting. Returns `value` itself when nothing needed hiding (no copy).
 */
export function redactFields<T>(value: T, depth = 4): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (depth === 0 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    value.forEach((item, index) => {
      const next = redactFields(item, depth - 1)
      if (next !== item) (copy ??= [...value])[index] = next
    })
    return (copy ?? value) as T
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value
  let copy: Record<string, unknown> | undefined
  for (const [key, member] of Object.entries(value)) {
    const next = isSecretKey(key) && member !== undefined && member !== null ? REDACTED : redactFields(member, depth - 1)
    if (next !== member) (copy ??= { ...(value as Record<string, unknown>) })[key] = next
  }
  return (copy ?? value) as T
}
