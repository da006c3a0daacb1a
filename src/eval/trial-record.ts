import * as z from 'zod';
import { ValidationLayerSchema } from '../shapes/finding.js';

/** One answered attempt of a trial: what the gate said (or that the answer never reached it). */
export const AttemptRecordSchema = z.object({
  attempt: z.number().int().min(1),
  outcome: z.enum(['success', 'invalid', 'truncated']),
  /** The gate layer that failed (the answer's own schema counts as `schema`); null when it passed. */
  layer: ValidationLayerSchema.nullable(),
  /** Error finding codes of that layer, sorted, each once. */
  codes: z.array(z.string()),
  /** Transport retries this attempt needed before it was answered. */
  retries: z.number().int().min(0),
});
export type AttemptRecord = z.infer<typeof AttemptRecordSchema>;

export const TokensSchema = z.object({
  input: z.number().int().min(0),
  output: z.number().int().min(0),
  cacheWrite: z.number().int().min(0),
  cacheRead: z.number().int().min(0),
});
export type Tokens = z.infer<typeof TokensSchema>;

/**
 * One finished trial, as persisted in `<out>/trials/<Name>.<n>.json`. Only judged trials
 * (valid or invalid) are persisted: a trial cut short by a transport failure, a budget or an
 * interruption is run again when the run resumes.
 */
export const TrialRecordSchema = z.object({
  version: z.literal(1),
  spec: z.string(),
  trial: z.number().int().min(1),
  valid: z.boolean(),
  /** Attempts made (1 = the first answer passed or, with maxAttempts 1, failed). */
  attempts: z.number().int().min(0),
  attemptLog: z.array(AttemptRecordSchema),
  provider: z.string(),
  model: z.string(),
  promptVersion: z.string().nullable(),
  tokens: TokensSchema,
  /** USD; null when the model is unpriced. */
  cost: z.number().nullable(),
  /** Wall time of the generation (calls, retries, gate, repairs). */
  latencyMs: z.number().min(0),
  cacheHit: z.boolean(),
  finishedAt: z.string(),
});
export type TrialRecord = z.infer<typeof TrialRecordSchema>;

/** A trial that ended without a verdict in this invocation (not persisted). */
export interface TrialError {
  spec: string;
  trial: number;
  /** `budget` (max-cost or a configured budget), `provider`, `unavailable`, `aborted`, `internal`. */
  kind: string;
  message: string;
  cost: number | null;
}

export function zeroTokens(): Tokens {
  return { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
}
