import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { BudgetExceededError } from '../errors.js';
import { limitsOf, readBudgets, type BudgetLimit, type Budgets } from './budgets.js';
import type { BudgetReservation, CallEstimate, CostTracker } from './cost-tracker.js';
import { withFileLock } from './file-lock.js';
import { Ledger, ledgerFileOf } from './ledger.js';
import { LedgerRecordSchema, type LedgerRecord, type LedgerRecordInput } from '../shapes/ledger-record.js';
import { LedgerSummaryStore, type LedgerSummary } from './ledger-summary.js';
import { createPriceTable, costWith, type PriceTable } from './price-table.js';
import { liveReservations, removeReservation, writeReservation, type ReservationFile } from './reservations.js';
import { formatUsd, spendFor } from './spend.js';

export interface CostTrackerLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface CostTrackerOptions {
  /** The state directory: ledger `<home>/costs.jsonl`, budgets, reservations and locks live under it. */
  home: string;
  clock?: () => Date;
  priceTable?: PriceTable;
  logger?: CostTrackerLogger;
  /** fdatasync after every ledger line (default true). */
  fsync?: boolean;
  /** A reservation lapses after this long even if its process is alive (default 15 min). */
  reservationTtlMs?: number;
  lockTimeoutMs?: number;
  /** Config `cost.allowUnpriced`: let calls to unpriced models run while a budget is set (default false: refused). */
  allowUnpriced?: boolean;
}

export interface BudgetStatus {
  name: string;
  period: BudgetLimit['period'];
  component?: string;
  limit: number;
  spent: number;
  reserved: number;
  /** spent + reserved (+ the worst case of the call being reserved, in reserve's warnings). */
  used: number;
  percent: number;
  alert: boolean;
  exceeded: boolean;
}

/** The CostTracker generation uses, plus the read side the budget view needs. */
export interface FileCostTracker extends CostTracker {
  readonly ledger: Ledger;
  readonly priceTable: PriceTable;
  /** The ledger folded into day buckets, up to date. */
  summary(): Promise<LedgerSummary>;
  budgetStatus(): Promise<{ budgets: Budgets; limits: BudgetStatus[] }>;
}

/**
 * Budget enforcement across processes. `reserve` takes `<home>/locks/budget.lock`, adds up what
 * each limit's period has spent (the ledger, through the summary index) and what calls in
 * flight hold (`<home>/reservations/`, one file per call, so other processes see them), and
 * refuses the call when spent + held + this call's worst case would pass a limit. Otherwise it
 * writes its own reservation before releasing the lock, so two processes can never both
 * squeeze under the same limit. `record` appends the ledger line first and only then deletes
 * the reservation: for an instant the call counts twice, never zero times.
 */
