// The pack manifest: the questions of a pack as data (YAML or JSON), from which `pack render`
// writes the Markdown pack byte for byte and `pack extract` reads an existing pack back. The
// schema is published as schemas/oraclepack.manifest.schema.json (editors validate against it).

import { type Static, Type } from '@oraclekit/kernel'
import { CATEGORIES, HORIZONS, MAX_ATTACHMENTS, QUESTION_ID, QUESTION_ID_MAX, STEPS_PER_PACK } from '../pack/rules.js'

export const MANIFEST_VERSION = 1

/** A relative path: no NUL or control characters, no quotes, `$`, backticks or backslashes (traversal is checked in code, with its own message). */
const PathText = Type.String({ minLength: 1, pattern: '^[^\\u0000-\\u001f"$`\\\\]+$' })
/** A header value: one word without `=` (the header splits on spaces and `key=`). */
const Word = Type.String({ minLength: 1, pattern: '^[^\\s=]+$' })
const Flag = Type.String({ minLength: 1, pattern: '^[^\\n\\r]+$' })

export const ManifestQuestionSchema = Type.Object(
  {
    id: Type.String({ pattern: QUESTION_ID.source, maxLength: QUESTION_ID_MAX, description: 'QuestionId: lower-case words joined by `-`, unique. Names the answer file (`$out_dir/NN-<id>.md`) and stays with the question when steps are renumbered.' }),
    category: Type.Enum([...CATEGORIES], { description: 'One of the ten fixed categories.' }),
    reference: Type.String({ minLength: 1, pattern: '^\\S+$', description: '`path[:symbol]` the question is about, or `Unknown`.' }),
    roi: Type.Number({ minimum: 0, description: 'Return on investment; steps are sorted by it, highest first.' }),
    impact: Type.Union([Word, Type.Number()], { description: 'As the header writes it: a number (0.9) or a word (High).' }),
    confidence: Type.Union([Word, Type.Number()]),
    effort: Type.Union([Word, Type.Number()], { description: 'Breaks ROI ties: the lower effort first (numbers, or Low/Medium/High).' }),
    horizon: Type.Enum([...HORIZONS]),
    question: Type.String({ minLength: 1, description: 'The prompt text. The metadata block is put before it; the answer format is appended unless the text has all four parts.' }),
    attachments: Type.Array(PathText, {
      maxItems: MAX_ATTACHMENTS,
      uniqueItems: true,
      default: [],
      description: 'Files attached with -f, relative to the workspace root: the reference file first, then at most two neighbours. No globs, directories or commas.',
    }),
    expected_artifacts: Type.Array(Type.String({ minLength: 1, pattern: '^[^,\\n\\r]+$' }), { uniqueItems: true, default: [], description: 'What answering the question should produce (ExpectedArtifacts of the metadata block).' }),
    flags: Type.Array(Flag, { default: [], description: 'Extra oracle flags for this question, after the manifest\'s oracle_flags.' }),
  },
  { additionalProperties: false },
)

export const PackManifestSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'For editors; ignored.' })),
    schema_version: Type.Literal(MANIFEST_VERSION),
    title: Type.String({ minLength: 1, pattern: '^[^\\n\\r]+$', description: 'The pack\'s `# <title>` line.' }),
    intro: Type.String({ default: '', description: 'Markdown between the title and the bash block (no ```bash fence in it).' }),
    out_dir: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._/-]+$', description: 'Where oraclepack writes the answers, relative (the runner writes them into its run directory instead).' }),
    oracle_flags: Type.Array(Flag, { default: ['--files-report'], description: 'Flags right after `oracle` in every step. -p, -f and --write-output are written by the renderer.' }),
    questions: Type.Array(ManifestQuestionSchema, {
      minItems: STEPS_PER_PACK,
      maxItems: STEPS_PER_PACK,
      description: `Exactly ${STEPS_PER_PACK}, in any order: the renderer sorts them by ROI (highest first), ties by lower effort, then as listed.`,
    }),
  },
  {
    additionalProperties: false,
    title: 'oraclepack pack manifest',
    description: 'The questions of an oraclepack Stage 1 pack as data: `oracle pack render` writes the pack from it, `oracle pack extract` writes it from a pack.',
  },
)

export type PackManifest = Static<typeof PackManifestSchema>
export type ManifestQuestion = Static<typeof ManifestQuestionSchema>
