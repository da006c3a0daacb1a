import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PoolClient } from 'pg';
import { InputError, issuesFromZod } from '../../errors.js';
import { AVAILABILITY_CATEGORIES } from '../breaker-streaks.js';
import {
  budgetAlertWarning,
  budgetExceededErrorFor,
  budgetStatusOf,
  limitAppliesTo,
  unpricedModelRefusal,
  unpricedRecordWarning,
  unpricedReserveWarning,
  worstCaseCost,
  type BudgetStatus,
  type HeldAmount,
} from '../budget-checks.js';
import { BudgetsSchema, limitsOf, mergeBudgets, periodStartDay, type BudgetChanges, type BudgetLimit, type Budgets } from '../budgets.js';
import type { CostReportSource } from '../cost-report.js';
import type { BudgetReservation, CallEstimate, CostTracker } from '../cost-tracker.js';
import type { CostTrackerLogger } from '../create-cost-tracker.js';
import { utcDayOf } from '../ledger-summary.js';
import type { PriceTable } from '../price-table.js';
import { pricedRecordOf } from '../priced-record.js';
import type { LedgerRecord, LedgerRecordInput } from '../../shapes/ledger-record.js';
import type { DatabasePool } from './database-pool.js';
import { summariseLedgerTable, summariseLedgerTableRange } from './pg-ledger-summary.js';

export interface PgCostTrackerOptions {
  database: DatabasePool;
  priceTable: PriceTable;
  clock: () => Date;
  logger?: CostTrackerLogger;
  allowUnpriced?: boolean;
  /** A hold lapses this long after it was taken, whatever became of its replica (default 15 min). */
  reservationTtlMs?: number;
  /** Resolves once the schema is usable (migrated, or checked to be); awaited before every use. */
  ready: () => Promise<void>;
}

