// A plugin for process-level tests: `oracle work` runs N jobs of `work.step`, each writing a
// line to executions.log when it starts and returning a value derived only from its input.
export const WORK_PLUGIN = `
import { Type, definePlugin, runExitCode } from '@oraclekit/kernel'

export default function work() {
  return definePlugin({
    name: 'work',
    intents: [{ name: 'work.step', module: new URL('./step.mjs', import.meta.url), input: Type.Object({ n: Type.Integer(), ms: Type.Integer(), spawn: Type.Boolean() }) }],
    commands: [{
      name: 'work',
      summary: 'Run numbered jobs',
      options: {
        jobs: { type: 'number', default: 8, description: 'How many jobs' },
        ms: { type: 'number', default: 200, description: 'How long each job works' },
        spawn: { type: 'boolean', description: 'Each job waits on a child process' },
        'run-id': { type: 'string', description: 'Run id' },
        resume: { type: 'boolean', description: 'Resume the run' },
      },
      async run(ctx) {
        const jobs = Array.from({ length: ctx.options.jobs }, (_, n) => ({ id: 'job-' + String(n).padStart(2, '0'), intent: 'work.step', input: { n, ms: ctx.options.ms, spawn: ctx.options.spawn ?? false } }))
        const result = await ctx.kernel.runIntents({ jobs, runId: ctx.options.runId, resume: ctx.options.resume ?? false, signal: ctx.signal })
        return { exitCode: runExitCode(result), data: result, text: result.status + '\\n' }
      },
    }],
  })
}
`

export const STEP_INTENT = `
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { JobFailure, defineIntent } from '@oraclekit/kernel/intent'

export default defineIntent(async (input, ctx) => {
  appendFileSync(join(ctx.rootDir, 'executions.log'), ctx.job.id + '\\n')
  if (input.spawn) {
    // The shell records its pid, then becomes \`sleep\`: the test checks that pid is gone after a stop.
    await ctx.exec('sh', ['-c', 'echo $$ > pid-' + ctx.job.id + '; exec sleep 30'])
  } else {
    await sleep(input.ms)
  }
  if (input.n % 5 === 3) throw new JobFailure('test_failed', 'job ' + input.n + ' fails by design')
  return { n: input.n, square: input.n * input.n }
})
`

export const WORK_FILES: Record<string, string> = {
  'plugins/work.mjs': WORK_PLUGIN,
  'plugins/step.mjs': STEP_INTENT,
  'oracle.config.mjs': "import work from './plugins/work.mjs'\nexport default { plugins: [work()], run: { maxParallel: 2 } }\n",
}
