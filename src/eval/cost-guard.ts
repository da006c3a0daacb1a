import type { BudgetReservation, CallEstimate, CostTracker } from '../cost/cost-tracker.js';
import type { LedgerRecord, LedgerRecordInput } from '../shapes/ledger-record.js';
import { BudgetExceededError } from '../errors.js';
import { formatUsd } from '../cost/spend.js';

/**
 * `--max-cost` as one more budget on top of the configured ones: every call the pipeline
 * makes reserves its worst case first (the tracker's own reservation, which also enforces
 * `budgets.json`); the guard then refuses it when what this run spent, plus what its calls in
 * flight hold, plus this worst case would pass the cap. Checking and holding happen in one
 * synchronous step, so concurrent trials cannot squeeze past the cap together.
 */
export class EvalCostGuard {
  private spentUsd: number;
  private heldUsd = 0;
  private readonly held = new Map<string, number>();
  /** The largest worst case of one call seen so far: what a trial's next attempt may hold. */
  private largestWorstCase = 0;

  constructor(
    private readonly inner: CostTracker,
    private readonly maxCostUsd: number | undefined,
    /** What earlier invocations of this run already spent (a resumed run keeps its cap). */
    alreadySpentUsd = 0,
  ) {
    this.spentUsd = alreadySpentUsd;
  }

  get spent(): number {
    return this.spentUsd;
  }

  /**
   * Whether a new trial may start: its every attempt must fit under the cap at the largest
   * worst case seen so far, so a trial is not cut off halfway (its first attempts paid for,
   * then thrown away and paid again on resume). The per-call check still applies.
   */
  canStartTrial(maxAttempts: number): boolean {
    if (this.maxCostUsd === undefined) return true;
    return this.spentUsd + this.heldUsd + this.largestWorstCase * maxAttempts <= this.maxCostUsd + 1e-12;
  }

  /** A CostTracker for one trial: the guard's checks, plus a tap on every ledger line it writes. */
  trackerFor(onRecord: (record: LedgerRecord) => void): CostTracker {
    return {
      reserve: (estimate) => this.reserve(estimate),
      record: async (input: LedgerRecordInput, reservation?: BudgetReservation) => {
        const result = await this.inner.record(input, reservation);
        if (reservation) this.settle(reservation.id);
        this.spentUsd += result.record.totalCost ?? 0;
        onRecord(result.record);
        return result;
      },
      release: async (reservation) => {
        this.settle(reservation.id);
        await this.inner.release(reservation);
      },
      estimateCost: (model, usage) => this.inner.estimateCost(model, usage),
    };
  }

  private async reserve(estimate: CallEstimate): Promise<BudgetReservation> {
    const reservation = await this.inner.reserve(estimate);
    if (this.maxCostUsd === undefined) return reservation;
    const worstCase = reservation.amount;
    this.largestWorstCase = Math.max(this.largestWorstCase, worstCase);
    const unpriced = this.inner.estimateCost(estimate.model, { inputTokens: 1, outputTokens: 1 }) === null;
    if (unpriced || this.spentUsd + this.heldUsd + worstCase > this.maxCostUsd + 1e-12) {
      await this.inner.release(reservation);
      throw new BudgetExceededError(
        unpriced
          ? `--max-cost cannot limit ${estimate.model}: the model is not in the price table, so no call was made`
          : `--max-cost ${formatUsd(this.maxCostUsd)} would be exceeded: this run spent ${formatUsd(this.spentUsd)}, calls in flight hold ${formatUsd(this.heldUsd)}, and the next call's worst case is ${formatUsd(worstCase)}`,
        {
          suggestion: unpriced
            ? 'Add the model under "cost.prices" in dspec.config.json, or run without --max-cost.'
            : 'No call was made. Raise --max-cost and run the same command again: finished trials are kept and not paid for twice.',
          context: { maxCostUsd: this.maxCostUsd, spentUsd: this.spentUsd, heldUsd: this.heldUsd, worstCaseUsd: worstCase, model: estimate.model },
        },
      );
    }
    this.held.set(reservation.id, worstCase);
    this.heldUsd += worstCase;
    return reservation;
  }

  private settle(id: string): void {
    const amount = this.held.get(id);
    if (amount === undefined) return;
    this.held.delete(id);
    this.heldUsd -= amount;
  }
}
