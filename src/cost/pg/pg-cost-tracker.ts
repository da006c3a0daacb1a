import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PoolClient } from 'pg';
import { InputError, issuesFromZod, type BudgetExceededError } from '../../errors.js';
import { ABANDONED_CATEGORY, UNKNOWN_PROMPT_VERSION } from '../abandoned-hold.js';
import { AVAILABILITY_CATEGORIES } from '../breaker-streaks.js';
import { budgetAlertWarning, budgetExceededErrorFor, budgetStatusOf, holdAmountFor, limitAppliesTo, unpricedRecordWarning, type BudgetStatus, type HeldAmount } from '../budget-checks.js';
import { BudgetsSchema, limitsOf, mergeBudgets, periodStartDay, type BudgetChanges, type BudgetLimit, type Budgets } from '../budgets.js';
import type { CostReportSource } from '../cost-report.js';
import type { BudgetReservation, CallEstimate, CostTracker } from '../cost-tracker.js';
import type { CostTrackerLogger } from '../create-cost-tracker.js';
import { utcDayOf } from '../ledger-summary.js';
import type { PriceTable } from '../price-table.js';
import { pricedRecordOf } from '../priced-record.js';
import type { LedgerRecord, LedgerRecordInput } from '../../shapes/ledger-record.js';
import type { DatabasePool, SqlValue } from './database-pool.js';
import { summariseLedgerTable, summariseLedgerTableRange } from './pg-ledger-summary.js';

export interface PgCostTrackerOptions {
  database: DatabasePool;
  priceTable: PriceTable;
  clock: () => Date;
  logger?: CostTrackerLogger;
  allowUnpriced?: boolean;
  /**
   * A hold lapses this long after it was last renewed (default 15 min): a live call's hold is
   * renewed every third of it, so only the holds of a replica that died lapse.
   */
  reservationTtlMs?: number;
  /** Resolves once the schema is usable (migrated, or checked to be); awaited before every use. */
  ready: () => Promise<void>;
}

/** The PostgreSQL CostTracker, the reports' source over the same tables, and the budget setter. */
export interface PgCostTracker extends CostTracker, CostReportSource {
  updateBudgets(changes: BudgetChanges): Promise<Budgets>;
  /** Charges each hold past its expiry (a killed replica's) as an abandoned ledger row and deletes it; returns how many this call charged. */
  sweepExpiredReservations(): Promise<number>;
  /** Moves the expiry of this process's live holds a TTL ahead (run every third of the TTL while any is live); returns how many were renewed. */
  renewHolds(): Promise<number>;
}

