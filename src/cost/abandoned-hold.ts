import { LedgerRecordSchema, type LedgerRecord } from '../shapes/ledger-record.js';

/**
 * A budget hold whose call never settled (its process was killed between reserve and settle, or
 * the call outlived the hold's expiry) may already have been billed by the vendor. The sweep
 * therefore charges it instead of forgetting it: one `error` ledger line of category
 * `abandoned`, at the worst case the hold was sized for (so recorded spend stays at or above
 * real spend), with no tokens, dated when the hold was taken, and with the hold's id as its own
 * so that no hold is ever charged twice. Both cost backends write exactly this record (the
 * PostgreSQL sweep builds the same JSON in SQL: pg-cost-tracker.ts).
 */
export const ABANDONED_CATEGORY = 'abandoned';
/** The prompt of a killed call is not known to the sweep. */
export const UNKNOWN_PROMPT_VERSION = 'unknown';

/** What the sweep knows of a hold: the ledger dimensions it was taken under, and its amount. */
export type AbandonedHold = Pick<LedgerRecord, 'id' | 'operation' | 'component' | 'provider' | 'model' | 'attempt' | 'retry' | 'priceTableVersion'> & {
  createdAt: string;
  amount: number;
  /** false for a hold on an unpriced model: its line is unpriced (totalCost null), not free. */
  priced: boolean;
};

export function abandonedRecordOf(hold: AbandonedHold): LedgerRecord {
  return LedgerRecordSchema.parse({
    id: hold.id,
    timestamp: hold.createdAt,
    operation: hold.operation,
    component: hold.component,
    provider: hold.provider,
    model: hold.model,
    requestId: null,
    attempt: hold.attempt,
    retry: hold.retry,
    outcome: 'error',
    errorCategory: ABANDONED_CATEGORY,
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    // How the worst case splits between input and output is not kept: only the total is charged.
    inputCost: null,
    outputCost: null,
    totalCost: hold.priced ? hold.amount : null,
    cacheHit: false,
    costSaved: 0,
    promptVersion: UNKNOWN_PROMPT_VERSION,
    priceTableVersion: hold.priceTableVersion,
  });
}
