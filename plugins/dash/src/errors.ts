// The dash's coded errors, in one place (STYLE.md §2). Broken artifacts are never errors: they are
// shown in their panel. These are about what the user asked for.

import { ExitCode, OracleError } from '@oraclekit/kernel'

/** `oracle dash` could not listen: the port is taken, or the address is not this machine's. */
export function errorListen(host: string, port: number, cause: NodeJS.ErrnoException): OracleError {
  const taken = cause.code === 'EADDRINUSE'
  return new OracleError('ORACLE_DASH_LISTEN_FAILED', `cannot serve the dash on ${host}:${port}: ${taken ? 'the port is in use' : (cause.code ?? cause.message)}`, {
    exitCode: ExitCode.usage,
    cause,
    hint: taken ? `Pick another port with --port <n> (0 picks a free one), or stop what listens on ${port}.` : 'Check --host: it must be an address of this machine (127.0.0.1 by default).',
  })
}

/** `dash build --out` names a place the build must not write to. */
export function errorOutUnsafe(out: string, why: string): OracleError {
  return new OracleError('ORACLE_DASH_OUT_UNSAFE', `dash build --out ${out}: ${why}`, {
    exitCode: ExitCode.usage,
    hint: 'Write the site to a folder of its own, e.g. --out site or --out /tmp/dash; the dash never writes among the artifacts it reads.',
  })
}
