// Starting a process from Node costs more the bigger Node is: libuv forks the whole process (the
// page tables of a few hundred MB of heaps and code) before it execs. A `true` took 1.5 ms to start
// from a pool worker, where make takes 0.3 ms. So each worker thread keeps one small helper, a
// POSIX shell (a few hundred KB), that forks and execs on request: the same argv (quoted, never
// word-split or expanded), the same cwd and environment. The child writes stdout and stderr to
// files in the helper's folder, read back once it has exited. Set ORACLE_EXEC=spawn to use Node's
// spawn instead (the fallback wherever there is no /bin/sh).
//
// What differs from Node's spawn: the shell reports a process killed by a signal as exit 128+n, so
// a code above 128 that names a signal is read as that signal (as make and every shell do), and
// the child is not the leader of its own process group (the kernel stops a job's processes by pid,
// descendants and marker, not by group).

// A helper is `sh -s` reading its script from the pipe: first this prelude, then one `r` command
// per request, which the shell parses from its buffered input as it arrives (a `read` loop would
// read the pipe a byte at a time). A shell runs one request at a time (the worker starts another
// shell for a request that comes while this one is busy, so there is no background wrapper to
// fork). A request is `r id input cwd env file args…`, every string single-quoted (a newline in a
// string written as "$nl"). `env` is the export/unset commands that make the helper's environment
// (the worker's, when the helper started) into the request's. Fd 3 is the reply channel: `E id
// ENOENT` when the folder is missing, `P id pid` once the process started, `X id status` when it
// has ended. Files are `<dir>/{in,out,err}`, the same for every request of a shell (`>` truncates
// them), so nothing is deleted between requests; the shell removes its folder when it exits.
// Whether the program exists is found out before a request is sent (a shell that cannot exec
// exits 127, as a program may), as Node's spawn does.
const PRELUDE = `exec 3>&1; d=$2; nl='
'; trap 'rm -rf -- "$d"' EXIT
r() {
  i=$1; n=/dev/null; [ "$2" = 1 ] && n="$d/in"; c=$3; e=$4; shift 4
  ( cd -- "$c" && eval "$e" || { echo "E $i ENOENT" >&3; exit 127; }
    exec "$@" 3>&- ) <"$n" >"$d/out" 2>"$d/err" & p=$!; echo "P $i $p"; wait $p; echo "X $i $?"
}
`

import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants as constants_, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { constants, tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'

export interface ServerRequest {
  file: string
  args: readonly string[]
  cwd: string
  env: NodeJS.ProcessEnv
  input?: string
  onPid(pid: number): void
}

export interface ServerExit {
  exitCode: number | undefined
  signal: NodeJS.Signals | undefined
  stdout: string
  stderr: string
  /** The process never started: the errno code (ENOENT, EACCES, …). */
  spawnError?: string
}

interface Pending {
  request: ServerRequest
  out: string
  err: string
  in?: string
  resolve(exit: ServerExit): void
}

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]))

/** The worker's exec helper, started on first use; undefined when it cannot be used here. */
export interface ExecServer {
  /** The helpers' folders for the processes' stdin, stdout and stderr files (one per shell). */
  dirs(): string[]
  /** undefined: this request cannot go through the helper (use Node's spawn). */
  run(request: ServerRequest): Promise<ServerExit> | undefined
}

let server: ExecServer | undefined | null
const SHELL = '/bin/sh'

// Programs found on a PATH, by PATH and name: a lookup is a stat per folder, a hit is free.
const found = new Map<string, true>()

/** True when `file` names an executable, looked up the way execvp (and Node's spawn) does. */
export function programExists(file: string, env: NodeJS.ProcessEnv, cwd: string): boolean {
  const executable = (path: string): boolean => {
    try {
      accessSync(path, constants_.X_OK)
      return statSync(path).isFile()
    } catch {
      return false
    }
  }
  if (file.includes('/')) return executable(resolve(cwd, file))
  const path = env.PATH ?? '/usr/local/bin:/usr/bin:/bin'
  const key = `${path}\0${file}`
  if (found.has(key)) return true
  // an empty PATH entry is the working folder, which differs from request to request
  const hit = path.split(delimiter).some((folder) => folder !== '' && executable(join(folder, file)))
  if (hit && !path.split(delimiter).includes('')) found.set(key, true)
  return hit || (path.split(delimiter).includes('') && executable(resolve(cwd, file)))
}

export function execServer(): ExecServer | undefined {
  if (server === undefined) server = process.env.ORACLE_EXEC === 'spawn' || process.platform === 'win32' || !existsSync(SHELL) ? null : startServer()
  return server ?? undefined
}

