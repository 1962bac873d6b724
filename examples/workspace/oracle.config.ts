import { defineConfig } from '@oraclekit/kernel'
import todoScan from './plugins/todo-scan/index.ts'

export default defineConfig({
  plugins: [todoScan({ markers: ['TODO', 'FIXME', 'HACK'] })],
  run: { maxParallel: 2 },
})
