import type { CostReports } from './cost-report.js';
import type { CostTracker } from './cost-tracker.js';

/** The read side of cost accounting: what `cost_report` and `dspec cost` show. */
export type CostReporting = Pick<CostReports, 'summary' | 'forecast' | 'optimize' | 'budget'>;

/**
 * The ledger and the budgets as their callers reach them: the tracker generation reserves,
 * records and releases through, and the reports over the same ledger. The append-only file
 * ledger with file reservations implements it today; a database backend would be another.
 */
export interface CostStore {
  readonly tracker: CostTracker;
  readonly reports: CostReporting;
}
