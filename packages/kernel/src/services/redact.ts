/** Field paths whose values never reach logs, events or evidence (pino `redact` syntax). */
export const SECRET_FIELD_PATHS: readonly string[] = [
  'apiKey',
  'api_key',
  'token',
  'password',
  'secret',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'headers["x-api-key"]',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["x-api-key"]',
  'env.ANTHROPIC_API_KEY',
  'env.OPENAI_API_KEY',
  'env.GITHUB_TOKEN',
  'env.GH_TOKEN',
]

export const REDACTED = '[redacted]'

// Shapes of well-known credentials that can hide inside free text (a command line, an error).
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-(?:ant-)?[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
]

/** Replaces credential-shaped substrings of free text with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED)
  return out
}
