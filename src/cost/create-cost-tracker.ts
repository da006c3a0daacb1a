import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { abandonedRecordOf } from './abandoned-hold.js';
import { budgetAlertWarning, budgetExceededErrorFor, budgetStatusOf, holdAmountFor, limitAppliesTo, unpricedRecordWarning, type BudgetStatus } from './budget-checks.js';
import { limitsOf, readBudgets, type BudgetLimit, type Budgets } from './budgets.js';
import type { BudgetReservation, CallEstimate, CostTracker } from './cost-tracker.js';
import { withFileLock } from './file-lock.js';
import { Ledger, ledgerFileOf } from './ledger.js';
import type { LedgerRecord, LedgerRecordInput } from '../shapes/ledger-record.js';
import { LedgerSummaryStore, summariseRange, type LedgerSummary } from './ledger-summary.js';
import { createPriceTable, type PriceTable } from './price-table.js';
import { pricedRecordOf } from './priced-record.js';
import { claimLapsedReservation, finishChargingReservation, readReservations, removeReservation, writeReservation, type ReservationFile } from './reservations.js';
import { spendFor } from './spend.js';

export type { BudgetStatus } from './budget-checks.js';

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

/** The CostTracker generation uses, plus the read side the budget view needs. */
export interface FileCostTracker extends CostTracker {
  readonly ledger: Ledger;
  readonly priceTable: PriceTable;
  /** The ledger folded into day buckets, up to date. */
  summary(): Promise<LedgerSummary>;
  /** The lines whose timestamps fall inside [sinceMs, untilMs], folded afresh (for bounds that are not whole days). */
  summariseRange(sinceMs: number | null, untilMs: number | null): Promise<LedgerSummary>;
  budgetStatus(): Promise<{ budgets: Budgets; limits: BudgetStatus[] }>;
  /** Charges each lapsed hold (expired, or its process is dead) as an abandoned ledger line and removes it; returns how many this call charged. */
  sweepExpiredReservations(): Promise<number>;
}

/**
 * Budget enforcement across processes. `reserve` takes `<home>/locks/budget.lock`, adds up what
 * each limit's period has spent (the ledger, through the summary index) and what calls in
 * flight hold (`<home>/reservations/`, one file per call, so other processes see them), and
 * refuses the call when spent + held + this call's worst case would pass a limit. Otherwise it
 * writes its own reservation before releasing the lock, so two processes can never both
 * squeeze under the same limit. `record` appends the ledger line first and only then deletes
 * the reservation: for an instant the call counts twice, never zero times. A lapsed hold (its
 * process died, or it passed its expiry) is charged, under the lock, as an abandoned ledger line
 * at its reserved amount (abandoned-hold.ts) before any spend is read.
 */