/** Spend per limit in its current period and the live holds, read in one statement. */
interface BudgetState {
  budgets: Budgets;
  spentOf(limit: BudgetLimit): number;
  holds: HeldAmount[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOLDER = `${hostname()}:${process.pid}`;

/**
 * Sweeps expired holds and reads, as of `now`, the budgets, what each period has spent up to
 * today (UTC days, as `spendFor` counts them) and what live holds keep per component; with a
 * hold to take, it inserts that too (the caller deletes it again when a limit refuses it). A
 * data-modifying WITH runs whether or not the query reads it, and the statement's snapshot
 * shows neither its inserts nor its deletes: the holds read filters on the expiry itself, and
 * never counts the hold being taken.
 *
 * The sweep charges each expired hold instead of forgetting it (abandoned-hold.ts): the DELETE
 * hands its rows to an INSERT of `abandoned` ledger rows with the hold's id (UNIQUE, so a hold is
 * never charged twice), and their spend is added to the day rows in the same statement. A hold
 * another statement is sweeping at the same moment is skipped (SKIP LOCKED: no waiting, no lock
 * cycle between sweepers); whoever deletes a row is the one that records it. Since the snapshot
 * shows an expired hold either still in dspec_reservations or already in dspec_daily_spend, never
 * both and never neither, the spend read counts expired holds still in the table as spent.
 */
const SWEEP = `swept AS (DELETE FROM dspec_reservations WHERE id IN (
    SELECT id FROM dspec_reservations WHERE expires_at <= $1 ORDER BY id FOR UPDATE SKIP LOCKED)
    RETURNING id, amount, component, model, operation, provider, attempt, retry, priced, price_table_version, created_at),
  abandoned AS (INSERT INTO dspec_ledger (id, recorded_at, day, operation, component, provider, model, outcome, cache_hit, attempt, retry,
      input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, total_cost, cost_saved, record)
    SELECT id::text, created_at, (created_at AT TIME ZONE 'UTC')::date, operation, component, provider, model, 'error', false, attempt, retry,
      0, 0, 0, 0, CASE WHEN priced THEN amount END, 0, jsonb_build_object(
        'id', id::text, 'timestamp', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'operation', operation, 'component', component, 'provider', provider, 'model', model, 'requestId', null,
        'attempt', attempt, 'retry', retry, 'outcome', 'error', 'errorCategory', '${ABANDONED_CATEGORY}',
        'inputTokens', 0, 'outputTokens', 0, 'cacheWriteTokens', 0, 'cacheReadTokens', 0,
        'inputCost', null, 'outputCost', null, 'totalCost', CASE WHEN priced THEN amount END,
        'cacheHit', false, 'costSaved', 0, 'promptVersion', '${UNKNOWN_PROMPT_VERSION}', 'priceTableVersion', price_table_version)
    FROM swept ORDER BY id
    ON CONFLICT (id) DO NOTHING RETURNING day, component, total_cost),
  abandoned_spend AS (INSERT INTO dspec_daily_spend (day, component, cost)
    SELECT day, component, sum(total_cost) FROM abandoned WHERE total_cost IS NOT NULL GROUP BY day, component ORDER BY day, component
    ON CONFLICT (day, component) DO UPDATE SET cost = dspec_daily_spend.cost + excluded.cost)`;
const TAKE_HOLD = `taken AS (INSERT INTO dspec_reservations (id, amount, component, model, holder, created_at, expires_at, operation, provider, attempt, retry, priced, price_table_version)
  VALUES ($6, $7, $8, $9, $10, $1, $11, $12, $13, $14, $15, $16, $17))`;
/** Spend per UTC day and component: the day rows, and the expired holds the sweep is turning into spend (see SWEEP). */
const SPENT_ROWS = `(SELECT day, component, cost FROM dspec_daily_spend
     UNION ALL SELECT (created_at AT TIME ZONE 'UTC')::date, component, amount FROM dspec_reservations WHERE expires_at <= $1 AND priced) AS spent`;
const BUDGET_STATE_SELECT = `SELECT
  (SELECT budgets FROM dspec_budgets) AS budgets,
  (SELECT json_build_object(
     'daily', coalesce(sum(cost) FILTER (WHERE day >= $2::date), 0),
     'weekly', coalesce(sum(cost) FILTER (WHERE day >= $3::date), 0),
     'monthly', coalesce(sum(cost) FILTER (WHERE day >= $4::date), 0))
   FROM ${SPENT_ROWS} WHERE day >= least($3::date, $4::date) AND day <= $5::date) AS spend,
  (SELECT coalesce(json_object_agg(component, cost), '{}'::json) FROM (
     SELECT component, sum(cost) AS cost FROM ${SPENT_ROWS}
     WHERE day >= $4::date AND day <= $5::date GROUP BY component) AS by_component) AS component_spend,
  (SELECT coalesce(json_agg(json_build_object('component', component, 'amount', amount)), '[]'::json) FROM (
     SELECT component, sum(amount) AS amount FROM dspec_reservations WHERE expires_at > $1 GROUP BY component) AS held) AS holds`;

/** A hold to insert with the state read. */
interface NewHold {
  id: string;
  amount: number;
  priced: boolean;
  estimate: CallEstimate;
  priceTableVersion: string;
  expiresAt: Date;
}

interface BudgetStateRow {
  budgets: unknown;
  spend: { daily: number; weekly: number; monthly: number };
  component_spend: Record<string, number>;
  holds: HeldAmount[];
}

function parseBudgets(raw: unknown): Budgets {
  const parsed = BudgetsSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new InputError('the budgets stored in the cost database (table dspec_budgets) are not valid', {
      issues: issuesFromZod(parsed.error.issues),
      suggestion: 'Set them again with `dspec cost budget`.',
    });
  return parsed.data;
}

/** The state statement as of `now` (taking `hold` when given), with its values. */
function budgetStateQuery(now: Date, hold?: NewHold): { sql: string; values: SqlValue[] } {
  const values: SqlValue[] = [now.toISOString(), periodStartDay('daily', now), periodStartDay('weekly', now), periodStartDay('monthly', now), now.toISOString().slice(0, 10)];
  if (hold) {
    const { estimate } = hold;
    values.push(hold.id, hold.amount, estimate.component, estimate.model, HOLDER, hold.expiresAt.toISOString());
    values.push(estimate.operation, estimate.provider, estimate.attempt ?? 1, estimate.retry ?? 0, hold.priced, hold.priceTableVersion);
  }
  return { sql: `WITH ${hold ? `${SWEEP}, ${TAKE_HOLD}` : SWEEP} ${BUDGET_STATE_SELECT}`, values };
}

function budgetStateOf(row: BudgetStateRow | undefined): BudgetState {
  if (!row) throw new Error('the budget state query returned no row');
  return {
    budgets: parseBudgets(row.budgets),
    holds: row.holds,
    spentOf: (limit) => (limit.component === undefined ? row.spend[limit.period] : (row.component_spend[limit.component] ?? 0)),
  };
}

async function readBudgetState(client: Pick<PoolClient, 'query'>, now: Date): Promise<BudgetState> {
  const { sql, values } = budgetStateQuery(now);
  return budgetStateOf((await client.query<BudgetStateRow>(sql, values)).rows[0]);
}

/** The SQL that keeps the breaker streak of `provider␟model` as `visitStreak` (breaker-streaks.ts) would. */
function streakStatement(record: LedgerRecord): string | undefined {
  if (record.outcome === 'cache_hit') return undefined;
  if (record.outcome !== 'error') {
    // An answered call ends the run: its length is counted in `ended`.
    return `UPDATE dspec_breaker_streaks SET current = 0,
      ended = jsonb_set(ended, ARRAY[current::text], to_jsonb(coalesce((ended ->> current::text)::int, 0) + 1))
      WHERE provider = $4 AND model = $5 AND current > 0`;
  }
  if (record.errorCategory === undefined || !AVAILABILITY_CATEGORIES.has(record.errorCategory)) return undefined;
  return `INSERT INTO dspec_breaker_streaks (provider, model, current) VALUES ($4, $5, 1)
    ON CONFLICT (provider, model) DO UPDATE SET current = dspec_breaker_streaks.current + 1`;
}

/**
 * Settling in one statement, so it is atomic on its own: the ledger row, the end of the hold,
 * the day's spend and the breaker streak commit together or not at all. The streak step is a
 * CTE only when the outcome moves it.
 */
function settleStatement(record: LedgerRecord): string {
  // $3 is null for a cache hit (no hold): the DELETE then matches nothing.
  const steps = ['settled AS (DELETE FROM dspec_reservations WHERE id = $3::uuid)'];
  const streak = streakStatement(record);
  if (streak) steps.push(`streak AS (${streak})`);
  // Only priced attempts count towards budgets, as in `fold` (a cache hit costs nothing; an unpriced call is unknown).
  const cacheHit = record.cacheHit || record.outcome === 'cache_hit';
  if (!cacheHit && record.totalCost !== null) {
    steps.push(`spent AS (INSERT INTO dspec_daily_spend (day, component, cost) VALUES ($2::date, $8, $17)
      ON CONFLICT (day, component) DO UPDATE SET cost = dspec_daily_spend.cost + excluded.cost)`);
  }
  const insert = `INSERT INTO dspec_ledger (id, recorded_at, day, operation, component, provider, model, outcome, cache_hit, attempt, retry,
      input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, total_cost, cost_saved, record)
    VALUES ($1, $6, $2::date, $7, $8, $4, $5, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`;
  return `WITH ${steps.join(', ')} ${insert}`;
}

/**
 * Budget enforcement across replicas sharing one database. `reserve` runs one transaction that
 * first takes the `budget` advisory lock (so reservations, from any replica, are judged one at
 * a time and each sees the holds and spend every earlier one committed), sweeps expired holds,
 * reads spend and holds, and inserts its own hold only when spent + held + this call's worst
 * case stays within every limit that applies. `record` inserts the ledger row and deletes the
 * hold in one statement. The limits, statuses, alerts and refusals are budget-checks.ts's, as
 * in the file tracker.
 */
export function createPgCostTracker(options: PgCostTrackerOptions): PgCostTracker {
  const { database, priceTable, clock, ready } = options;
  const pool = database.pool;
  const ttlMs = options.reservationTtlMs ?? 15 * 60_000;
  // This process's holds of calls in flight: renewed while they live, so a slow call on a loaded
  // machine is never taken for a dead replica's and charged twice (abandoned line and its own).
  const liveHolds = new Set<string>();
  let renewTimer: NodeJS.Timeout | undefined;
  const renewHolds = async (): Promise<number> => {
    if (liveHolds.size === 0) return 0;
    const renewed = await pool.query('UPDATE dspec_reservations SET expires_at = $1 WHERE id = ANY($2::uuid[])', [new Date(clock().getTime() + ttlMs).toISOString(), [...liveHolds]]);
    return renewed.rowCount ?? 0;
  };
  const holdTaken = (id: string) => {
    liveHolds.add(id);
    renewTimer ??= setInterval(
      () => {
        if (liveHolds.size === 0) {
          clearInterval(renewTimer);
          renewTimer = undefined;
          return;
        }
        renewHolds().catch((error: unknown) => options.logger?.warn({ err: database.explain(error) }, 'could not renew budget holds; they may lapse and be charged twice'));
      },
      Math.max(1000, Math.floor(ttlMs / 3)),
    ).unref();
  };

  async function query<T>(work: () => Promise<T>): Promise<T> {
    await ready();
    try {
      return await work();
    } catch (error) {
      throw database.explain(error);
    }
  }

  const readBudgets = async () => parseBudgets((await pool.query<{ budgets: unknown }>('SELECT budgets FROM dspec_budgets')).rows[0]?.budgets);

  return {
    priceTable,

    reserve(estimate: CallEstimate): Promise<BudgetReservation & { warnings: string[] }> {
      return query(async () => {
        const budgets = await readBudgets();
        const { amount, warnings } = holdAmountFor(priceTable, estimate, budgets, options.allowUnpriced);
        const id = randomUUID();
        if (!limitsOf(budgets).some((limit) => limitAppliesTo(limit, estimate.component))) return { id, amount: amount ?? 0, warnings };
        // The refusal is thrown after COMMIT, so the sweep of expired holds stays done. The hold
        // goes in with the state read, sent with BEGIN and the lock (budgets are read again under
        // it: a change committed since is the one that counts), and out again if a limit refuses it.
        const now = clock();
        const hold = { id, amount: amount ?? 0, priced: amount !== null, estimate, priceTableVersion: priceTable.version, expiresAt: new Date(now.getTime() + ttlMs) };
        const refusal = await database.transaction<BudgetExceededError | undefined, BudgetStateRow>(
          async (client, opening) => {
            const state = budgetStateOf(opening[0]);
            for (const limit of limitsOf(state.budgets).filter((candidate) => limitAppliesTo(candidate, estimate.component))) {
              const status = budgetStatusOf(limit, state.spentOf(limit), state.holds, state.budgets.alertAtPercent, amount ?? 0);
              if (status.exceeded) {
                await client.query('DELETE FROM dspec_reservations WHERE id = $1', [id]);
                return budgetExceededErrorFor(limit, status, amount ?? 0, estimate);
              }
              if (status.alert) warnings.push(budgetAlertWarning(status));
            }
            return undefined;
          },
          'budget',
          budgetStateQuery(now, hold),
        );
        if (refusal) throw refusal;
        holdTaken(id);
        return { id, amount: amount ?? 0, warnings };
      });
    },

    record(input: LedgerRecordInput, reservation?: BudgetReservation): Promise<{ record: LedgerRecord; warnings: string[] }> {
      return query(async () => {
        const { record, priced } = pricedRecordOf(input, priceTable, clock());
        const day = utcDayOf(record.timestamp);
        if (day === undefined) throw new InputError(`ledger record timestamp "${record.timestamp}" is not an ISO 8601 time`);
        const cacheHit = record.cacheHit || record.outcome === 'cache_hit';
        const reservationId = reservation && UUID.test(reservation.id) ? reservation.id : undefined;
        if (reservationId) liveHolds.delete(reservationId);
        const settle = {
          sql: settleStatement(record),
          values: [
            record.id,
            day,
            reservationId ?? null,
            record.provider,
            record.model,
            record.timestamp,
            record.operation,
            record.component,
            record.outcome,
            cacheHit,
            record.attempt,
            record.retry,
            record.inputTokens,
            record.outputTokens,
            record.cacheWriteTokens,
            record.cacheReadTokens,
            record.totalCost,
            record.costSaved,
            JSON.stringify(record),
          ],
        };
        // The settle and the budgets' state after it in one round trip (each statement of a batch sees the ones before).
        const now = clock();
        const [, stateRows] = await database.batch([settle, budgetStateQuery(now)]);
        const warnings: string[] = [];
        if (!priced) {
          warnings.push(unpricedRecordWarning(input.model, priceTable));
          options.logger?.warn({ model: input.model, priceTableVersion: priceTable.version }, 'LLM call on an unpriced model');
        }
        const state = budgetStateOf(stateRows?.[0] as BudgetStateRow | undefined);
        for (const limit of limitsOf(state.budgets).filter((candidate) => limitAppliesTo(candidate, input.component))) {
          const status = budgetStatusOf(limit, state.spentOf(limit), state.holds, state.budgets.alertAtPercent);
          if (status.alert) warnings.push(budgetAlertWarning(status));
        }
        return { record, warnings };
      });
    },

    release(reservation: BudgetReservation): Promise<void> {
      liveHolds.delete(reservation.id);
      return query(async () => {
        if (UUID.test(reservation.id)) await pool.query('DELETE FROM dspec_reservations WHERE id = $1', [reservation.id]);
      });
    },

    estimateCost(model, usage) {
      return priceTable.costOf(model, usage)?.totalCost ?? null;
    },

    summary: () => query(() => summariseLedgerTable(pool)),

    summariseRange: (sinceMs, untilMs) => query(() => summariseLedgerTableRange(pool, sinceMs, untilMs)),

    budgetStatus(): Promise<{ budgets: Budgets; limits: BudgetStatus[] }> {
      return query(async () => {
        const now = clock();
        const state = await readBudgetState(pool, now);
        const limits = limitsOf(state.budgets).map((limit) => budgetStatusOf(limit, state.spentOf(limit), state.holds, state.budgets.alertAtPercent));
        return { budgets: state.budgets, limits };
      });
    },

    updateBudgets(changes: BudgetChanges): Promise<Budgets> {
      return query(() =>
        database.transaction(async (client) => {
          const current = parseBudgets((await client.query<{ budgets: unknown }>('SELECT budgets FROM dspec_budgets')).rows[0]?.budgets);
          const merged = mergeBudgets(current, changes, clock());
          await client.query(
            `INSERT INTO dspec_budgets (singleton, budgets, updated_at) VALUES (true, $1, $2)
             ON CONFLICT (singleton) DO UPDATE SET budgets = excluded.budgets, updated_at = excluded.updated_at`,
            [JSON.stringify(merged), clock().toISOString()],
          );
          return merged;
        }, 'budget'),
      );
    },

    renewHolds: () => query(renewHolds),

    sweepExpiredReservations(): Promise<number> {
      return query(async () => {
        const swept = await pool.query<{ charged: number }>(`WITH ${SWEEP} SELECT count(*)::int AS charged FROM abandoned`, [clock().toISOString()]);
        return swept.rows[0]?.charged ?? 0;
      });
    },
  };
}