/** The PostgreSQL CostTracker, the reports' source over the same tables, and the budget setter. */
export interface PgCostTracker extends CostTracker, CostReportSource {
  updateBudgets(changes: BudgetChanges): Promise<Budgets>;
  /** Deletes holds past their expiry (a killed replica's); returns how many. */
  sweepExpiredReservations(): Promise<number>;
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
 */
const SWEEP = 'swept AS (DELETE FROM dspec_reservations WHERE expires_at <= $1)';
const TAKE_HOLD = 'taken AS (INSERT INTO dspec_reservations (id, amount, component, model, holder, created_at, expires_at) VALUES ($6, $7, $8, $9, $10, $1, $11))';
const BUDGET_STATE_SELECT = `SELECT
  (SELECT budgets FROM dspec_budgets) AS budgets,
  (SELECT json_build_object(
     'daily', coalesce(sum(total_cost) FILTER (WHERE day >= $2::date), 0),
     'weekly', coalesce(sum(total_cost) FILTER (WHERE day >= $3::date), 0),
     'monthly', coalesce(sum(total_cost) FILTER (WHERE day >= $4::date), 0))
   FROM dspec_ledger WHERE day >= least($3::date, $4::date) AND day <= $5::date AND NOT cache_hit) AS spend,
  (SELECT coalesce(json_object_agg(component, cost), '{}'::json) FROM (
     SELECT component, coalesce(sum(total_cost), 0) AS cost FROM dspec_ledger
     WHERE day >= $4::date AND day <= $5::date AND NOT cache_hit GROUP BY component) AS by_component) AS component_spend,
  (SELECT coalesce(json_agg(json_build_object('component', component, 'amount', amount)), '[]'::json) FROM (
     SELECT component, sum(amount) AS amount FROM dspec_reservations WHERE expires_at > $1 GROUP BY component) AS held) AS holds`;

/** A hold to insert with the state read. */
interface NewHold {
  id: string;
  amount: number;
  component: string;
  model: string;
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

async function readBudgetState(client: Pick<PoolClient, 'query'>, now: Date, hold?: NewHold): Promise<BudgetState> {
  const today = now.toISOString().slice(0, 10);
  const parameters: unknown[] = [now.toISOString(), periodStartDay('daily', now), periodStartDay('weekly', now), periodStartDay('monthly', now), today];
  if (hold) parameters.push(hold.id, hold.amount, hold.component, hold.model, HOLDER, hold.expiresAt.toISOString());
  const { rows } = await client.query<BudgetStateRow>(`WITH ${hold ? `${SWEEP}, ${TAKE_HOLD}` : SWEEP} ${BUDGET_STATE_SELECT}`, parameters);
  const row = rows[0]!;
  const budgets = parseBudgets(row.budgets);
  return {
    budgets,
    holds: row.holds,
    spentOf: (limit) => (limit.component === undefined ? row.spend[limit.period] : (row.component_spend[limit.component] ?? 0)),
  };
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
 * Settling in one statement, so it is atomic on its own: the ledger row, the end of the hold
 * and the breaker streak commit together or not at all. The streak step is a CTE only when
 * the outcome moves it. It returns the budgets, so a ledger without limits costs one round trip.
 */
function settleStatement(record: LedgerRecord): string {
  // $3 is null for a cache hit (no hold): the DELETE then matches nothing.
  const steps = ['settled AS (DELETE FROM dspec_reservations WHERE id = $3::uuid)'];
  const streak = streakStatement(record);
  if (streak) steps.push(`streak AS (${streak})`);
  const insert = `INSERT INTO dspec_ledger (id, recorded_at, day, operation, component, provider, model, outcome, cache_hit, attempt, retry,
      input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, total_cost, cost_saved, record)
    VALUES ($1, $6, $2::date, $7, $8, $4, $5, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    RETURNING (SELECT budgets FROM dspec_budgets) AS budgets`;
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
        const amount = worstCaseCost(priceTable, estimate);
        const warnings: string[] = [];
        const budgets = await readBudgets();
        if (amount === null) {
          if (limitsOf(budgets).length > 0 && !options.allowUnpriced) throw unpricedModelRefusal(estimate, priceTable);
          warnings.push(unpricedReserveWarning(estimate.model, priceTable));
        }
        const id = randomUUID();
        if (!limitsOf(budgets).some((limit) => limitAppliesTo(limit, estimate.component))) return { id, amount: amount ?? 0, warnings };
        // The refusal is thrown after COMMIT, so the sweep of expired holds stays done.
        const refusal = await database.transaction(async (client) => {
          const now = clock();
          // The hold goes in with the read (one round trip less) and out again if a limit refuses it.
          // Budgets are read again under the lock: a change committed since is the one that counts.
          const hold = { id, amount: amount ?? 0, component: estimate.component, model: estimate.model, expiresAt: new Date(now.getTime() + ttlMs) };
          const state = await readBudgetState(client, now, hold);
          for (const limit of limitsOf(state.budgets).filter((candidate) => limitAppliesTo(candidate, estimate.component))) {
            const status = budgetStatusOf(limit, state.spentOf(limit), state.holds, state.budgets.alertAtPercent, amount ?? 0);
            if (status.exceeded) {
              await client.query('DELETE FROM dspec_reservations WHERE id = $1', [id]);
              return budgetExceededErrorFor(limit, status, amount ?? 0, estimate);
            }
            if (status.alert) warnings.push(budgetAlertWarning(status));
          }
          return undefined;
        }, 'budget');
        if (refusal) throw refusal;
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
        const settled = await pool.query<{ budgets: unknown }>(settleStatement(record), [
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
        ]);
        const warnings: string[] = [];
        if (!priced) {
          warnings.push(unpricedRecordWarning(input.model, priceTable));
          options.logger?.warn({ model: input.model, priceTableVersion: priceTable.version }, 'LLM call on an unpriced model');
        }
        const budgets = parseBudgets(settled.rows[0]?.budgets);
        const limits = limitsOf(budgets).filter((limit) => limitAppliesTo(limit, input.component));
        if (limits.length) {
          const now = clock();
          const state = await readBudgetState(pool, now);
          for (const limit of limits) {
            const status = budgetStatusOf(limit, state.spentOf(limit), state.holds, budgets.alertAtPercent);
            if (status.alert) warnings.push(budgetAlertWarning(status));
          }
        }
        return { record, warnings };
      });
    },

    release(reservation: BudgetReservation): Promise<void> {
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

    sweepExpiredReservations(): Promise<number> {
      return query(async () => (await pool.query('DELETE FROM dspec_reservations WHERE expires_at <= $1', [clock().toISOString()])).rowCount ?? 0);
    },
  };
}
