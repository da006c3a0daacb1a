import type { Bundle } from '../../shapes/bundle.js';
import { BUNDLE_FILE, finding, type Finding } from '../../shapes/finding.js';
import { GENERATED_COMPONENT_TOOL, GeneratedComponentSchema, toBundle } from './model-answer.js';
import type { GenerationProvider, ProviderAnswer } from '../providers/provider.js';
import type { RunContext } from './run-context.js';

export interface AnswerVerdict {
  /** Present only when the answer parsed and passed the gate. */
  bundle?: Bundle;
  findings: Finding[];
  warnings: Finding[];
}

/** Parses the answer against the output schema, then runs the gate; a bundle only when both pass. */
export async function checkAnswer(run: RunContext, answer: ProviderAnswer, attempt: number, provider: GenerationProvider): Promise<AnswerVerdict> {
  if (answer.output === undefined) {
    return {
      findings: [
        finding({
          layer: 'schema',
          severity: 'error',
          code: 'answer-not-json',
          message: 'The answer contained no JSON object with the bundle.',
          file: BUNDLE_FILE,
          line: 0,
          column: 0,
          suggestion: `Call the ${GENERATED_COMPONENT_TOOL.name} tool (or answer with one JSON object) with every field of the schema.`,
        }),
      ],
      warnings: [],
    };
  }
  const parsed = GeneratedComponentSchema.safeParse(answer.output);
  if (!parsed.success) {
    return {
      findings: parsed.error.issues.map((issue) =>
        finding({
          layer: 'schema',
          severity: 'error',
          code: `answer-${issue.code}`,
          message: `${issue.path.length ? issue.path.map(String).join('.') : '(answer)'}: ${issue.message}`,
          file: BUNDLE_FILE,
          line: 0,
          column: 0,
          suggestion: 'Follow the output schema exactly: every field present, strings for file contents, dependencies as [{ name, version }].',
        }),
      ),
      warnings: [],
    };
  }
  const bundle = toBundle(run.spec.name, parsed.data);
  run.progress({ stage: 'validating', attempt, provider: provider.id, model: provider.model, message: `validating attempt ${attempt}` });
  const result = await run.validate(bundle, run.themeVariables ? { themeVariables: run.themeVariables } : {});
  return result.valid ? { bundle, findings: [], warnings: result.warnings } : { findings: result.errors, warnings: result.warnings };
}

export function truncationFinding(maxTokens: number): Finding {
  return finding({
    layer: 'schema',
    severity: 'error',
    code: 'answer-truncated',
    message: `The answer was cut off at the output limit of ${maxTokens} tokens.`,
    file: BUNDLE_FILE,
    line: 0,
    column: 0,
  });
}
