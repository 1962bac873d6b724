import { defineConfig } from '@oraclekit/kernel'
import actionizer from '@oraclekit/actionizer'
import orchestrator from '@oraclekit/orchestrator'
import oraclepack from '@oraclekit/oraclepack-runner'
import todoScan from './plugins/todo-scan/index.ts'

// With a provider key the pack is answered by the real oracle CLI (@steipete/oracle, installed
// separately); without one, by the answers recorded in packs/answers/, and the run says so.
const providerKey = Boolean(process.env.OPENAI_API_KEY || process.env.OPENROUTER_API_KEY)

export default defineConfig({
  plugins: [
    todoScan({ markers: ['TODO', 'FIXME', 'HACK'] }),
    oraclepack(providerKey ? {} : { engine: { kind: 'replay', replayDir: 'packs/answers' } }),
    actionizer(),
    // the actionizer's orchestrator.yml is a plan this plugin validates and runs
    orchestrator(),
  ],
  run: { maxParallel: 2 },
})
