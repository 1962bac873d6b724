// `oracle dash build --out <dir>`: the dashboard as a static site (for CI artifacts). Reads the
// workspace, writes only under --out, which may not be the workspace root or an artifact folder.

import { resolve } from 'node:path'
import { type CommandContext, type CommandResult, ExitCode, errorUsage } from '@oraclekit/kernel'
import { buildModel } from '../model/model.js'
import type { DashOptions } from '../options.js'
import { checkOut, writeSite } from '../site/build.js'
import { createSnapshot } from '../site/snapshot.js'
import { countProblems, modelSource } from './source.js'

interface Flags {
  out?: string
}

export async function run(ctx: CommandContext<Flags>): Promise<CommandResult> {
  const outArg = ctx.options.out
  if (!outArg) throw errorUsage('oracle dash build needs --out <dir>', 'Name the folder to write the site to, e.g. oracle dash build --out site.')
  const options = ctx.pluginOptions as DashOptions
  const source = modelSource(ctx.kernel, options)
  const out = resolve(ctx.global.cwd, outArg)
  checkOut(source.rootDir, out, outArg, source.paths)
  const now = ctx.kernel.clock.now()
  const model = await buildModel({ ...source, now })
  const files = await writeSite(createSnapshot(model, { version: 1, now, rootDir: source.rootDir }), out)
  const problems = countProblems(model)
  const shown = problems.corrupt + problems.missing > 0 ? `; panels show ${problems.corrupt} broken and ${problems.missing} missing artifact(s)` : ''
  return {
    exitCode: ExitCode.ok,
    data: { out, files, products: model.overview.counts.products, problems },
    text: `dash build: ${model.overview.counts.products} product(s), ${files.length} files written to ${outArg}${shown}\nopen ${resolve(out, 'index.html')}`,
  }
}
