// Shared helpers of the benchmarks: temporary workspaces, statistics, and docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { cpus } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { createTempWorkspace } from '@oraclekit/kernel/testing'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DOC = join(REPO_ROOT, 'docs/benchmarks.md')

/** A workspace outside the repository whose node_modules is the repository's. */
export async function makeWorkspace(files) {
  const ws = await createTempWorkspace({ files, prefix: 'oraclekit-bench-', nodeModules: join(REPO_ROOT, 'node_modules') })
  return { dir: ws.dir, cleanup: ws.cleanup }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const fmt = (n, digits = 1) => n.toFixed(digits)

/** A Markdown table from a header row and rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

export function machine() {
  return `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${process.platform}`
}

/** Replaces the section `name` of docs/benchmarks.md (between its markers), keeping the others. */
export function writeSection(name, markdown) {
  const start = `<!-- bench:${name} -->`
  const end = `<!-- /bench:${name} -->`
  let doc
  try {
    doc = readFileSync(DOC, 'utf8')
  } catch {
    doc = '# Benchmarks\n\nEach section is written by the benchmark that measured it; rerun the command to refresh it.\n'
  }
  const block = `${start}\n${markdown.trim()}\n${end}`
  const at = doc.indexOf(start)
  doc = at >= 0 ? doc.slice(0, at) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc.trimEnd()}\n\n${block}\n`
  writeFileSync(DOC, doc.endsWith('\n') ? doc : `${doc}\n`)
}

/** Prints the table and whether the budget holds; returns the exit code for the script. */
export function report(title, markdown, ok) {
  console.log(`\n${title}\n\n${markdown}\n\n${ok ? 'PASS' : 'FAIL'}\n`)
  return ok ? 0 : 1
}

const sourceMaps = new Map()
/** A profile location as a repository path: through the dist's source map to the TypeScript source when there is one. */
export function profileLocation(url, line, column) {
  if (!url) return ''
  if (!url.startsWith('file://')) return `${url}:${line + 1}`
  const file = fileURLToPath(url)
  if (!sourceMaps.has(file)) {
    let map
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')))
    } catch {
      map = undefined
    }
    sourceMaps.set(file, map)
  }
  const entry = sourceMaps.get(file)?.findEntry(line, column)
  const [path, at] = entry?.originalSource ? [resolve(dirname(file), entry.originalSource.replace(/^file:\/\//, '')), entry.originalLine] : [file, line]
  return `${relative(REPO_ROOT, path).replace(/^.*node_modules\//, 'node_modules/')}:${at + 1}`
}

/** A .cpuprofile's self time summed by function (with its source location), the top 25, in ms. */
export function profileSelfTime(prof) {
  const byId = new Map(prof.nodes.map((node) => [node.id, node]))
  const self = new Map()
  let total = 0
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000
    total += dt
    const { functionName, url, lineNumber, columnNumber } = byId.get(id).callFrame
    const key = `${functionName || '(anonymous)'} ${profileLocation(url, lineNumber, columnNumber)}`.trim()
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  return { total, top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25) }
}
