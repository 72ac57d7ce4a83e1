/**
 * CodePipeline variables in action and rule configuration: `#{variables.X}` (pipeline-level
 * variables, whose default a run can override), `#{codepipeline.PipelineExecutionId}`,
 * `#{SourceVariables.CommitId}`, `#{<namespace>.<name>}`. Their values are only known at run
 * time (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), so
 * the loaders put a placeholder (src/model/placeholders.ts) in place of a configuration value
 * that holds one: links built on it are Unknown and name the value's file#pointer, lookups of it
 * are missing (never "does not exist"), and links that do not use it stay as they are.
 */

export const VARIABLES_DOC =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html';

/** Whether a configuration value holds a CodePipeline variable (`#{` anywhere). */
export function holdsVariable(value: string): boolean {
  return value.includes('#{');
}

/** Why a value holding variables is not settled, naming them (for `file#pointer (reason)`). */
export function variableReason(value: string): string {
  const found = [...new Set(value.match(/#\{[^}]*\}?/g) ?? [])].map((v) =>
    v.length > 120 ? `${v.slice(0, 117)}...` : v,
  );
  const what = found.length > 1 ? 'the CodePipeline variables' : 'the CodePipeline variable';
  return `holds ${what} \`${found.join('`, `')}\`, whose value is only known at run time`;
}
