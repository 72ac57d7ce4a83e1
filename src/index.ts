/** The library entry: the evaluator and its types, the policy parser, the problem shape. */
export { evaluate } from './evaluate/evaluate.js';
export type {
  Decision,
  EvaluationRequest,
  EvaluationResult,
  PolicyInput,
  RawContextValue,
  Reason,
} from './evaluate/types.js';
export { parsePolicy, isCompiledPolicy } from './policy/parse.js';
export type { ParseOptions, ParseResult } from './policy/parse.js';
export type { CompiledPolicy, PolicyType } from './policy/types.js';
export type { Problem, Severity } from './problems.js';
export type {
  Report,
  ReportLink,
  ReportPipeline,
  LinkDecision,
  PipelineVerdict,
} from './report/types.js';
