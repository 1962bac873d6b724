import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ExitCode, OracleError, Type, definePlugin, resolveInside, runExitCode, type Static } from '@oraclekit/kernel'
import type { Hit } from './scan-file.ts'

const Options = Type.Object(
  {
    markers: Type.Array(Type.String({ minLength: 1 }), { default: ['TODO', 'FIXME'], description: 'Comment markers to look for.' }),
    report: Type.String({ default: '.oracle/todos.json', description: 'Where the report is written.' }),
  },
  { additionalProperties: false },
)
type Options = Static<typeof Options>

async function listFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = dir === '.' ? entry.name : `${dir}/${entry.name}`
      return entry.isDirectory() ? listFiles(root, path) : [path]
    }),
  )
  return nested.flat()
}

export default function todoScan(options: Partial<Options> = {}) {
  return definePlugin<Options>({
    name: 'todo-scan',
    version: '1.0.0',
    optionsSchema: Options,
    options,
    intents: [
      {
        name: 'todo.scan-file',
        description: 'Find marker comments in one file.',
        module: new URL('./scan-file.ts', import.meta.url),
        input: Type.Object({ file: Type.String(), markers: Type.Array(Type.String()) }),
      },
    ],
    commands: [
      {
        name: 'todos',
        summary: 'List TODO/FIXME comments, one worker-thread job per file',
        args: [{ name: 'dir', description: 'Directory to scan, inside the workspace (default: .)' }],
        options: {
          'max-files': { type: 'number', default: 1000, description: 'Refuse to scan more files than this.' },
        },
        async run(ctx) {
          const { markers, report } = ctx.pluginOptions as Options
          const root = ctx.kernel.rootDir
          const dir = String(ctx.args.dir ?? '.')
          resolveInside(root, dir) // refuses ../ and absolute paths with a coded error
          const files = (await listFiles(root, dir)).sort()
          if (files.length > Number(ctx.options.maxFiles)) {
            throw new OracleError('ORACLE_TODO_TOO_MANY_FILES', `${files.length} files under ${dir}`, {
              exitCode: ExitCode.invalidInput,
              hint: 'Scan a smaller directory or raise --max-files.',
            })
          }
          const run = await ctx.kernel.runIntents({
            jobs: files.map((file) => ({ id: file, intent: 'todo.scan-file', input: { file, markers } })),
            signal: ctx.signal,
          })
          const found = run.jobs.flatMap((job) => ((job.output ?? []) as Hit[]).map((hit) => ({ file: job.id, ...hit })))
          await ctx.kernel.store.writeJson(report, { markers, files: files.length, todos: found })
          const lines = found.map((t) => `${t.file}:${t.line}  ${t.text}`)
          return {
            exitCode: runExitCode(run),
            data: { todos: found, report },
            text: `${lines.join('\n')}\n${found.length} marker(s) in ${files.length} file(s); report: ${report}\n`,
          }
        },
      },
    ],
  })
}
