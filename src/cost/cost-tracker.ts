import type { LedgerRecord, LedgerRecordInput } from '../shapes/ledger-record.js';

/** A hold on budget for the worst case of one LLM call, released or settled after it. */
export interface BudgetReservation {
  id: string;
  /** Worst-case USD held (estimated input + max output tokens at the model's price); 0 if unpriced. */
  amount: number;
  /** Budget alerts (threshold crossed) and unpriced-model notices raised while reserving. */
  warnings?: string[];
}

export interface CallEstimate {
  operation: string;
  component: string;
  provider: string;
  model: string;
  estimatedInputTokens: number;
  maxOutputTokens: number;
  /** Repair attempt (1-based) and transport retry (0-based) of the call, kept on the hold for its abandoned ledger line (default 1 and 0). */
  attempt?: number;
  retry?: number;
}

/**
 * What generation needs from cost accounting. Generation calls `reserve` before every LLM HTTP
 * attempt (a BudgetExceededError means: make no call), then `record` exactly once per attempt
 * with the reservation, which settles it; cache hits are recorded without a reservation.
 */
export interface CostTracker {
  reserve(estimate: CallEstimate): Promise<BudgetReservation>;
  record(record: LedgerRecordInput, reservation?: BudgetReservation): Promise<{ record: LedgerRecord; warnings: string[] }>;
  /** Frees a reservation whose call was never made (e.g. cancelled before sending). */
  release(reservation: BudgetReservation): Promise<void>;
  /** USD the given cached generation would cost now, for the cost-saved column of a cache hit. */
  estimateCost(model: string, usage: { inputTokens: number; outputTokens: number; cacheWriteTokens?: number; cacheReadTokens?: number }): number | null;
}
