// `npm run bench [-- <name>...]`: runs the benchmarks (all by default), each writing its section
// of docs/benchmarks.md. Exit code 1 when a budget is not met.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const all = ['help', 'intents', 'budget', 'pack', 'actionize', 'plan', 'gc', 'orchestrate', 'devfactory', 'dash']
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all
let failed = 0
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; choose from ${all.join(', ')}`)
    process.exit(2)
  }
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(`./${name}.bench.mjs`, import.meta.url))], { stdio: 'inherit' })
  if (result.status !== 0) failed++
}
process.exit(failed > 0 ? 1 : 0)
