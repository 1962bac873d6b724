import { describe, expect, it } from 'vitest'
import { REDACTED, isSecretKey, redactFields, redactSecrets } from './redact.js'

const ANTHROPIC = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc'
const OPENAI = 'sk-proj-AbCdEfGhIjKlMnOpQrSt1234'
const GITHUB = 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'
const GITHUB_PAT = 'github_pat_11ABCDEFG0AbCdEfGhIjKl_MnOpQrStUvWxYz0123456789'
const SLACK = 'xoxb-123456789012-AbCdEfGhIj'
const AWS = 'AKIAIOSFODNN7EXAMPLE'

describe('redactSecrets', () => {
  it.each([
    ['an Anthropic key', `key=${ANTHROPIC}`, `key=${REDACTED}`],
    ['an OpenAI key', `OPENAI_API_KEY=${OPENAI} node x.js`, `OPENAI_API_KEY=${REDACTED} node x.js`],
    ['a GitHub token', `git clone https://${GITHUB}@github.com/o/r`, `git clone https://${REDACTED}@github.com/o/r`],
    ['a GitHub server token', 'ghs_AbCdEfGhIjKlMnOpQrStUvWx', REDACTED],
    ['a fine-grained GitHub token', `token: ${GITHUB_PAT}`, `token: ${REDACTED}`],
    ['a bearer token', 'curl -H "Authorization: Bearer eyJhbGciOi.J9.xyz_-+/=" x', `curl -H "Authorization: ${REDACTED}" x`],
    ['a Slack token', `slack ${SLACK} ok`, `slack ${REDACTED} ok`],
    ['an AWS access key id', `aws ${AWS}`, `aws ${REDACTED}`],
    ['several secrets in one text', `${OPENAI} and ${GITHUB}`, `${REDACTED} and ${REDACTED}`],
    ['a secret across lines', `first\nBearer abcdefgh12345678\nlast`, `first\n${REDACTED}\nlast`],
  ])('hides %s', (_what, text, expected) => {
    expect(redactSecrets(text)).toBe(expected)
  })

  it.each([
    ['plain prose', 'the task failed after 3 retries'],
    ['a short sk- word', 'sk-short'],
    ['sk- inside a longer word', 'task-ant-AbCdEfGhIjKlMnOpQrStUv'],
    ['Bearer with a short value', 'Bearer short'],
    ['an AKIA prefix inside a longer word', 'AKIAIOSFODNN7EXAMPLEX'],
    ['a GitHub-like prefix that is too short', 'ghp_abc'],
    ['an empty string', ''],
  ])('leaves %s alone', (_what, text) => {
    expect(redactSecrets(text)).toBe(text)
  })

  it('gives the same answer on every call (no regex state leaks between calls)', () => {
    const text = `a ${OPENAI} b`
    expect([redactSecrets(text), redactSecrets(text), redactSecrets(text)]).toEqual(Array(3).fill(`a ${REDACTED} b`))
  })

  it('is idempotent', () => {
    const once = redactSecrets(`${ANTHROPIC} Bearer abcdefghijk`)
    expect(redactSecrets(once)).toBe(once)
  })
})

describe('isSecretKey', () => {
  it.each(['apiKey', 'api_key', 'API_KEY', 'ANTHROPIC_API_KEY', 'x-api-key', 'token', 'accessToken', 'GITHUB_TOKEN', 'GH_TOKEN', 'secret', 'clientSecret', 'password', 'DB_PASSWORD', 'authorization', 'Authorization', 'cookie', 'privateKey', 'AWS_ACCESS_KEY', 'credentials'])(
    'treats %s as secret',
    (name) => {
      expect(isSecretKey(name)).toBe(true)
    },
  )

  it.each(['tokens', 'maxTokens', 'inputTokens', 'tokenCount', 'secretName', 'model', 'job', 'reason', 'keys', 'passwordPolicy'])('leaves %s alone', (name) => {
    expect(isSecretKey(name)).toBe(false)
  })
})

describe('redactFields', () => {
  it('censors secret fields at any depth and scrubs secrets inside text, without touching the input', () => {
    const input = { job: 'j1', apiKey: 'k', env: { GITHUB_TOKEN: 'g', HOME: '/h' }, cmd: 'curl -H "Authorization: bearer abcdefghijkl" x', list: [{ password: 'p' }, 'ok'] }
    const output = redactFields(input)
    expect(output).toEqual({ job: 'j1', apiKey: REDACTED, env: { GITHUB_TOKEN: REDACTED, HOME: '/h' }, cmd: `curl -H "Authorization: ${REDACTED}" x`, list: [{ password: REDACTED }, 'ok'] })
    expect(input.apiKey).toBe('k')
    expect(input.env.GITHUB_TOKEN).toBe('g')
  })

  it('returns the same object when nothing is secret (no copy)', () => {
    const input = { job: 'j1', status: 'ok', nested: { attempts: 1 } }
    expect(redactFields(input)).toBe(input)
  })

  it('leaves null and undefined secret fields as they are', () => {
    expect(redactFields({ token: null, apiKey: undefined })).toEqual({ token: null, apiKey: undefined })
  })

  it('censors with the "[redacted]" marker', () => {
    expect(REDACTED).toBe('[redacted]')
  })
})
