#!/usr/bin/env node
// The `oracle` executable: wires the process (argv, streams, signals, exit) to main().
import { main } from './main.js'

const controller = new AbortController()
let interrupts = 0
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts++
  if (interrupts > 1) {
    process.stderr.write(`\n${signal} again: exiting now; the run's journal keeps every finished job.\n`)
    process.exit(130)
  }
  process.stderr.write(`\n${signal}: stopping (state is being saved; press Ctrl-C again to exit at once)\n`)
  controller.abort(`interrupted by ${signal}`)
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal })
process.exit(code)
