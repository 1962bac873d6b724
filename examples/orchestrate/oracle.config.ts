import { defineConfig } from '@oraclekit/kernel'
import orchestrator from '@oraclekit/orchestrator'

// A five-task plan for `oracle orchestrate …` (orchestrator.yml). Every command is a plain
// `node -e` one-liner: no shell, no install; the tasks write their files under out/.
export default defineConfig({
  plugins: [
    orchestrator({
      file: 'orchestrator.yml',
      parallel: 2,
    }),
  ],
})
