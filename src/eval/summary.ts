import * as z from 'zod';
import { ValidationLayerSchema } from '../shapes/finding.js';
import { TokensSchema } from './trial-record.js';

/** Figures over a set of trials; the same shape per spec, per tag and overall. */
export const EvalMetricsSchema = z.object({
  trials: z.number().int().min(0),
  valid: z.number().int().min(0),
  /** Valid on the first attempt / trials. */
  passAt1: z.number(),
  /** Valid within the repair budget (any attempt) / trials. */
  passWithinBudget: z.number(),
  /** Specs whose k trials are all valid / specs. */
  passHatK: z.number(),
  specs: z.number().int().min(0),
  meanAttempts: z.number(),
  /** Trials whose first attempt failed, by the gate layer that failed it. */
  firstFailureByLayer: z.partialRecord(ValidationLayerSchema, z.number()),
  /** The layer that most often failed first; null when no first attempt failed. */
  firstFailingLayer: ValidationLayerSchema.nullable(),
  /** Most common finding codes of first failures, most frequent first. */
  topCodes: z.array(z.object({ layer: ValidationLayerSchema, code: z.string(), count: z.number() })),
  tokens: TokensSchema,
  cost: z.object({
    total: z.number(),
    perTrial: z.number().nullable(),
    /** Everything spent (failed trials included) / valid components; null without a valid one or with unpriced trials. */
    perValid: z.number().nullable(),
    /** Trials with an unknown cost (unpriced model): left out of the sums. */
    unpricedTrials: z.number().int(),
  }),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), mean: z.number().nullable() }),
  cacheHits: z.number().int(),
});
export type EvalMetrics = z.infer<typeof EvalMetricsSchema>;

export const VerdictSchema = z.enum(['pass', 'flaky', 'fail', 'incomplete']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const TrialErrorSchema = z.object({ spec: z.string(), trial: z.number(), kind: z.string(), message: z.string(), cost: z.number().nullable() });

/** `summary.json` of one run: what `dspec eval compare`, `dspec report` and `dspec://eval/latest` read. */
export const EvalSummarySchema = z.object({
  version: z.literal(1),
  dspecVersion: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  provider: z.string(),
  model: z.string(),
  /** Prompt versions seen in this run's ledger lines (one, unless the prompts changed mid-run). */
  promptVersions: z.array(z.string()),
  suite: z.object({ path: z.string(), hash: z.string(), specs: z.number().int() }),
  trialsPerSpec: z.number().int().min(1),
  maxAttempts: z.number().int().min(1),
  useCache: z.boolean(),
  maxCostUsd: z.number().nullable(),
  /** Every spec has all its trials judged. */
  complete: z.boolean(),
  /** Why scheduling stopped early, if it did. */
  stoppedBy: z.enum(['max-cost', 'budget', 'interrupted']).nullable(),
  /** Trials of the last invocation that ended without a verdict (run again on resume). */
  errors: z.array(TrialErrorSchema),
  /** Harness time per trial beyond the generation itself (scheduling, observing, persisting), mean ms. */
  harnessOverheadMs: z.number().nullable(),
  overall: EvalMetricsSchema,
  byTag: z.record(z.string(), EvalMetricsSchema),
  specs: z.array(z.object({ name: z.string(), tags: z.array(z.string()), verdict: VerdictSchema, metrics: EvalMetricsSchema })),
});
export type EvalSummary = z.infer<typeof EvalSummarySchema>;