export function createCostTracker(options: CostTrackerOptions): FileCostTracker {
  const home = options.home;
  const clock = options.clock ?? (() => new Date());
  const priceTable = options.priceTable ?? createPriceTable();
  const ledger = new Ledger(ledgerFileOf(home), { fsync: options.fsync ?? true });
  const summaries = new LedgerSummaryStore(ledger, home);
  const ttlMs = options.reservationTtlMs ?? 15 * 60_000;
  const lockFile = path.join(home, 'locks', 'budget.lock');

  function worstCase(estimate: CallEstimate): number | null {
    const price = priceTable.lookup(estimate.model);
    if (!price) return null;
    // Worst case: every input token written to the prompt cache if that costs more than plain input.
    const inputPrice = Math.max(price.input, price.cacheWrite);
    return costWith({ ...price, input: inputPrice }, { inputTokens: estimate.estimatedInputTokens, outputTokens: estimate.maxOutputTokens }).totalCost;
  }

  function statusOf(limit: BudgetLimit, summary: LedgerSummary, reservations: ReservationFile[], now: Date, alertAt: number, extra = 0): BudgetStatus {
    const spent = spendFor(limit, summary, now);
    const reserved = reservations.filter((r) => limit.component === undefined || r.component === limit.component).reduce((sum, r) => sum + r.amount, 0);
    const used = spent + reserved + extra;
    const percent = (used / limit.limit) * 100;
    return { ...limit, spent, reserved, used, percent, alert: percent >= alertAt, exceeded: used > limit.limit + 1e-12 };
  }

  function alertWarning(status: BudgetStatus): string {
    const held = status.used - status.spent;
    return `${status.name} budget: ${formatUsd(status.used)} of ${formatUsd(status.limit)} used (${status.percent.toFixed(0)}%)${held > 0 ? `, ${formatUsd(held)} of it held by calls in flight` : ''}`;
  }

  function appliesTo(limit: BudgetLimit, component: string): boolean {
    return limit.component === undefined || limit.component === component;
  }

  return {
    ledger,
    priceTable,

    async reserve(estimate: CallEstimate): Promise<BudgetReservation & { warnings: string[] }> {
      const amount = worstCase(estimate);
      const warnings: string[] = [];
      const budgets = await readBudgets(home);
      if (amount === null) {
        // Fail closed: a call whose cost cannot be counted would slip past every limit.
        if (limitsOf(budgets).length > 0 && !options.allowUnpriced) {
          throw new BudgetExceededError(
            `model ${estimate.model} has no price (price table ${priceTable.version}) and a budget is set, so its cost could not be counted against it: the call was not made`,
            {
              suggestion: `Price it in dspec.config.json under "cost": { "prices": { "${estimate.model}": { "input": <USD per million input tokens>, "output": <USD per million output tokens> } } }, or allow unpriced calls with "cost": { "allowUnpriced": true }.`,
              context: { model: estimate.model, component: estimate.component, priceTableVersion: priceTable.version, reason: 'unpriced-model' },
            },
          );
        }
        warnings.push(
          `model ${estimate.model} is not in the price table (version ${priceTable.version}): its calls are recorded as unpriced and budgets cannot limit them; add it under "prices" in dspec.config.json`,
        );
      }
      const id = randomUUID();
      const limits = limitsOf(budgets).filter((limit) => appliesTo(limit, estimate.component));
      if (limits.length === 0) return { id, amount: amount ?? 0, warnings };
      await withFileLock(
        lockFile,
        async () => {
          const now = clock();
          const [summary, reservations] = await Promise.all([summaries.refresh(), liveReservations(home, now)]);
          for (const limit of limits) {
            const status = statusOf(limit, summary, reservations, now, budgets.alertAtPercent, amount ?? 0);
            if (status.exceeded) {
              throw new BudgetExceededError(
                `the ${limit.name} budget of ${formatUsd(limit.limit)} would be exceeded: ${formatUsd(status.spent)} spent, ${formatUsd(status.reserved)} held by calls in flight, and this call's worst case is ${formatUsd(amount ?? 0)} (${estimate.model}, ${estimate.estimatedInputTokens} input + ${estimate.maxOutputTokens} output tokens)`,
                {
                  suggestion: 'No call was made. Raise the limit (`dspec cost budget`), wait for the period to roll over, use a cheaper model, or reuse a cached component.',
                  context: {
                    limit: limit.name,
                    limitUsd: limit.limit,
                    spentUsd: status.spent,
                    reservedUsd: status.reserved,
                    worstCaseUsd: amount ?? 0,
                    component: estimate.component,
                    model: estimate.model,
                  },
                },
              );
            }
            if (status.alert) warnings.push(alertWarning(status));
          }
          await writeReservation(home, {
            id,
            pid: process.pid,
            amount: amount ?? 0,
            component: estimate.component,
            model: estimate.model,
            createdAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
          });
        },
        { timeoutMs: options.lockTimeoutMs },
      );
      return { id, amount: amount ?? 0, warnings };
    },

    async record(input: LedgerRecordInput, reservation?: BudgetReservation): Promise<{ record: LedgerRecord; warnings: string[] }> {
      const cacheHit = input.cacheHit || input.outcome === 'cache_hit';
      const costs = cacheHit ? { inputCost: 0, outputCost: 0, totalCost: 0 } : priceTable.costOf(input.model, input);
      const record = LedgerRecordSchema.parse({
        ...input,
        id: randomUUID(),
        timestamp: input.timestamp ?? clock().toISOString(),
        inputCost: costs?.inputCost ?? null,
        outputCost: costs?.outputCost ?? null,
        totalCost: costs?.totalCost ?? null,
        priceTableVersion: priceTable.version,
      });
      await ledger.append(record);
      if (reservation) await removeReservation(home, reservation.id);
      const warnings: string[] = [];
      if (costs === null) {
        warnings.push(`model ${input.model} is unpriced (not in price table ${priceTable.version}): this call's cost is unknown and reported as unpriced`);
        options.logger?.warn({ model: input.model, priceTableVersion: priceTable.version }, 'LLM call on an unpriced model');
      }
      const budgets = await readBudgets(home);
      const limits = limitsOf(budgets).filter((limit) => appliesTo(limit, input.component));
      if (limits.length) {
        const now = clock();
        const [summary, reservations] = await Promise.all([summaries.refresh(), liveReservations(home, now)]);
        for (const limit of limits) {
          const status = statusOf(limit, summary, reservations, now, budgets.alertAtPercent);
          if (status.alert) warnings.push(alertWarning(status));
        }
      }
      return { record, warnings };
    },

    async release(reservation: BudgetReservation): Promise<void> {
      await removeReservation(home, reservation.id);
    },

    estimateCost(model, usage) {
      return priceTable.costOf(model, usage)?.totalCost ?? null;
    },

    summary: () => summaries.refresh(),

    async budgetStatus() {
      const budgets = await readBudgets(home);
      const now = clock();
      const [summary, reservations] = await Promise.all([summaries.refresh(), liveReservations(home, now)]);
      return { budgets, limits: limitsOf(budgets).map((limit) => statusOf(limit, summary, reservations, now, budgets.alertAtPercent)) };
    },
  };
}
