import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgCostStore } from '../../src/cost/pg/open-pg-cost-store.js';
import { loadConfig } from '../../src/infra/config.js';
import { tempHome } from '../cache/entry-fixture.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { testRuntime } from '../helpers/test-runtime.js';
import { sampleCall } from './ledger-record-fixture.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('the runtime with DSPEC_DATABASE_URL', () => {
  it('keeps the ledger in PostgreSQL (migrating on first use with DSPEC_DATABASE_MIGRATE=1), writes nothing under .dspec/, and ends the pool on close', async () => {
    const cwd = tempHome('dspec-runtime-pg-');
    const config = loadConfig({ cwd, env: { DSPEC_DATABASE_URL: await server.createDatabase(), DSPEC_DATABASE_MIGRATE: '1', DSPEC_RESERVATION_TTL_MS: '5000' } });
    expect(config.database).toMatchObject({ migrateOnStart: true, reservationTtlMs: 5000 });
    const runtime = testRuntime({ cwd, config });
    const store = (await runtime.costs()) as PgCostStore;
    await store.updateBudgets({ daily: 1 });
    const estimate = { operation: 'generate_component', component: 'Button', provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 1000, maxOutputTokens: 1000 };
    await store.tracker.record(sampleCall(), await store.tracker.reserve(estimate));
    expect((await store.reports.summary({ period: 'all' })).totals.llmCalls).toBe(1);
    const open = await store.tracker.reserve(estimate);
    const held = await store.database.pool.query<{ lapse: number }>('SELECT extract(epoch FROM expires_at - created_at)::float8 AS lapse FROM dspec_reservations');
    expect(held.rows).toEqual([{ lapse: 5 }]); // the settled hold is gone; this one lapses after DSPEC_RESERVATION_TTL_MS
    await store.tracker.release(open);
    expect(existsSync(path.join(cwd, '.dspec'))).toBe(false);
    await runtime.close();
    expect(store.database.pool.ended).toBe(true);
  });

  it('without it keeps today’s file ledger and never loads the PostgreSQL store', async () => {
    const cwd = tempHome('dspec-runtime-files-');
    const runtime = testRuntime({ cwd });
    const store = await runtime.costs();
    expect('database' in store).toBe(false);
    await store.tracker.record(sampleCall());
    expect(existsSync(path.join(cwd, '.dspec', 'costs.jsonl'))).toBe(true);
    await runtime.close();
  });
});
