// `dash build`: the views as a static site. Each view's page embeds its data (fetching is not
// allowed from file://), api/<view>.json holds the same JSON for other consumers, and the two
// assets sit in assets/. The set of files is fixed, so a rebuild overwrites and never leaves a
// stale one; the same model gives the same bytes.

import { statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { writeFileAtomic } from '@oraclekit/kernel'
import { errorOutUnsafe } from '../errors.js'
import { VIEWS } from '../model/types.js'
import type { ResolvedPaths } from '../paths.js'
import { viewPath } from '../ui/page.js'
import { ASSETS, type Snapshot } from './snapshot.js'

const within = (child: string, parent: string): boolean => {
  const rel = relative(parent, child)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** Folders the dash reads from, absolute. */
function artifactFolders(rootDir: string, paths: ResolvedPaths): string[] {
  const folders = [paths.dashDir, paths.runsDir, paths.schedulesDir, paths.driftDir, paths.healDir, paths.workOrdersDir, paths.packRunsDir, paths.orchestratorRunsDir, paths.devfactoryDir, '.codex', '.oracle']
  const index = dirname(paths.scienceIndex)
  if (index !== '.') folders.push(index)
  return [...new Set(folders.map((f) => resolve(rootDir, f)))]
}

/** Refuses an --out that is the workspace root, a file, or among (or around) the artifact folders. */
export function checkOut(rootDir: string, out: string, outArg: string, paths: ResolvedPaths): void {
  if (resolve(out) === resolve(rootDir)) throw errorOutUnsafe(outArg, 'that is the workspace root')
  const folders = artifactFolders(rootDir, paths).map((folder) => ({ folder, name: relative(rootDir, folder).split(sep).join('/') }))
  const inside = folders.find(({ folder }) => within(out, folder))
  if (inside) throw errorOutUnsafe(outArg, `it is inside ${inside.name}/, an artifact folder the dash reads`)
  const holds = folders.find(({ folder }) => within(folder, out))
  if (holds) throw errorOutUnsafe(outArg, `it holds ${holds.name}/, an artifact folder the dash reads`)
  try {
    if (!statSync(out).isDirectory()) throw errorOutUnsafe(outArg, 'it is a file')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** Every file of the site, by path relative to its root, in a fixed order. */
export function siteFiles(snapshot: Snapshot): Array<[string, string]> {
  const files: Array<[string, string]> = []
  for (const view of VIEWS) files.push([viewPath(view), snapshot.html(view, false)])
  for (const view of VIEWS) files.push([`api/${view}.json`, snapshot.json(view)])
  files.push(['api/index.json', `${JSON.stringify({ version: snapshot.version, views: VIEWS.map((v) => ({ view: v, api: `${v}.json`, page: `../${viewPath(v)}` })) })}`])
  for (const [name, asset] of Object.entries(ASSETS)) files.push([`assets/${name}`, asset.body])
  return files
}

export async function writeSite(snapshot: Snapshot, out: string): Promise<string[]> {
  const files = siteFiles(snapshot)
  for (const [rel, text] of files) {
    const target = join(out, rel)
    await mkdir(dirname(target), { recursive: true })
    await writeFileAtomic(target, text)
  }
  return files.map(([rel]) => rel)
}
