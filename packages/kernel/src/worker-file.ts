import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Built, this code sits in dist/ beside dist/worker/intent-worker.js. Run from src/ (unit tests),
// the worker must still be the built file: Node 20 cannot start a .ts worker.
const besideMe = new URL('./worker/intent-worker.js', import.meta.url)

/** Absolute path of the intent worker module given to tinypool. */
export const workerFile: string = existsSync(fileURLToPath(besideMe))
  ? fileURLToPath(besideMe)
  : fileURLToPath(new URL('../dist/worker/intent-worker.js', import.meta.url))
