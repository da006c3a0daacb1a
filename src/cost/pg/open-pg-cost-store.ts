/**
 * The PostgreSQL backend of the CostStore port: the ledger, the budgets, the holds of calls in
 * flight and the breaker streaks in one database that any number of replicas share.
 *
 *   const store = await openPgCostStore({ url: 'postgres://dspec:secret@db:5432/dspec', config, logger });
 *   await store.tracker.reserve(estimate);   // refused (BudgetExceededError) past a limit, across replicas
 *   await store.reports.summary({ period: 'month' });
 *   await store.sweepExpiredReservations();  // charges the holds of a replica that died mid-call
 *   await store.close();                     // ends the pool
 *
 * `migrate: true` applies pending migrations on first use (DSPEC_DATABASE_MIGRATE=1); otherwise
 * the first use checks the schema and fails with a DatabaseError that says to run `dspec db
 * migrate`. A failed check is retried on the next call, so migrating later heals a running
 * server. The runtime opens it when config `database.url` (DSPEC_DATABASE_URL) is set.
 */
import type { CostStore } from '../cost-store.js';
import { CostReports } from '../cost-report.js';
import type { CostTrackerLogger } from '../create-cost-tracker.js';
import { allowUnpricedFromConfig, priceTableFromConfig } from '../open-cost-state.js';
import { openDatabasePool, type DatabasePool } from './database-pool.js';
import { createPgCostTracker, type PgCostTracker } from './pg-cost-tracker.js';
import { schemaReadyCheck } from './schema-ready.js';

export interface OpenPgCostStoreOptions {
  /** postgres:// or postgresql:// */
  url: string;
  /** The dspec config (read for `cost.prices` and `cost.allowUnpriced`). */
  config: object;
  clock?: () => Date;
  logger?: CostTrackerLogger;
  /** Apply pending migrations on first use instead of refusing to run. */
  migrate?: boolean;
  /** A hold lapses this long after it was taken (default 15 min). */
  reservationTtlMs?: number;
  /** Pool size (default 10). */
  maxConnections?: number;
}

export interface PgCostStore extends CostStore {
  readonly tracker: PgCostTracker;
  readonly reports: CostReports;
  readonly database: DatabasePool;
  sweepExpiredReservations(): Promise<number>;
  close(): Promise<void>;
}

export async function openPgCostStore(options: OpenPgCostStoreOptions): Promise<PgCostStore> {
  const clock = options.clock ?? (() => new Date());
  const database = await openDatabasePool(options.url, { logger: options.logger, maxConnections: options.maxConnections });
  const ready = schemaReadyCheck(database, { migrate: options.migrate });
  const tracker = createPgCostTracker({
    database,
    priceTable: priceTableFromConfig(options.config),
    clock,
    logger: options.logger,
    allowUnpriced: allowUnpricedFromConfig(options.config),
    reservationTtlMs: options.reservationTtlMs,
    ready,
  });
  return {
    tracker,
    reports: new CostReports(tracker, clock),
    database,
    updateBudgets: (changes) => tracker.updateBudgets(changes),
    sweepExpiredReservations: () => tracker.sweepExpiredReservations(),
    prepare: async () => {
      try {
        await ready();
      } catch (error) {
        throw database.explain(error);
      }
    },
    close: () => database.close(),
  };
}
