import * as z from 'zod';

/**
 * One line of `.dspec/costs.jsonl`: one per LLM HTTP attempt (failed and invalid ones included)
 * and one per cache hit (cost 0, with the cost it saved). Costs are USD; `null` means the model
 * is not in the price table (unpriced), never a silent 0.
 */
export const LedgerRecordSchema = z.object({
  id: z.string().min(1).describe('Unique id of this line (dedupe across processes).'),
  timestamp: z.string().describe('ISO 8601 time of the attempt.'),
  operation: z.string().describe('What asked for the call: generate_component, export_screen, …'),
  component: z.string(),
  provider: z.string(),
  model: z.string(),
  requestId: z.string().nullable().describe("The provider's request id, when it sent one."),
  attempt: z.number().int().min(1).describe('Repair attempt, 1-based.'),
  retry: z.number().int().min(0).describe('Transport retry within the attempt, 0 for the first try.'),
  outcome: z.enum(['success', 'invalid', 'truncated', 'error', 'cache_hit']),
  errorCategory: z.string().optional().describe('rate_limit, overloaded, server, timeout, connection, auth, refused, …'),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheWriteTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0),
  inputCost: z.number().nullable(),
  outputCost: z.number().nullable(),
  totalCost: z.number().nullable(),
  cacheHit: z.boolean(),
  costSaved: z.number().min(0),
  promptVersion: z.string(),
  priceTableVersion: z.string(),
  cacheKey: z.string().optional(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

/** What a caller hands the tracker: the tracker fills id, costs and price-table version. */
export type LedgerRecordInput = Omit<LedgerRecord, 'id' | 'inputCost' | 'outputCost' | 'totalCost' | 'priceTableVersion' | 'timestamp'> & {
  timestamp?: string;
};
