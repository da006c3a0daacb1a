import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError, DatabaseError } from '../../src/errors.js';
import { openPgCostStore, type PgCostStore } from '../../src/cost/pg/open-pg-cost-store.js';
import { loadMigrations, migrate, migrationStatus } from '../../src/cost/pg/migrations.js';
import { openDatabasePool, redactDatabaseUrl } from '../../src/cost/pg/database-pool.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { sampleCall } from './ledger-record-fixture.js';

// Worst case of this estimate: 10,000 × $3.75 (cache write) + 4,000 × $15 per MTok = $0.0975.
const estimate = { operation: 'generate_component', component: 'Button', provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 10_000, maxOutputTokens: 4_000 };
const WORST_CASE = 0.0975;

let server: PostgresServer;
const stores: PgCostStore[] = [];

beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await server?.stop();
});

async function openStore(url: string, options: { clock?: () => Date; migrate?: boolean; reservationTtlMs?: number } = {}): Promise<PgCostStore> {
  const store = await openPgCostStore({ url, config: {}, migrate: options.migrate ?? true, ...options });
  stores.push(store);
  return store;
}

async function rowCount(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>(`SELECT count(*) FROM ${table}`)).rows[0]!.count);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL cost store', () => {
  it('migrates once when three replicas migrate at the same moment, and again finds nothing to do', async () => {
    const url = await server.createDatabase();
    const pools = await Promise.all([1, 2, 3].map(() => openDatabasePool(url)));
    try {
      const shipped = await loadMigrations();
      expect(shipped.slice(0, 3).map((migration) => `${migration.version}:${migration.name}`)).toEqual(['1:ledger', '2:budgets_and_reservations', '3:breaker_streaks']);
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      expect(results.map((result) => result.applied.length).sort((a, b) => a - b)).toEqual([0, 0, shipped.length]);
      expect(results[0]!.version).toBe(shipped.length);
      const status = await migrationStatus(pools[0]!);
      expect(status.pending).toEqual([]);
      expect(status.applied.map((migration) => migration.version)).toEqual(shipped.map((migration) => migration.version));
      expect((await migrate(pools[1]!)).applied).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });

  it('fails its first cost call on an unmigrated database with an error that says to run dspec db migrate, and works once migrated', async () => {
    const url = await server.createDatabase();
    const store = await openStore(url, { migrate: false });
    const refused = await store.tracker.reserve(estimate).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseError);
    expect((refused as DatabaseError).message).toMatch(/is not migrated: \d+ migration\(s\) pending \(001_ledger, 002_budgets_and_reservations, 003_breaker_streaks, /);
    expect((refused as DatabaseError).suggestion).toMatch(/dspec db migrate/);
    await migrate(store.database);
    await expect(store.tracker.reserve(estimate)).resolves.toMatchObject({ amount: WORST_CASE });
  });

  it('never prints the password of the URL, in messages or in the redacted URL', async () => {
    const url = 'postgres://dspec:s3cret-pass@127.0.0.1:1/dspec';
    expect(redactDatabaseUrl(url)).toBe('postgres://dspec:***@127.0.0.1:1/dspec');
    expect(redactDatabaseUrl('postgres://dspec@127.0.0.1/db?password=s3cret-pass')).not.toContain('s3cret-pass');
    const store = await openStore(url, { migrate: false });
    const failure = await store.reports.summary().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(String((failure as Error).message)).toContain('postgres://dspec:***@127.0.0.1:1/dspec');
    expect(JSON.stringify(failure) + String((failure as Error).message)).not.toContain('s3cret-pass');
  });

  it('grants exactly as many of 60 concurrent reservations from three pools as fit the budget, and no more', async () => {
    const url = await server.createDatabase();
    const replicas = await Promise.all([1, 2, 3].map(() => openStore(url)));
    const limit = 1.0; // fits floor(1.0 / 0.0975) = 10 worst cases
    await replicas[0]!.updateBudgets({ daily: limit });
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => replicas[i % 3]!.tracker.reserve(estimate)));
    const granted = outcomes.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
    expect(granted).toHaveLength(Math.floor(limit / WORST_CASE));
    expect(granted.reduce((sum, reservation) => sum + reservation.amount, 0)).toBeLessThanOrEqual(limit);
    expect(refused).toHaveLength(60 - granted.length);
    for (const reason of refused) expect(reason).toBeInstanceOf(BudgetExceededError);
    expect(await rowCount(url, 'dspec_reservations')).toBe(granted.length);
    const status = await replicas[1]!.reports.budget();
    expect(status.limits[0]).toMatchObject({ name: 'daily', spent: 0, exceeded: false });
    expect(status.limits[0]!.reserved).toBeCloseTo(granted.length * WORST_CASE, 10);
  });

  it('stores component and model names verbatim, quotes, backslashes and placeholders included', async () => {
    const url = await server.createDatabase();
    const store = await openStore(url);
    await store.updateBudgets({ daily: 5 });
    const component = "O'Brien\\'); DROP TABLE dspec_ledger; -- $1 $$x$$";
    await store.tracker.reserve({ ...estimate, component });
    const held = await store.database.pool.query<{ component: string }>('SELECT component FROM dspec_reservations');
    expect(held.rows).toEqual([{ component }]);
    expect(await rowCount(url, 'dspec_ledger')).toBe(0);
  });

  it('keeps the spend of a ledger written before migration 005 (daily spend) when that migration runs', async () => {
    const url = await server.createDatabase();
    const store = await openStore(url, { clock: () => new Date('2026-11-20T12:00:00.000Z') });
    await store.updateBudgets({ daily: 1, components: { Card: 1 } });
    await store.tracker.record(sampleCall({ outputTokens: 2_000 })); // $0.06
    await store.tracker.record(sampleCall({ component: 'Card' })); // $0.045
    await store.tracker.record(sampleCall({ outcome: 'cache_hit', cacheHit: true, costSaved: 0.5 }));
    const before = (await store.reports.budget()).limits.map((limit) => [limit.name, limit.spent]);
    expect(before).toEqual([
      ['daily', expect.closeTo(0.105, 10)],
      ['component Card (monthly)', expect.closeTo(0.045, 10)],
    ]);
    // As a database migrated by an older dspec: no daily spend table yet.
    await store.database.pool.query('DROP TABLE dspec_daily_spend; DELETE FROM dspec_schema_migrations WHERE version = 5');
    expect((await migrate(store.database)).applied).toEqual([{ version: 5, name: 'daily_spend' }]);
    expect((await store.reports.budget()).limits.map((limit) => [limit.name, limit.spent])).toEqual(before);
  });

  it('settles a call in one step (ledger row in, hold out) and charges an expired hold on the next reserve', async () => {
    const url = await server.createDatabase();
    let now = new Date('2026-11-20T12:00:00.000Z');
    const store = await openStore(url, { clock: () => now, reservationTtlMs: 60_000 });
    await store.updateBudgets({ daily: 0.2 });
    const first = await store.tracker.reserve(estimate);
    const { record } = await store.tracker.record(sampleCall({ outputTokens: 2_000 }), first);
    expect(record.totalCost).toBeCloseTo(0.06);
    expect(await rowCount(url, 'dspec_reservations')).toBe(0);
    expect(await rowCount(url, 'dspec_ledger')).toBe(1);

    // A replica that dies mid-call leaves its hold: $0.06 + $0.0975 held, so a third worst case no longer fits.
    const lost = await store.tracker.reserve({ ...estimate, attempt: 2, retry: 1 });
    await expect(store.tracker.reserve(estimate)).rejects.toThrow(/daily budget of \$0\.20 would be exceeded: \$0\.06 spent, \$0\.10 held by calls in flight/);
    now = new Date(now.getTime() + 60_000);
    // Expired, the hold is charged rather than freed (the killed call may have been billed): its worst case is now spent.
    await expect(store.tracker.reserve(estimate)).rejects.toThrow(/daily budget of \$0\.20 would be exceeded: \$0\.16 spent, \$0\.00 held by calls in flight/);
    expect(await rowCount(url, 'dspec_reservations')).toBe(0);
    const abandoned = await store.database.pool.query<{ id: string; total_cost: number; attempt: number; retry: number; category: string }>(
      "SELECT id, total_cost, attempt, retry, record->>'errorCategory' AS category FROM dspec_ledger WHERE outcome = 'error'",
    );
    expect(abandoned.rows).toEqual([{ id: lost.id, total_cost: expect.closeTo(WORST_CASE, 10), attempt: 2, retry: 1, category: 'abandoned' }]);

    // The explicit sweep charges an expired hold once: a second sweep finds nothing.
    await store.updateBudgets({ daily: 1 });
    await store.tracker.reserve(estimate);
    now = new Date(now.getTime() + 60_000);
    expect(await store.sweepExpiredReservations()).toBe(1);
    expect(await store.sweepExpiredReservations()).toBe(0);
    expect(await rowCount(url, 'dspec_reservations')).toBe(0);
    expect(await rowCount(url, 'dspec_ledger')).toBe(3);
  });

  it('charges each of 40 expired holds exactly once while three replicas sweep, reserve, settle and read the budget at the same moment', async () => {
    const url = await server.createDatabase();
    let now = new Date('2026-11-20T12:00:00.000Z');
    const replicas = [await openStore(url, { clock: () => now }), await openStore(url, { clock: () => now }), await openStore(url, { clock: () => now })];
    await replicas[0]!.updateBudgets({ daily: 100 });
    const lost = await Promise.all(Array.from({ length: 40 }, (_, index) => replicas[index % 3]!.tracker.reserve({ ...estimate, component: `C${index % 4}` })));
    now = new Date('2026-11-20T12:16:00.000Z');
    const charged = await Promise.all(
      replicas.flatMap((replica) => [
        replica.sweepExpiredReservations(),
        replica.sweepExpiredReservations(),
        replica.tracker.reserve(estimate).then(async (hold) => (await replica.tracker.record(sampleCall({ outputTokens: 2_000 }), hold), 0)),
        replica.reports.budget().then(() => 0),
      ]),
    );
    // The explicit sweeps count what they charged; the reserves, settles and budget reads sweep too, uncounted. Together: each hold once.
    expect(charged.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(40);
    const rows = await replicas[0]!.database.pool.query<{ id: string; total_cost: number }>("SELECT id, total_cost FROM dspec_ledger WHERE record ->> 'errorCategory' = 'abandoned' ORDER BY id");
    expect(rows.rows.map((row) => row.id)).toEqual(lost.map((hold) => hold.id).sort());
    expect(await rowCount(url, 'dspec_reservations')).toBe(0);
    const spend = await replicas[0]!.database.pool.query<{ cost: number }>('SELECT sum(cost)::float8 AS cost FROM dspec_daily_spend');
    expect(spend.rows[0]!.cost).toBeCloseTo(40 * WORST_CASE + 3 * 0.06, 9);
    const daily = (await replicas[1]!.reports.budget()).limits[0]!;
    expect(daily).toMatchObject({ spent: expect.closeTo(40 * WORST_CASE + 3 * 0.06, 9), reserved: 0 });
  });

  it("renews the holds of calls still in flight, so only a dead replica's hold lapses and is charged", async () => {
    const url = await server.createDatabase();
    let now = Date.parse('2026-12-06T10:00:00.000Z');
    const clock = () => new Date(now);
    const ttl = 60_000;
    const live = await openStore(url, { clock, reservationTtlMs: ttl });
    const dead = await openStore(url, { clock, reservationTtlMs: ttl });
    await live.updateBudgets({ daily: 10 });
    const slow = await live.tracker.reserve(estimate);
    // The other replica takes a hold and dies: nothing renews it.
    await dead.tracker.reserve(estimate);
    stores.splice(stores.indexOf(dead), 1);
    await dead.close();
    now += (2 * ttl) / 3;
    expect(await live.tracker.renewHolds()).toBe(1);
    now += (2 * ttl) / 3;
    // Past the first TTL: the dead replica's hold lapses, the slow call's renewed one does not.
    expect(await live.sweepExpiredReservations()).toBe(1);
    await live.tracker.record(sampleCall({ outcome: 'success' }), slow);
    expect(await rowCount(url, 'dspec_reservations')).toBe(0);
    const abandoned = await rowCount(url, "dspec_ledger WHERE record->>'errorCategory' = 'abandoned'");
    expect(abandoned).toBe(1);
    // Nothing left to renew once the call settled.
    expect(await live.tracker.renewHolds()).toBe(0);
  });

  it('reports, and survives, the server ending a connection that is in use (a restart, pg_terminate_backend)', async () => {
    const url = await server.createDatabase();
    const warnings: string[] = [];
    const database = await openDatabasePool(url, { logger: { warn: (_fields, message) => warnings.push(message) } });
    const client = await database.pool.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      // Unheard, the client's 'error' event would be an uncaught exception that ends the process.
      await expect.poll(() => warnings).toContain('a PostgreSQL connection in use failed');
    } finally {
      client.release(true);
      await database.close();
    }
  });
});