/** A shell word for any string: single quotes, with `'` and newlines spelled outside them. */
const word = (text: string): string => `'${text.replace(/'/g, `'\\''`).replace(/\n/g, `'"$nl"'`)}'`
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `export`/`unset` commands that turn the helper's environment into `env`; undefined if a name cannot be said in sh. */
function envDelta(base: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): string | undefined {
  const parts: string[] = []
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || base[key] === value) continue
    if (!NAME.test(key)) return undefined
    parts.push(`export ${key}=${word(value)}`)
  }
  const gone = Object.keys(base).filter((key) => env[key] === undefined)
  if (gone.some((key) => !NAME.test(key))) return undefined
  if (gone.length > 0) parts.push(`unset ${gone.join(' ')}`)
  return parts.join('; ') || ':'
}

interface Shell {
  child: ChildProcess
  /** Its own folder for the processes' files, removed by the shell when it exits. */
  dir: string
  /** The request it is running, if any: a shell runs one at a time (no fork to wait in the background). */
  job?: Pending & { id: string; spawnFailed?: boolean }
  dead: boolean
}

function startServer(): ExecServer | null {
  const base = { ...process.env }
  const shells: Shell[] = []
  let seq = 0
  let running = 0
  // Idle, the helpers must not keep the worker alive; with a job in flight they must. A timer does
  // that: toggling ref on the pipes cost more than the process it waited for.
  let keepAlive: NodeJS.Timeout | undefined
  const hold = (): void => {
    if (running > 0) keepAlive ??= setInterval(() => undefined, 2 ** 30)
    else if (keepAlive) {
      clearInterval(keepAlive)
      keepAlive = undefined
    }
  }
  // Synchronous on purpose: the files are small and local, and four trips through the thread pool
  // cost more than the process itself.
  const collect = (job: Pending, fields: Omit<ServerExit, 'stdout' | 'stderr'>): ServerExit => {
    const read = (path: string): string => {
      try {
        return readFileSync(path, 'utf8')
      } catch {
        return ''
      }
    }
    const exit = { ...fields, stdout: read(job.out), stderr: read(job.err) }
    // stdin is kept no longer than its process needs it
    if (job.in) rmSync(job.in, { force: true })
    return exit
  }
  const settle = (shell: Shell, fields: Omit<ServerExit, 'stdout' | 'stderr'>): void => {
    const job = shell.job
    if (!job || job.spawnFailed) return
    job.spawnFailed = fields.spawnError !== undefined
    job.resolve(collect(job, fields))
  }
  const release = (shell: Shell): void => {
    if (!shell.job) return
    shell.job = undefined
    running--
    hold()
  }
  const startShell = (): Shell => {
    const own = mkdtempSync(join(tmpdir(), 'oraclekit-exec-'))
    const child = spawn(SHELL, ['-s', 'oraclekit-exec', own], { stdio: ['pipe', 'pipe', 'ignore'], env: base, detached: true })
    child.stdin?.write(PRELUDE)
    const shell: Shell = { child, dir: own, dead: false }
    child.unref()
    for (const stream of [child.stdout, child.stdin]) (stream as unknown as { unref(): void } | null)?.unref()
    let buffered = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk
      let end = buffered.indexOf('\n')
      while (end >= 0) {
        const [kind, id = '', value = ''] = buffered.slice(0, end).split(' ')
        buffered = buffered.slice(end + 1)
        end = buffered.indexOf('\n')
        if (shell.job?.id !== id) continue
        if (kind === 'P') shell.job.request.onPid(Number(value))
        // the `X` after an `E` (exit 127 of the subshell) is not the process's: it never ran
        else if (kind === 'E') settle(shell, { exitCode: undefined, signal: undefined, spawnError: value })
        else if (kind === 'X') {
          const code = Number(value)
          const signal = code > 128 ? signalNames.get(code - 128) : undefined
          settle(shell, signal ? { exitCode: undefined, signal } : { exitCode: code, signal: undefined })
          release(shell)
        }
      }
    })
    const fail = (): void => {
      if (shell.dead) return
      shell.dead = true
      shells.splice(shells.indexOf(shell), 1)
      settle(shell, { exitCode: undefined, signal: undefined, spawnError: 'EPIPE' })
      release(shell)
    }
    child.on('error', fail)
    child.on('exit', fail)
    child.stdin?.on('error', fail)
    shells.push(shell)
    return shell
  }
  return {
    dirs: () => shells.map((shell) => shell.dir),
    run(request) {
      const delta = envDelta(base, request.env)
      if (delta === undefined) return undefined
      if (!programExists(request.file, request.env, request.cwd)) return Promise.resolve({ exitCode: undefined, signal: undefined, stdout: '', stderr: '', spawnError: 'ENOENT' })
      const id = String(++seq)
      // an idle shell, or one more: each runs one process at a time
      const shell = shells.find((candidate) => !candidate.job && !candidate.dead) ?? startShell()
      const job: Shell['job'] & {} = { id, request, out: join(shell.dir, 'out'), err: join(shell.dir, 'err'), resolve: () => undefined }
      const exit = new Promise<ServerExit>((resolve) => {
        job.resolve = resolve
      })
      shell.job = job
      running++
      hold()
      const line = `r ${id} ${request.input === undefined ? 0 : 1} ${[request.cwd, delta, request.file, ...request.args].map(word).join(' ')}\n`
      if (request.input === undefined) shell.child.stdin?.write(line)
      else {
        job.in = join(shell.dir, 'in')
        writeFile(job.in, request.input).then(
          () => shell.child.stdin?.write(line),
          () => {
            settle(shell, { exitCode: undefined, signal: undefined, spawnError: 'EIO' })
            release(shell)
          },
        )
      }
      return exit
    },
  }
}
