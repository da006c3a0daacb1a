import type { BudgetReservation, CallEstimate, CostTracker } from '../../src/cost/cost-tracker.js';
import type { LedgerRecord, LedgerRecordInput } from '../../src/shapes/ledger-record.js';
import { BudgetExceededError } from '../../src/errors.js';

/** USD per million tokens, for the fake only. */
const PRICES: Record<string, { input: number; output: number }> = {
  'claude-sonnet-4-6': { input: 3, output: 15 },
  // Scripted in-process providers (no HTTP fake) may use a made-up model id.
  'claude-test': { input: 3, output: 15 },
  'local-model': { input: 0, output: 0 },
};

/**
 * A CostTracker that keeps every call in memory, so a test can check that ledger lines equal
 * HTTP attempts and that each record settles the reservation made for it.
 */
export class RecordingCostTracker implements CostTracker {
  readonly reservations: Array<CallEstimate & { id: string }> = [];
  readonly records: LedgerRecord[] = [];
  readonly released: string[] = [];
  private open = new Map<string, number>();
  private spent = 0;
  private counter = 0;

  constructor(private readonly budgetUsd = Infinity) {}

  private cost(model: string, tokens: { inputTokens: number; outputTokens: number }) {
    const price = PRICES[model];
    if (!price) return null;
    return (tokens.inputTokens * price.input + tokens.outputTokens * price.output) / 1e6;
  }

  async reserve(estimate: CallEstimate): Promise<BudgetReservation> {
    const amount = this.cost(estimate.model, { inputTokens: estimate.estimatedInputTokens, outputTokens: estimate.maxOutputTokens }) ?? 0;
    const held = [...this.open.values()].reduce((sum, value) => sum + value, 0);
    if (this.spent + held + amount > this.budgetUsd) throw new BudgetExceededError(`budget of $${this.budgetUsd} would be exceeded`);
    const id = `res_${++this.counter}`;
    this.open.set(id, amount);
    this.reservations.push({ ...estimate, id });
    return { id, amount };
  }

  async record(input: LedgerRecordInput, reservation?: BudgetReservation): Promise<{ record: LedgerRecord; warnings: string[] }> {
    if (reservation) {
      if (!this.open.has(reservation.id)) throw new Error(`reservation ${reservation.id} settled twice or never made`);
      this.open.delete(reservation.id);
    }
    const input$ = this.cost(input.model, { inputTokens: input.inputTokens, outputTokens: 0 });
    const output$ = this.cost(input.model, { inputTokens: 0, outputTokens: input.outputTokens });
    const total = input$ === null || output$ === null ? null : input$ + output$;
    if (total) this.spent += total;
    const record: LedgerRecord = {
      ...input,
      id: `line_${this.records.length + 1}`,
      timestamp: input.timestamp ?? new Date(0).toISOString(),
      inputCost: input$,
      outputCost: output$,
      totalCost: total,
      priceTableVersion: 'test',
    };
    this.records.push(record);
    return { record, warnings: [] };
  }

  async release(reservation: BudgetReservation): Promise<void> {
    this.open.delete(reservation.id);
    this.released.push(reservation.id);
  }

  estimateCost(model: string, usage: { inputTokens: number; outputTokens: number }): number | null {
    return this.cost(model, usage);
  }

  /** Reservations neither recorded nor released: must be 0 after every generation. */
  get openReservations(): number {
    return this.open.size;
  }

  /** Ledger lines of LLM attempts (cache hits excluded). */
  get attemptLines(): LedgerRecord[] {
    return this.records.filter((record) => record.outcome !== 'cache_hit');
  }
}
