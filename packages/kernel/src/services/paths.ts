import { isAbsolute, relative, resolve, sep } from 'node:path'
import { errorPathOutsideRoot } from '../errors/errors.js'

/**
 * Resolves a workspace-relative path and refuses anything that could leave the root: absolute
 * paths, `~`, `..` segments and NUL bytes. Plugins use it for every path that comes from input.
 */
export function resolveInside(root: string, path: string): string {
  const segments = path.split(/[\\/]+/)
  if (
    path === '' ||
    path.includes('\u0000') ||
    isAbsolute(path) ||
    /^[a-zA-Z]:/.test(path) ||
    path.startsWith('~') ||
    segments.includes('..')
  ) {
    throw errorPathOutsideRoot(path, root)
  }
  const absolute = resolve(root, path)
  const rel = relative(root, absolute)
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw errorPathOutsideRoot(path, root)
  return absolute
}

/** Forward-slash form of a path relative to `root`, as written into artifacts. */
export function toPosixRelative(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/')
}
