import { styleText } from 'node:util'

export type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan'

/** Colours text for a terminal; plain when `enabled` is false (pipes, --ci, NO_COLOR). */
export function createStyler(enabled: boolean): (style: Style, text: string) => string {
  return enabled ? (style, text) => styleText(style, text) : (_style, text) => text
}

export function colorEnabled(stream: NodeJS.WriteStream | { isTTY?: boolean }, ci: boolean, env: NodeJS.ProcessEnv): boolean {
  if (ci || env.NO_COLOR !== undefined || env.TERM === 'dumb') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true
}
