// Test code only: the SDK reads these variables when an option is left out; a developer's shell
// must not change what the tests send or where.
import { vi } from 'vitest'

const SDK_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_CUSTOM_HEADERS', 'ANTHROPIC_LOG', 'ANTHROPIC_PROFILE', 'ANTHROPIC_CONFIG_DIR']

export function isolateSdkEnvironment(): void {
  for (const name of SDK_VARIABLES) vi.stubEnv(name, undefined)
}

/** A sleep that does not wait, and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = []
  return { delays, sleep: async (ms) => void delays.push(ms) }
}
