import type { ContentCache } from '../cache/cache-entry.js';
import type { CacheListOptions, CacheListPage, CacheStats } from '../cache/file-cache.js';
import type { CostTracker } from '../cost/cost-tracker.js';
import type { CostReports } from '../cost/cost-report.js';

/**
 * The generation cache as its callers reach it: read and write entries (generation), and the
 * read models `cache_stats` shows. Files under `<home>/cache/` implement it today (FileCache);
 * an object-store backend would be another implementation, with no caller changed.
 */
export interface CacheStore extends ContentCache {
  stats(): Promise<CacheStats>;
  list(options?: CacheListOptions): Promise<CacheListPage>;
}

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