export function createCostTracker(options: CostTrackerOptions): FileCostTracker {
  const home = options.home;
  const clock = options.clock ?? (() => new Date());
  const priceTable = options.priceTable ?? createPriceTable();
  const ledger = new Ledger(ledgerFileOf(home), { fsync: options.fsync ?? true });
  const summaries = new LedgerSummaryStore(ledger, home);
  const ttlMs = options.reservationTtlMs ?? 15 * 60_000;
  const lockFile = path.join(home, 'locks', 'budget.lock');

  /** Charges the lapsed holds; the caller holds the budget lock, so sweepers take turns, and the rename decides against a settle. */
  async function chargeLapsed(lapsed: ReservationFile[]): Promise<number> {
    let charged = 0;
    for (const hold of lapsed) {
      const claim = await claimLapsedReservation(home, hold.id);
      if (claim === 'gone') continue;
      // A dead sweeper may have appended the line before it died: the ledger has no unique key, so look (rare: one kill in one append's window).
      if (claim === 'resume' && (await ledgerHolds(hold.id))) {
        await finishChargingReservation(home, hold.id);
        continue;
      }
      await ledger.append(abandonedRecordOf(hold));
      await finishChargingReservation(home, hold.id);
      charged++;
    }
    return charged;
  }

  async function ledgerHolds(id: string): Promise<boolean> {
    let found = false;
    await ledger.scan((record) => {
      if (record.id === id) found = true;
    });
    return found;
  }

  const sweepLocked = async () => chargeLapsed((await readReservations(home, clock())).lapsed);

  /** The holds in force, after charging any lapsed ones (taking the lock only when there are some). */
  async function liveAfterSweep(now: Date): Promise<ReservationFile[]> {
    const read = await readReservations(home, now);
    if (read.lapsed.length === 0) return read.live;
    await withFileLock(lockFile, sweepLocked, { timeoutMs: options.lockTimeoutMs });
    return (await readReservations(home, now)).live;
  }

  function statusOf(limit: BudgetLimit, summary: LedgerSummary, reservations: ReservationFile[], now: Date, alertAt: number, extra = 0): BudgetStatus {
    return budgetStatusOf(limit, spendFor(limit, summary, now), reservations, alertAt, extra);
  }

  return {
    ledger,
    priceTable,

    async reserve(estimate: CallEstimate): Promise<BudgetReservation & { warnings: string[] }> {
      const budgets = await readBudgets(home);
      const { amount, warnings } = holdAmountFor(priceTable, estimate, budgets, options.allowUnpriced);
      const id = randomUUID();
      const limits = limitsOf(budgets).filter((limit) => limitAppliesTo(limit, estimate.component));
      if (limits.length === 0) return { id, amount: amount ?? 0, warnings };
      await withFileLock(
        lockFile,
        async () => {
          const now = clock();
          const { live: reservations, lapsed } = await readReservations(home, now);
          await chargeLapsed(lapsed);
          const summary = await summaries.refresh();
          for (const limit of limits) {
            const status = statusOf(limit, summary, reservations, now, budgets.alertAtPercent, amount ?? 0);
            if (status.exceeded) throw budgetExceededErrorFor(limit, status, amount ?? 0, estimate);
            if (status.alert) warnings.push(budgetAlertWarning(status));
          }
          await writeReservation(home, {
            id,
            pid: process.pid,
            amount: amount ?? 0,
            component: estimate.component,
            model: estimate.model,
            createdAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
            operation: estimate.operation,
            provider: estimate.provider,
            attempt: estimate.attempt ?? 1,
            retry: estimate.retry ?? 0,
            priced: amount !== null,
            priceTableVersion: priceTable.version,
          });
        },
        { timeoutMs: options.lockTimeoutMs },
      );
      return { id, amount: amount ?? 0, warnings };
    },

    async record(input: LedgerRecordInput, reservation?: BudgetReservation): Promise<{ record: LedgerRecord; warnings: string[] }> {
      const { record, priced } = pricedRecordOf(input, priceTable, clock());
      await ledger.append(record);
      if (reservation) await removeReservation(home, reservation.id);
      const warnings: string[] = [];
      if (!priced) {
        warnings.push(unpricedRecordWarning(input.model, priceTable));
        options.logger?.warn({ model: input.model, priceTableVersion: priceTable.version }, 'LLM call on an unpriced model');
      }
      const budgets = await readBudgets(home);
      const limits = limitsOf(budgets).filter((limit) => limitAppliesTo(limit, input.component));
      if (limits.length) {
        const now = clock();
        const reservations = await liveAfterSweep(now);
        const summary = await summaries.refresh();
        for (const limit of limits) {
          const status = statusOf(limit, summary, reservations, now, budgets.alertAtPercent);
          if (status.alert) warnings.push(budgetAlertWarning(status));
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

    summariseRange: (sinceMs, untilMs) => summariseRange(ledger, sinceMs, untilMs),

    async budgetStatus() {
      const budgets = await readBudgets(home);
      const now = clock();
      const reservations = await liveAfterSweep(now);
      const summary = await summaries.refresh();
      return { budgets, limits: limitsOf(budgets).map((limit) => statusOf(limit, summary, reservations, now, budgets.alertAtPercent)) };
    },

    sweepExpiredReservations: () => withFileLock(lockFile, sweepLocked, { timeoutMs: options.lockTimeoutMs }),
  };
}
