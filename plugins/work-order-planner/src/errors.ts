import { ExitCode, OracleError, suggest } from '@oraclekit/kernel'

/** A Dash or PM artifact the planner cannot read: broken JSON, malformed front matter, wrong shape. */
export function artifactInvalid(file: string, detail: string, options: { line?: number; hint?: string; problems?: OracleError['problems'] } = {}): OracleError {
  return new OracleError('ORACLE_PLAN_ARTIFACT_INVALID', `${file}: ${detail}`, {
    file,
    ...(options.line === undefined ? {} : { line: options.line }),
    ...(options.problems ? { problems: options.problems } : {}),
    exitCode: ExitCode.invalidInput,
    hint: options.hint ?? 'Fix the file (or delete it, when it is generated) and plan again. Nothing was written.',
  })
}

/** An artifact that names a product the config does not declare. */
export function unknownProduct(file: string, productId: string, known: readonly string[], line?: number): OracleError {
  const near = suggest(productId, known)
  return new OracleError('ORACLE_PLAN_UNKNOWN_PRODUCT', `${file}: product "${productId}" is not declared in the config`, {
    file,
    ...(line === undefined ? {} : { line }),
    exitCode: ExitCode.invalidInput,
    hint: near ? `Did you mean "${near}"? Products are the work-order-planner plugin's \`products\` option.` : `Declare it in the work-order-planner plugin's \`products\` option, or fix the id. Declared: ${known.join(', ') || 'none'}.`,
  })
}
