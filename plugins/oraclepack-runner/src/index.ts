// @oraclekit/oraclepack-runner: `oracle pack validate|list|run|status`, and for pack authors
// `oracle pack prompt|render|extract`. Commands load their modules lazily, so `oracle --help` pays
// only for this file (and the small modules that hold the pack schema's fixed values).

import { Type, definePlugin } from '@oraclekit/kernel'
import pkg from '../package.json' with { type: 'json' }
import { PackManifestSchema } from './author/manifest.js'
import { OraclepackOptions } from './options.js'
import { RunFileSchema, StepsFileSchema } from './run/manifest.js'

export type { OraclepackOptions } from './options.js'
export type { ManifestQuestion, PackManifest } from './author/manifest.js'
export type { Finding, OracleInvocation, Pack, PackStep, StepMeta, ValidationReport } from './pack/types.js'
export type { RetryRecord, RunFile, StepRecord, StepsFile } from './run/manifest.js'

const packArg = { name: 'pack', description: 'The pack: a Markdown file with one ```bash block of `oracle` steps.', required: true } as const

/** The oraclepack runner plugin. Options: see OraclepackOptions (all optional). */
export default function oraclepackRunner(options: Partial<OraclepackOptions> = {}) {
  return definePlugin<OraclepackOptions>({
    name: 'oracle:oraclepack-runner',
    version: pkg.version,
    optionsSchema: OraclepackOptions,
    options,
    // The run manifests are a contract: the actionizer and the dashboard read them.
    // …and the pack manifest is the input format of `pack render`.
    schemas: { 'oraclepack.run': RunFileSchema, 'oraclepack.steps': StepsFileSchema, 'oraclepack.manifest': PackManifestSchema },
    intents: [
      {
        name: 'oraclepack.step',
        description: 'Answer one pack step with the oracle CLI (or the replay engine).',
        module: new URL('./intents/step.js', import.meta.url),
        spawns: true,
        input: Type.Object({ step: Type.String(), kind: Type.String(), file: Type.String(), output: Type.String() }),
      },
    ],
    commands: [
      {
        name: 'pack validate',
        summary: 'Check a pack the way oraclepack does, or strictly (--strict)',
        description:
          'Parses the pack (first ```bash block, `# NN)` step headers, the prelude, each step\'s `oracle` command as an argv) and reports every finding with its code, step, line and severity. ' +
          '--strict adds the pack schema: one bash block, 20 steps 01..20, one oracle invocation each, the required header fields, the fixed categories, ROI order, NN-*.md output paths, the answer format, bash hazards and the [oraclepack-meta] blocks agreeing with their headers. ' +
          'Attachments are linted too (globs, directories, more than the reference file and two neighbours, missing or oversized files, a file shared by many steps): warnings by default, errors with --strict. Exit 0 valid, 3 invalid.',
        args: [packArg],
        options: { strict: { type: 'boolean', description: 'Also check the strict pack schema (20 steps, fields, order, output paths, answer format, hazards).' } },
        examples: ['oracle pack validate docs/oracle-pack-2026-01-02.md', 'oracle pack validate docs/oracle-pack-2026-01-02.md --strict --json'],
        load: () => import('./commands/validate.js'),
      },
      {
        name: 'pack list',
        summary: 'List the steps of a pack as oraclepack does (`NN: <header>`); --json adds ROI, fields and output paths',
        args: [packArg],
        examples: ['oracle pack list docs/oracle-pack-2026-01-02.md'],
        load: () => import('./commands/list.js'),
      },
      {
        name: 'pack run',
        summary: 'Run a pack into .oraclepack/runs/<pack_id>/, resuming what is done',
        description:
          'Validates the pack, then answers each step with the oracle CLI (argv, no shell; --wait always) in the worker pool, at most --max-parallel at once, retrying rate limits, overloads, timeouts and lost connections with exponential backoff and jitter. ' +
          'Writes run.json, steps.json and outputs/NN-<slug>.md. A step whose answer is on disk and matches its recorded hash is not run again; an answer in the cache (.oraclepack/cache) is reused without calling the engine.',
        args: [packArg],
        options: {
          'max-parallel': { type: 'number', placeholder: '<n>', description: 'Steps run at once (default: the plugin option maxParallel, 4).' },
          rerun: { type: 'string', placeholder: '<all|failed|01,03>', description: 'Run again: every step, the failed ones, or the listed ones (default: resume, only what is not done).' },
          'no-cache': { type: 'boolean', description: 'Neither read nor fill the answer cache.' },
          'min-completion': { type: 'number', placeholder: '<0..1>', description: 'Share of steps that must end ok for exit 0 (default 1: all).' },
          'non-interactive': { type: 'boolean', description: 'No live progress display (implied by --ci, --json and a non-TTY stderr).' },
          'json-log': { type: 'boolean', description: 'Stream one JSON event per line on stdout (run_started, step_*, run_finished) instead of the summary.' },
          'roi-threshold': { type: 'number', placeholder: '<roi>', description: 'Run only steps with ROI >= this (or < with --roi-mode under); 0 runs all.' },
          'roi-mode': { type: 'string', choices: ['over', 'under'], default: 'over', description: 'How --roi-threshold filters: over keeps ROI >= threshold, under keeps ROI < threshold.' },
          'oracle-bin': { type: 'string', placeholder: '<path>', description: 'The oracle CLI to run (its JS entry or an executable), relative to the current directory; overrides engine.command.' },
          'oracle-node': { type: 'string', placeholder: '<path>', description: 'Node (>= 24) binary that runs a JS oracle CLI: a path, or a name on PATH; overrides engine.node.' },
        },
        examples: [
          'oracle pack run docs/oracle-pack-2026-01-02.md',
          'oracle pack run docs/oracle-pack-2026-01-02.md --max-parallel 4 --rerun failed',
          'oracle pack run docs/oracle-pack-2026-01-02.md --ci --non-interactive --json-log --min-completion 0.9',
        ],
        load: () => import('./commands/run.js'),
      },
      {
        name: 'pack prompt',
        summary: 'Print the canonical Stage 1 generator prompt (plain, a Codex skill or a Gemini CLI command)',
        description:
          'One prompt, kept in the plugin (prompts/stage1-pack-generator.md), tells a generator exactly what a valid pack is; its rules come from the constants the strict validator checks. ' +
          '--format codex-skill prints a SKILL.md (YAML front matter with name and description), --format gemini-command a custom-command .toml (description, and the prompt as a multi-line string ending in {{args}}).',
        options: {
          format: { type: 'string', choices: ['plain', 'codex-skill', 'gemini-command'], default: 'plain', description: 'The shape: plain Markdown, a Codex skill (SKILL.md) or a Gemini CLI command (.toml).' },
          out: { type: 'string', placeholder: '<file>', description: 'Write it to this file (atomically) instead of stdout.' },
        },
        examples: ['oracle pack prompt', 'oracle pack prompt --format codex-skill --out .codex/skills/oraclepack-stage1-pack/SKILL.md', 'oracle pack prompt --format gemini-command --out .gemini/commands/oraclepack.toml'],
        load: () => import('./commands/prompt.js'),
      },
      {
        name: 'pack render',
        summary: 'Write a pack from a manifest (YAML or JSON), byte for byte the same every time, valid under --strict',
        description:
          'Checks the manifest (schema: oraclepack.manifest), renders the pack (questions sorted by ROI, ties by lower effort, then as listed; a metadata block and the answer format in every prompt) and validates it with --strict, attachments included, before anything is written. ' +
          'Exit 0 done, 3 the manifest (or the pack it renders) has problems, each with its line; with --check, 1 when the --out file differs from what the manifest renders.',
        args: [{ name: 'manifest', description: 'The pack manifest: a .yaml, .yml or .json file.', required: true }],
        options: {
          out: { type: 'string', placeholder: '<file>', description: 'Write the pack to this file (atomically) instead of stdout.' },
          check: { type: 'boolean', description: 'Write nothing; exit 1 when the --out file is not what the manifest renders (for CI).' },
        },
        examples: ['oracle pack render pack.manifest.yaml --out docs/oracle-pack.md', 'oracle pack render pack.manifest.yaml --out docs/oracle-pack.md --check'],
        load: () => import('./commands/render.js'),
      },
      {
        name: 'pack extract',
        summary: 'Write the manifest of an existing pack, to move it onto `pack render`',
        description:
          'Reads a pack that is valid in the default mode and writes its manifest: per step the id, header fields, attachments, extra flags and the prompt oracle would receive (without its metadata block). ' +
          'YAML, or JSON when --out ends in .json. Notes say what had to be made up or was left out; `pack render` then points at what the manifest still needs.',
        args: [packArg],
        options: { out: { type: 'string', placeholder: '<file>', description: 'Write the manifest to this file (atomically) instead of stdout; .json for JSON, else YAML.' } },
        examples: ['oracle pack extract docs/oracle-pack-2026-01-02.md --out pack.manifest.yaml'],
        load: () => import('./commands/extract.js'),
      },
      {
        name: 'pack status',

        summary: 'Show the runs in .oraclepack/runs, or the steps of one',
        args: [{ name: 'pack_id', description: 'A run (`YYYY-MM-DD__<gitshort>__<packhash8>`, or a unique prefix); default: list all runs.' }],
        examples: ['oracle pack status', 'oracle pack status 2026-01-02__1a2b3c4__bac8c026'],
        load: () => import('./commands/status.js'),
      },
    ],
  })
}
