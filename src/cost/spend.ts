import { periodStartDay, type BudgetLimit } from './budgets.js';
import { bucketValue, DIMENSION_SEPARATOR, type LedgerSummary } from './ledger-summary.js';

/** USD spent (priced calls) between two UTC days inclusive, optionally for one component. */
export function spendBetween(summary: LedgerSummary, fromDay: string, toDay: string, component?: string): number {
  let total = 0;
  for (const [day, byDimensions] of summary.days) {
    if (day < fromDay || day > toDay) continue;
    for (const [dimensions, bucket] of byDimensions) {
      if (component !== undefined && dimensions.slice(0, dimensions.indexOf(DIMENSION_SEPARATOR)) !== component) continue;
      total += bucketValue(bucket, 'cost');
    }
  }
  return total;
}

/** What a limit has used in its current period. */
export function spendFor(limit: BudgetLimit, summary: LedgerSummary, now: Date): number {
  return spendBetween(summary, periodStartDay(limit.period, now), now.toISOString().slice(0, 10), limit.component);
}

export function formatUsd(amount: number): string {
  if (amount === 0) return '$0.00';
  // Rounded half up on the decimal value (0.045 → $0.05), which toFixed alone gets wrong.
  if (Math.abs(amount) < 0.01) return `$${(Math.round(amount * 1e4 * (1 + Number.EPSILON)) / 1e4).toFixed(4)}`;
  return `$${(Math.round(amount * 100 * (1 + Number.EPSILON)) / 100).toFixed(2)}`;
}
