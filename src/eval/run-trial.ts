import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import type { LedgerRecord } from '../shapes/ledger-record.js';
import { BudgetExceededError, DspecError, ErrorCode, ValidationFailedError } from '../errors.js';
import { generateTier2Component, type GenerationDeps, type GenerationTheme } from '../generation/pipeline/generate-component.js';
import { FindingSchema, VALIDATION_LAYERS, type Finding, type ValidationLayer } from '../shapes/finding.js';
import type { ValidateBundleOptions, ValidationResult } from '../validation/validate-bundle.js';
import type { ValidationGate } from '../validation/validation-gate.js';
import type { EvalCostGuard } from './cost-guard.js';
import type { AttemptRecord, TrialError, TrialRecord } from './trial-record.js';
import { zeroTokens } from './trial-record.js';

/** Code given to an answer the pipeline rejected before the gate when it does not say why (only the last attempt's findings are exposed). */
export const UNREPORTED_ANSWER_CODE = 'answer-rejected';

export interface TrialInput {
  spec: { name: string; description: string; props?: Record<string, unknown> | undefined };
  theme: GenerationTheme;
  trial: number;
  /** Everything but the cost tracker and the gate, which each trial wraps to observe. */
  deps: Omit<GenerationDeps, 'costs' | 'validate'>;
  /** The runtime's gate, whose verdicts the trial keeps. */
  gate: ValidationGate;
  guard: EvalCostGuard;
  useCache: boolean;
  signal?: AbortSignal | undefined;
  now?: () => Date;
}

/** The layer a set of error findings failed at (the earliest in gate order), and its codes. */
export function failureOf(findings: readonly Finding[]): { layer: ValidationLayer; codes: string[] } | undefined {
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length === 0) return undefined;
  const layer = VALIDATION_LAYERS.find((candidate) => errors.some((finding) => finding.layer === candidate))!;
  return { layer, codes: [...new Set(errors.filter((finding) => finding.layer === layer).map((finding) => finding.code))].sort() };
}

/**
 * One trial through the real Tier 2 pipeline (`generateTier2Component`: same prompts, gate and
 * repair loop). The pipeline reports attempts, usage and cost but not what failed each
 * attempt, so the trial watches two of its seams: the gate (the runtime's real gate, wrapped
 * to keep each verdict) and the cost tracker (each ledger line says which attempt was
 * answered, its outcome and its retries). An attempt rejected before the gate is a `schema`
 * failure; its codes come from the failed-output file when the whole trial fails.
 */
export async function runTrial(input: TrialInput): Promise<TrialRecord | TrialError> {
  const attemptLog: AttemptRecord[] = [];
  const tokens = zeroTokens();
  let cost: number | null = 0;
  let promptVersion: string | null = null;
  let cacheHit = false;
  let lastVerdict: ValidationResult | undefined;

  const validate = async (bundle: unknown, options: ValidateBundleOptions): Promise<ValidationResult> => {
    lastVerdict = await input.gate.validate(bundle, options);
    return lastVerdict;
  };
  const onRecord = (record: LedgerRecord) => {
    promptVersion = record.promptVersion;
    if (record.outcome === 'cache_hit') {
      cacheHit = true;
      return;
    }
    tokens.input += record.inputTokens;
    tokens.output += record.outputTokens;
    tokens.cacheWrite += record.cacheWriteTokens;
    tokens.cacheRead += record.cacheReadTokens;
    cost = cost === null || record.totalCost === null ? null : cost + record.totalCost;
    if (record.outcome === 'error') return;
    const verdict = lastVerdict;
    lastVerdict = undefined;
    let failure: { layer: ValidationLayer; codes: string[] } | undefined;
    if (record.outcome === 'truncated') failure = { layer: 'schema', codes: ['answer-truncated'] };
    else if (record.outcome === 'invalid') failure = verdict ? failureOf(verdict.errors) : { layer: 'schema', codes: [UNREPORTED_ANSWER_CODE] };
    attemptLog.push({ attempt: record.attempt, outcome: record.outcome, layer: failure?.layer ?? null, codes: failure?.codes ?? [], retries: record.retry });
  };

  const provider = input.deps.providers[0]!;
  const started = performance.now();
  const finish = (valid: boolean, attempts: number): TrialRecord => ({
    version: 1,
    spec: input.spec.name,
    trial: input.trial,
    valid,
    attempts,
    attemptLog,
    provider: provider.id,
    model: provider.model,
    promptVersion,
    tokens,
    cost: cost === null ? null : Math.round(cost * 1e6) / 1e6,
    latencyMs: Math.round(performance.now() - started),
    cacheHit,
    finishedAt: (input.now?.() ?? new Date()).toISOString(),
  });

  try {
    const result = await generateTier2Component(
      {
        name: input.spec.name,
        description: input.spec.description,
        props: input.spec.props,
        theme: input.theme,
        operation: 'eval',
        signal: input.signal,
        cacheStrategy: input.useCache ? 'if-available' : 'never',
      },
      { ...input.deps, costs: input.guard.trackerFor(onRecord), validate },
    );
    return finish(true, result.attempts);
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      await fillFromFailedOutput(attemptLog, error.context?.failedOutput);
      // The last attempt's findings are in the error itself (the file may not have been written).
      const last = attemptLog[attemptLog.length - 1];
      const findings = error.context?.findings;
      if (last && last.codes[0] === UNREPORTED_ANSWER_CODE && Array.isArray(findings)) {
        const failure = failureOf(findings as Finding[]);
        if (failure) Object.assign(last, failure);
      }
      return finish(false, attemptLog.length);
    }
    return { spec: input.spec.name, trial: input.trial, kind: kindOf(error), message: error instanceof Error ? error.message : String(error), cost };
  }
}

/** What fillFromFailedOutput reads of a file keepFailedAnswers wrote. */
const FailedOutputSchema = z.object({ attempts: z.array(z.object({ attempt: z.number(), findings: z.array(FindingSchema) })).optional() });

/** The failed-output file keeps every attempt's findings: it names the schema failures the tap could not see. */
async function fillFromFailedOutput(log: AttemptRecord[], file: unknown): Promise<void> {
  if (typeof file !== 'string') return;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return;
  }
  // Diagnosis only: a file not of that shape leaves the attempt codes as they are.
  const saved = FailedOutputSchema.safeParse(json);
  if (!saved.success) return;
  for (const entry of saved.data.attempts ?? []) {
    const record = log.find((candidate) => candidate.attempt === entry.attempt);
    const failure = failureOf(entry.findings);
    if (record && failure && record.codes[0] === UNREPORTED_ANSWER_CODE) Object.assign(record, failure);
  }
}

function kindOf(error: unknown): string {
  if (error instanceof BudgetExceededError) return 'budget';
  if (error instanceof DspecError) {
    if (error.code === ErrorCode.ProviderUnavailable) return 'unavailable';
    if (error.code === ErrorCode.Provider) return error.context?.category === 'aborted' ? 'aborted' : 'provider';
    return error.code.toLowerCase();
  }
  return 'internal';
}
