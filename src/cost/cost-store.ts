import type { BudgetChanges, Budgets } from './budgets.js';
import type { CostReports } from './cost-report.js';
import type { CostTracker } from './cost-tracker.js';

/** The read side of cost accounting: what `cost_report` and `dspec cost` show. */
export type CostReporting = Pick<CostReports, 'summary' | 'forecast' | 'optimize' | 'budget'>;

/**
 * The ledger and the budgets as their callers reach them: the tracker generation reserves,
 * records and releases through, the reports over the same ledger, and the budgets' setter.
 * Two backends implement it: the append-only file ledger with file reservations under
 * `.dspec/` (open-cost-state.ts) and PostgreSQL (pg/open-pg-cost-store.ts).
 */
export interface CostStore {
  readonly tracker: CostTracker;
  readonly reports: CostReporting;
  /** Merges `changes` into the stored budgets (null removes a limit) and returns them. */
  updateBudgets(changes: BudgetChanges): Promise<Budgets>;
  /** Frees what the backend holds open (a connection pool); the files need nothing. */
  close?(): Promise<void>;
  /** Makes the backend ready now rather than on first use (PostgreSQL: migrate when asked, else check the schema). */
  prepare?(): Promise<void>;
}
